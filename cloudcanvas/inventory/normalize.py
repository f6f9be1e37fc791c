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
from cloudcanvas.inventory.families.base import Draft, dicts, dig, display, obj
from cloudcanvas.inventory.model import GLOBAL_LOCATION, Inventory, Resource
from cloudcanvas.inventory.relations import NIC_TYPE, VM_TYPE, Links, link
from cloudcanvas.inventory.types import lookup

log = logging.getLogger(__name__)

SUBSCRIPTION_TYPE = "microsoft.resources/subscriptions"
RESOURCE_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
_PARENTHESES = re.compile(r"\(.*?\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
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
    return {_text(k): _text(v) for k, v in value.items()}


def _base_draft(row: dict[str, Any], index: int) -> Draft:
    arm_type = _text(row.get("type")).strip().lower()
    name = _text(row.get("name"))
    rid = _text(row.get("id")).strip() or f"/unknown/{arm_type or 'resource'}/{name or index}"
    kind = _text(row.get("kind")) or None
    entry = lookup(arm_type, kind)
    subscription, group = _scope_of(rid)
    sku = row.get("sku")
    sku_name = sku.get("name") if isinstance(sku, dict) else sku
    return Draft(
        key=rid.lower().rstrip("/"),
        rid=rid,
        name=name or rid.rsplit("/", 1)[-1],
        arm_type=arm_type,
        component=entry.component,
        family=entry.family,
        location=normalize_location(row.get("location")),
        subscription_id=_text(row.get("subscriptionId")) or subscription,
        resource_group=group or _text(row.get("resourceGroup")),
        kind=kind,
        sku=sku_name if isinstance(sku_name, str) and sku_name else None,
        tags=_tags_of(row.get("tags")),
    )


def _drafts_of(row: dict[str, Any], index: int) -> list[Draft]:
    draft = _base_draft(row, index)
    props = obj(row.get("properties"))
    normalizer = NORMALIZERS.get(draft.arm_type)
    extra: list[Draft] | None = None
    try:
        if normalizer is not None:
            extra = normalizer(draft, props, row)
        for connection in dicts(props.get("privateEndpointConnections")):
            endpoint = dig(connection, "properties", "privateEndpoint")
            draft.link("private-link", endpoint, outgoing=False)
    except Exception:  # a row we do not understand stays a resource, with what was read
        log.debug("could not read the properties of %s", draft.id, exc_info=True)
    if (
        "state" not in draft.facts
        and str(props.get("provisioningState") or "succeeded").lower() != "succeeded"
    ):
        draft.fact("state", props.get("provisioningState"))
    zones = display(row.get("zones"))
    if zones:
        draft.facts["zones"] = zones
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
        key=draft.key,
        id=draft.id,
        name=draft.name,
        arm_type=draft.arm_type,
        component=draft.component,
        family=draft.family,
        location=draft.location,
        subscription_id=draft.subscription_id,
        resource_group=draft.resource_group,
        kind=draft.kind,
        sku=draft.sku,
        tags=draft.tags,
        properties=draft.facts,
        ip_addresses=tuple(draft.ips),
        vnet=vnet,
        subnet=subnet,
        parent=links.parents.get(draft.key),
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
    for res in inventory.resources.values():
        if res.subscription_id:
            inventory.subscriptions.setdefault(res.subscription_id, res.subscription_id)
        if res.resource_group:
            inventory.resource_groups.setdefault(res.resource_group_key, res.resource_group)


def build_inventory(
    resource_rows: Iterable[dict[str, Any]], container_rows: Iterable[dict[str, Any]] = ()
) -> Inventory:
    """The typed inventory of Resource Graph ``Resources`` (and ``ResourceContainers``) rows."""
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
