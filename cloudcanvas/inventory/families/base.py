"""The mutable draft a family normalizer fills in, and the helpers they share.

A ``Draft`` lives only while ``build_inventory`` runs: normalizers record key facts, IP addresses,
host names and references (raw ARM ids, matched later on lowercased ids), then ``relations``
resolves the references and ``normalize`` freezes every draft into a ``Resource``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudcanvas.inventory.types import lookup

# (relation kind, referenced id or "ip:<address>" / "host:<name>", outgoing?, climb to parent?)
Ref = tuple[str, str, bool, bool]


class Draft:
    __slots__ = (
        "arm_type",
        "component",
        "family",
        "hosts",
        "id",
        "ips",
        "key",
        "kind",
        "location",
        "name",
        "properties",
        "refs",
        "resource_group",
        "sku",
        "subnet_ref",
        "subscription_id",
        "tags",
        "via_ref",
    )

    def __init__(
        self,
        key: str,
        rid: str,
        name: str,
        arm_type: str,
        component: str,
        family: str,
        location: str,
        subscription_id: str,
        resource_group: str,
        kind: str | None = None,
        sku: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.key = key
        self.id = rid
        self.name = name
        self.arm_type = arm_type
        self.component = component
        self.family = family
        self.location = location
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.kind = kind
        self.sku = sku
        self.tags: dict[str, str] = tags if tags is not None else {}
        self.properties: dict[str, str] = {}
        self.ips: list[str] = []
        self.hosts: list[str] = []
        self.refs: list[Ref] = []
        self.subnet_ref: str | None = None  # the subnet this resource sits in
        self.via_ref: str | None = None  # or: it sits wherever this other resource sits

    def fact(self, name: str, value: Any) -> None:
        """Record a display-ready key fact; empty values are skipped."""
        kind = type(value)
        if kind is str:  # the common cases, kept fast
            if value:
                self.properties[name] = value
            return
        if kind is int:
            self.properties[name] = str(value)
            return
        shown = display(value)
        if shown is not None:
            self.properties[name] = shown

    def link(self, kind: str, ref: Any, *, outgoing: bool = True, climb: bool = False) -> None:
        """Record a reference to another resource (an ARM id, or a {"id": ...} object)."""
        if type(ref) is dict:
            ref = ref.get("id")
        if type(ref) is str and ref:
            self.refs.append((kind, ref, outgoing, climb))

    def place(self, subnet: Any) -> None:
        """Put this resource in the subnet (first call wins: the primary configuration)."""
        if self.subnet_ref is None:
            self.subnet_ref = ref_of(subnet)

    def add_ip(self, value: Any) -> None:
        if isinstance(value, str) and value and value not in self.ips:
            self.ips.append(value)


# A family normalizer: fills in the draft from the row's ``properties``; may return extra drafts
# (a VNet returns its subnets).
Normalizer = Callable[[Draft, dict[str, Any], dict[str, Any]], "list[Draft] | None"]


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in items(value) if isinstance(item, dict)]


def dig(value: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def ref_of(value: Any) -> str | None:
    """An ARM id from a string or an ``{"id": ...}`` object; None when there is none."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def display(value: Any) -> str | None:
    """A value as shown to a user: booleans as yes/no, lists joined; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        shown = [text for text in (display(item) for item in value) if text is not None]
        return ", ".join(shown) if shown else None
    return None


def name_of(ref: Any) -> str | None:
    """The last segment of an ARM id (the referenced resource's name)."""
    target = ref_of(ref)
    return target.rsplit("/", 1)[-1] if target else None


def sub_resource(parent: Draft, child: dict[str, Any], *, arm_type: str, index: int) -> Draft:
    """A draft for a child that ARM returns inside its parent (a subnet inside its VNet)."""
    name = child.get("name")
    name = name if isinstance(name, str) and name else f"{arm_type.rsplit('/', 1)[-1]}-{index}"
    rid = ref_of(child) or f"{parent.id}/{arm_type.rsplit('/', 1)[-1]}/{name}"
    entry = lookup(arm_type)
    return Draft(
        rid.lower(),
        rid,
        name,
        arm_type,
        entry.component,
        entry.family,
        parent.location,
        parent.subscription_id,
        parent.resource_group,
    )
