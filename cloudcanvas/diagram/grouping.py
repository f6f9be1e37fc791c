"""Which group each resource belongs to, for any ordered combination of group-by levels.

A VNet (or subnet) resource becomes the group it names when that level is grouped on, instead of
a block inside it. Resources outside any VNet go to a "services" group of their parent, placed
beside the VNet their connections point to most (Cloudcraft draws PaaS next to its network).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudcanvas.diagram.model import Graph, Node
from cloudcanvas.diagram.style import FAMILY_RANK

KIND_RANK = {
    "subscription": -1,
    "region": 0,
    "resourcegroup": 1,
    "vnet": 2,
    "subnet": 3,
    "services": 4,
}


@dataclass(slots=True, eq=False)
class GroupTree:
    kind: str
    key: str
    label: str
    path: tuple[str, ...]
    depth: int
    node: Node | None = None
    beside: str | None = None  # path element of the sibling VNet this services group serves
    items: list[Node] = field(default_factory=list)
    children: list[GroupTree] = field(default_factory=list)
    index: dict[str, GroupTree] = field(default_factory=dict)
    # filled by the layout
    cols: int = 0
    w: int = 0
    h: int = 0
    x: int = 0
    y: int = 0
    items_x: int = 0
    items_y: int = 0
    placements: list[Any] = field(default_factory=list)


def _segment(level: str, node: Node, anchor: str | None) -> tuple[str, str] | None:
    """(kind, key) of the group of ``node`` at ``level``; None: the level does not apply."""
    if level == "subscription":
        return "subscription", (node.subscription_id or "unknown").lower()
    if level == "region":
        return "region", node.location or "unknown"
    if level == "resourcegroup":
        return "resourcegroup", (node.resource_group or "unknown").lower()
    if level == "vnet":
        return ("vnet", node.vnet) if node.vnet else ("services", anchor or "")
    if node.subnet:
        return "subnet", node.subnet
    return None


def _is_container(level: str, node: Node) -> bool:
    if level == "vnet":
        return node.vnet == node.key
    return level == "subnet" and node.subnet == node.key


def container_level(node: Node, levels: Sequence[str]) -> str | None:
    """The level at which ``node`` becomes the group it names (``vnet``, ``subnet``) instead of a
    block, as ``build_groups`` decides it; None: it is drawn as a block."""
    for level in levels:
        if _segment(level, node, None) is not None and _is_container(level, node):
            return level
    return None


def _anchors(graph: Graph, levels: Sequence[str]) -> dict[str, str]:
    """For each resource outside a VNet: the VNet its edges lead to most (ties: smallest key)."""
    if "vnet" not in levels:
        return {}
    by_key = {node.key: node for node in graph.nodes}
    votes: dict[str, Counter[str]] = {}
    for edge in graph.edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            here, there = by_key.get(a), by_key.get(b)
            if here is None or there is None or here.vnet or not there.vnet:
                continue
            if here.location == there.location or "region" not in levels:
                votes.setdefault(a, Counter())[there.vnet] += 1
    return {
        key: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for key, counter in votes.items()
    }


def build_groups(graph: Graph, levels: Sequence[str], names: dict[str, str]) -> GroupTree:
    """Build the group tree; items and children are sorted so the layout is deterministic."""
    root = GroupTree(kind="root", key="", label="", path=(), depth=0)
    anchors = _anchors(graph, levels)
    for node in graph.nodes:
        group = root
        container = False
        for level in levels:
            segment = _segment(level, node, anchors.get(node.key))
            if segment is None:
                continue
            group = _child(group, segment, names)
            if _is_container(level, node):
                group.node, container = node, True
                break
        if not container:
            group.items.append(node)
    _finish(root)
    return root


def _child(parent: GroupTree, segment: tuple[str, str], names: dict[str, str]) -> GroupTree:
    kind, key = segment
    part = f"{kind}:{key}"
    found = parent.index.get(part)
    if found is not None:
        return found
    beside = None
    if kind == "services":
        label = "PaaS services"
        beside = f"vnet:{key}" if key else None
    elif kind in ("vnet", "subnet"):
        label = names.get(key) or key.rsplit("/", 1)[-1]
    elif kind == "subscription":
        label = names.get(f"subscription:{key}") or key
    else:
        label = key
    child = GroupTree(kind, key, label, (*parent.path, part), parent.depth + 1, beside=beside)
    parent.index[part] = child
    parent.children.append(child)
    return child


def _finish(group: GroupTree) -> None:
    group.items.sort(
        key=lambda n: (FAMILY_RANK.get(n.family, 99), n.component, n.name.lower(), n.key)
    )
    if group.node is not None:
        group.label = group.node.name or group.label
        prefix = _address_prefix(group.node)
        if prefix:
            group.label = f"{group.label}  {prefix}"
    group.children.sort(key=lambda g: (KIND_RANK.get(g.kind, 9), g.label.lower(), g.key))
    for child in group.children:
        _finish(child)


def _address_prefix(node: Node) -> str:
    for name, value in sorted(node.properties.items()):
        if name.lower().replace("_", "").replace(" ", "") in ("addressprefix", "addressspace"):
            return str(value)
    return ""
