"""From an inventory to what the diagram package draws: one location (or all) as a ``Graph``.

VNets and subnets are container nodes (``Node.vnet`` / ``Node.subnet`` set to their own keys); every
other resource names the VNet and subnet it sits in, when they are drawn too. Containment is shown
by nesting, so "subnet", "delegation" and VNet → subnet relations are not edges.
"""

from __future__ import annotations

from cloudcanvas.diagram.model import Edge, Graph, Node
from cloudcanvas.inventory.model import Inventory, Resource
from cloudcanvas.inventory.normalize import normalize_location
from cloudcanvas.inventory.types import SUBNET_TYPE

NESTING_KINDS = frozenset({"subnet", "delegation"})


def _facts(properties: dict[str, str]) -> dict[str, str]:
    """The key facts without the unresolved ``ref.*`` references (kept in the inventory only).

    References are recorded after every fact, so a resource has some only if its last one is.
    """
    if not properties or not next(reversed(properties)).startswith("ref."):
        return properties
    return {k: v for k, v in properties.items() if not k.startswith("ref.")}


def _node(res: Resource, keys: set[str]) -> Node:
    vnet = res.vnet if res.vnet in keys else None
    subnet = res.subnet if vnet is not None and res.subnet in keys else None
    return Node(
        key=res.key,
        resource_id=res.id,
        name=res.name,
        component=res.component,
        family=res.family,
        arm_type=res.arm_type,
        location=res.location,
        subscription_id=res.subscription_id,
        resource_group=res.resource_group,
        vnet=vnet,
        subnet=subnet,
        tags=res.tags,
        properties=_facts(res.properties),
        ip_addresses=res.ip_addresses,
    )


def to_graph(inventory: Inventory, location: str | None = None) -> Graph:
    """The resources of one location ("eastus", "global"), or of all when None, and their edges."""
    wanted = None if location is None else normalize_location(location)
    chosen = sorted(
        (res for res in inventory.resources.values() if wanted is None or res.location == wanted),
        key=lambda res: res.key,
    )
    keys = {res.key for res in chosen}
    edges = {
        (rel.source, rel.target, rel.kind)
        for rel in inventory.relations
        if rel.source in keys
        and rel.target in keys
        and rel.kind not in NESTING_KINDS
        and not (rel.kind == "contains" and inventory.resources[rel.target].arm_type == SUBNET_TYPE)
    }
    return Graph(
        nodes=tuple(_node(res, keys) for res in chosen),
        edges=tuple(Edge(source, target, kind) for source, target, kind in sorted(edges)),
        subscriptions={k.lower(): v for k, v in inventory.subscriptions.items()},
    )
