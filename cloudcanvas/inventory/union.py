"""Several accounts in one diagram: the union of their latest snapshots.

A reference one account's scan could not resolve (a VNet peered with a VNet of another account's
subscription, a private endpoint to a storage account read by another account) is kept on its
resource as ``ref.<kind>``; in the union it is resolved again, so the relation is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cloudcanvas.inventory.model import Inventory, Relation

# Kinds a resource records pointing back at the relation's source (hub → its Virtual WAN ...).
INCOMING = frozenset(
    {
        ("microsoft.network/virtualhubs", "wan-hub"),
        ("microsoft.network/vpngateways", "hub-gateway"),
        ("microsoft.network/expressroutegateways", "hub-gateway"),
        ("microsoft.network/azurefirewalls", "hub-gateway"),
        ("microsoft.network/ddosprotectionplans", "ddos-plan"),
        ("microsoft.network/firewallpolicies", "child-policy"),
        ("microsoft.network/privateendpoints", "attached"),
    }
)


def _relinked(inventory: Inventory) -> list[Relation]:
    """Relations from ``ref.<kind>`` facts whose target is now in the union."""
    found: list[Relation] = []
    for res in inventory.resources.values():
        for name, value in res.properties.items():
            if not name.startswith("ref."):
                continue
            kind = name[4:]
            for ref in value.split(", "):
                target = ref.strip().lower().rstrip("/")
                if target not in inventory.resources or target == res.key:
                    continue
                if kind == "peering":
                    pair = sorted((res.key, target))
                elif (res.arm_type, kind) in INCOMING:
                    pair = [target, res.key]
                else:
                    pair = [res.key, target]
                found.append(Relation(pair[0], pair[1], kind))
    return found


ROUTE_TABLE = "microsoft.network/routetables"
NIC = "microsoft.network/networkinterfaces"
HOP_HOLDERS = frozenset({"microsoft.network/azurefirewalls", NIC})


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _next_hops(inventory: Inventory, relations: set[Relation]) -> list[Relation]:
    """Next hops one account could not match: the firewall or NVA is in another account's scan.

    A route's next-hop address is kept as the ``next hop`` fact (never as ``ref.next-hop``); in
    the union it is matched again against the firewalls' and NICs' private addresses (an NVA's NIC
    stands for its VM), preferring the route table's region when the address repeats.
    """
    holders: dict[str, list[str]] = {}
    for res in inventory.resources.values():
        if res.arm_type in HOP_HOLDERS:
            for ip in _split(res.properties.get("private ip")):
                holders.setdefault(ip, []).append(res.key)
    if not holders:
        return []
    nic_vm = {r.source: r.target for r in relations if r.kind == "attached"}
    hop_targets: dict[str, set[str]] = {}
    for rel in relations:
        if rel.kind == "next-hop":
            hop_targets.setdefault(rel.source, set()).add(rel.target)
    found: list[Relation] = []
    for res in inventory.resources.values():
        if res.arm_type != ROUTE_TABLE:
            continue
        known = hop_targets.get(res.key, set())
        for ip in _split(res.properties.get("next hop")):
            candidates = holders.get(ip, [])
            if len(candidates) > 1:
                candidates = [
                    k for k in candidates if inventory.resources[k].location == res.location
                ]
            if len(candidates) != 1:
                continue
            target = nic_vm.get(candidates[0], candidates[0])
            if target in known or candidates[0] in known:
                continue
            found.append(Relation(res.key, target, "next-hop"))
    return found


def _without_resolved_refs(inventory: Inventory) -> None:
    for key, res in list(inventory.resources.items()):
        kept = {
            name: value
            for name, value in res.properties.items()
            if not name.startswith("ref.")
            or any(r.strip().lower() not in inventory.resources for r in value.split(", "))
        }
        if len(kept) != len(res.properties):
            inventory.resources[key] = replace(res, properties=kept)


def union(inventories: Sequence[Inventory]) -> Inventory:
    """One inventory of several: a resource read by two accounts appears once."""
    merged = Inventory()
    relations: set[Relation] = set()
    for inventory in inventories:
        merged.resources.update(inventory.resources)
        relations.update(inventory.relations)
        merged.subscriptions.update(inventory.subscriptions)
        merged.resource_groups.update(inventory.resource_groups)
    relations.update(_relinked(merged))
    relations.update(_next_hops(merged, relations))
    _without_resolved_refs(merged)
    merged.relations = sorted(relations)
    return merged
