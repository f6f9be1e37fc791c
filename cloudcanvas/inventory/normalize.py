"""Resource Graph rows in, a typed ``Inventory`` out. Pure: no database, no network.

``build_inventory`` never raises on a weird row: a row of an unknown type, or one whose properties
do not parse, is kept as a resource (a generic ``azureresource`` when the type is unknown).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from cloudcanvas.inventory.families import NORMALIZERS
from cloudcanvas.inventory.families.base import Draft, dicts, dig, obj
from cloudcanvas.inventory.model import GLOBAL_LOCATION, Inventory, Resource
from cloudcanvas.inventory.relations import NIC_TYPE, VM_TYPE, Links, link
from cloudcanvas.inventory.types import CATALOGUE, lookup

log = logging.getLogger(__name__)

SUBSCRIPTION_TYPE = "microsoft.resources/subscriptions"
RESOURCE_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
_PARENTHESES = re.compile(r"\(.*?\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
# A bounded memo of a pure function (a location's spelling → its short name): the same answer for
# every app and every thread, so it needs no owner; scans meet a handful of spellings.
_locations: dict[str, str] = {}


def normalize_location(value: Any) -> str:
    """Azure's short location name: "West US" → "westus", "eastus2(stage)" → "eastus2".

    A missing location is "global" (the location Azure gives non-regional resources).
    """
    if not isinstance(value, str):
        return GLOBAL_LOCATION
    known = _locations.get(value)
    if known is not None:
        return known
    short = _NOT_ALNUM.sub("", _PARENTHESES.sub("", value.lower())) or GLOBAL_LOCATION
    if len(_locations) < 10_000:
        _locations[value] = short
    return short


def _scope_of(rid: str) -> tuple[str, str]:
    """(subscription id, resource group name as written) from an ARM id; empty when absent."""
    parts = rid.split("/", 5)
    subscription = parts[2] if len(parts) > 2 and parts[1].lower() == "subscriptions" else ""
    group = parts[4] if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""
    return subscription, group


def row_from_arm(payload: dict[str, Any]) -> dict[str, Any]:
    """An ARM GET response body as the Resource Graph row of the same resource."""
    rid = str(payload.get("id") or "")
    subscription, group = _scope_of(rid)
    return {
        "id": rid,
        "name": payload.get("name") or rid.rsplit("/", 1)[-1],
        "type": str(payload.get("type") or "").lower(),
        "tenantId": dig(payload, "identity", "tenantId") or "",
        "kind": payload.get("kind") or "",
        "location": payload.get("location") or "",
        "resourceGroup": group.lower(),
        "subscriptionId": subscription,
        "managedBy": payload.get("managedBy") or "",
        "sku": payload.get("sku"),
        "plan": payload.get("plan"),
        "properties": payload.get("properties") or {},
        "tags": payload.get("tags") or {},
        "identity": payload.get("identity"),
        "zones": payload.get("zones"),
        "extendedLocation": payload.get("extendedLocation"),
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _tags_of(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        k if type(k) is str else _text(k): v if type(v) is str else _text(v)
        for k, v in value.items()
    }


def _base_draft(row: dict[str, Any], index: int) -> Draft:
    # The hottest function of a scan: plain locals and dict lookups, no helper calls when the
    # row is well-formed.
    arm_type, name, rid, kind = row.get("type"), row.get("name"), row.get("id"), row.get("kind")
    arm_type = arm_type.strip().lower() if type(arm_type) is str else _text(arm_type).lower()
    name = name if type(name) is str else _text(name)
    rid = rid.strip() if type(rid) is str else _text(rid).strip()
    rid = rid or f"/unknown/{arm_type or 'resource'}/{name or index}"
    kind = (kind if type(kind) is str else _text(kind)) or None
    entry = CATALOGUE.get(arm_type) if kind is None else None
    if entry is None:
        entry = lookup(arm_type, kind)
    subscription, group = _scope_of(rid)
    location = row.get("location")
    short = _locations.get(location) if type(location) is str else None
    sku = row.get("sku")
    sku_name = sku.get("name") if type(sku) is dict else sku
    tags = row.get("tags")
    subscription_id = row.get("subscriptionId")
    return Draft(
        rid.lower().rstrip("/"),
        rid,
        name or rid.rsplit("/", 1)[-1],
        arm_type,
        entry.component,
        entry.family,
        short or normalize_location(location),
        subscription_id if type(subscription_id) is str and subscription_id else subscription,
        group or _text(row.get("resourceGroup")),
        kind,
        sku_name if type(sku_name) is str and sku_name else None,
        _tags_of(tags) if tags else {},
    )


def _drafts_of(row: dict[str, Any], index: int) -> list[Draft]:
    draft = _base_draft(row, index)
    props = obj(row.get("properties"))
    normalizer = NORMALIZERS.get(draft.arm_type)
    extra: list[Draft] | None = None
    try:
        if normalizer is not None:
            extra = normalizer(draft, props, row)
        connections = props.get("privateEndpointConnections")
        if connections:
            for connection in dicts(connections):
                endpoint = dig(connection, "properties", "privateEndpoint")
                draft.link("private-link", endpoint, outgoing=False)
    except Exception:  # a row we do not understand stays a resource, with what was read
        log.debug("could not read the properties of %s", draft.id, exc_info=True)
    state = props.get("provisioningState")
    if (
        state
        and state != "Succeeded"
        and "state" not in draft.properties
        and str(state).lower() != "succeeded"
    ):
        draft.fact("state", state)
    zones = row.get("zones")
    if zones:
        draft.fact("zones", zones)
    return [draft, *extra] if extra else [draft]


def _roll_up_addresses(drafts: dict[str, Draft], links: Links) -> None:
    """A NIC shows its public IPs, and a VM the addresses of its NICs."""
    for rel in links.relations:
        if rel.kind == "public-ip" and drafts[rel.source].arm_type == NIC_TYPE:
            nic = drafts[rel.source]
            for ip in drafts[rel.target].ips:
                nic.add_ip(ip)
    for rel in links.relations:
        if rel.kind == "attached" and drafts[rel.target].arm_type == VM_TYPE:
            vm = drafts[rel.target]
            for ip in drafts[rel.source].ips:
                vm.add_ip(ip)


def _freeze(draft: Draft, links: Links) -> Resource:
    vnet, subnet = links.placements.get(draft.key, (None, None))
    return Resource(
        draft.key,
        draft.id,
        draft.name,
        draft.arm_type,
        draft.component,
        draft.family,
        draft.location,
        draft.subscription_id,
        draft.resource_group,
        draft.kind,
        draft.sku,
        draft.tags,
        draft.properties,
        tuple(draft.ips),
        vnet,
        subnet,
        links.parents.get(draft.key),
    )


def _containers(inventory: Inventory, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        if not isinstance(row, dict):
            continue
        arm_type = _text(row.get("type")).lower()
        name = _text(row.get("name"))
        if arm_type == SUBSCRIPTION_TYPE:
            subscription = _text(row.get("subscriptionId")) or _scope_of(_text(row.get("id")))[0]
            if subscription:
                inventory.subscriptions[subscription] = name or subscription
        elif arm_type == RESOURCE_GROUP_TYPE and row.get("id"):
            inventory.resource_groups[_text(row.get("id")).lower().rstrip("/")] = name
    scopes = {(res.subscription_id, res.resource_group) for res in inventory.resources.values()}
    for subscription, group in sorted(scopes):
        if subscription:
            inventory.subscriptions.setdefault(subscription, subscription)
        if subscription and group:
            key = f"/subscriptions/{subscription}/resourcegroups/{group}".lower()
            inventory.resource_groups.setdefault(key, group)


def _build(
    resource_rows: Iterable[dict[str, Any]], container_rows: Iterable[dict[str, Any]]
) -> Inventory:
    drafts: dict[str, Draft] = {}
    for index, row in enumerate(resource_rows):
        if isinstance(row, dict):
            for draft in _drafts_of(row, index):
                drafts.setdefault(draft.key, draft)
    links = link(drafts)
    _roll_up_addresses(drafts, links)
    inventory = Inventory(
        resources={key: _freeze(draft, links) for key, draft in drafts.items()},
        relations=links.relations,
    )
    _containers(inventory, container_rows)
    return inventory


def build_inventory(
    resource_rows: Iterable[dict[str, Any]], container_rows: Iterable[dict[str, Any]] = ()
) -> Inventory:
    """The typed inventory of Resource Graph ``Resources`` (and ``ResourceContainers``) rows."""
    return _build(resource_rows, container_rows)
