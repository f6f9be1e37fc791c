"""Deterministic auto-layout: nodes into nested groups, groups packed on shelves, edges routed.

Coordinates are grid units on the floor (x to the right, y down in 2D; the two isometric axes in
3D). Every resource takes one ``CELL`` x ``CELL`` slot with a ``BLOCK`` x ``BLOCK`` footprint.
Everything is sorted by stable keys, so the same graph always gives the same layout, and a slot
depends only on a resource's rank inside its own group (a change elsewhere moves groups, not it).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cloudcanvas.diagram.bundling import Slot, bundle_edges
from cloudcanvas.diagram.grouping import GroupTree, build_groups
from cloudcanvas.diagram.model import Edge, Graph, Node
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.routing import Box, route_around

CELL = 5
ROUTE_AROUND = True  # edges rerouted round unrelated containers; bench/render.py compares
BUNDLE = True  # parallel edges between two containers share a trunk; bench/render.py compares
BLOCK = 2
OFFSET = 1  # where the block sits inside its slot
PAD = 2
HEADER = 3
GAP = 3

Point = tuple[float, float]
Anchor = tuple[str, Point, tuple[int, int] | None]  # element id, centre, slot origin


@dataclass(frozen=True, slots=True)
class PlacedNode:
    node: Node
    id: str  # element id, stable: derived from the node key
    x: int  # footprint origin, grid units
    y: int
    group: str | None  # id of the innermost group


@dataclass(frozen=True, slots=True)
class PlacedGroup:
    id: str
    kind: str  # region, vnet, subnet, resourcegroup, services
    key: str
    label: str
    x: int
    y: int
    w: int
    h: int
    depth: int
    parent: str | None
    node: Node | None  # the VNet or subnet resource the group stands for
    node_ids: tuple[str, ...]  # direct members


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    id: str
    source: str  # element ids
    target: str
    kind: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    nodes: tuple[PlacedNode, ...]
    groups: tuple[PlacedGroup, ...]
    edges: tuple[PlacedEdge, ...]
    width: int
    height: int


def element_id(prefix: str, key: str, taken: set[str]) -> str:
    """A short id stable across renders: a hash of the key, lengthened on a collision."""
    digest = hashlib.blake2b(key.encode(), digest_size=10).hexdigest()
    for length in (12, 20):
        candidate = f"{prefix}{digest[:length]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    suffix = 2
    while f"{prefix}{digest}-{suffix}" in taken:
        suffix += 1
    taken.add(f"{prefix}{digest}-{suffix}")
    return f"{prefix}{digest}-{suffix}"


def layout(graph: Graph, opts: RenderOptions | None = None) -> Layout:
    """Lay the graph out (after the filter and exclusions of ``opts``)."""
    from cloudcanvas.diagram.filter import apply_filter, parse_filter

    opts = opts or RenderOptions()
    names = {node.key: node.name for node in graph.nodes}
    names.update({f"subscription:{k}": v for k, v in graph.subscriptions.items()})
    expr = parse_filter(opts.filter) if opts.filter and opts.filter.strip() else None
    shown = apply_filter(graph, expr, opts.exclude)
    tree = build_groups(shown, opts.group_by, names)
    _measure(tree)
    _place(tree, 0, 0)
    return _collect(tree, shown, opts.autoconnect)


def _items_size(count: int) -> tuple[int, int, int]:
    """Columns, width and height of a grid of ``count`` slots, a little wider than tall."""
    if count == 0:
        return 0, 0, 0
    cols = max(1, math.ceil(math.sqrt(count * 1.5)))
    cols = min(cols, count)
    rows = math.ceil(count / cols)
    return cols, cols * CELL, rows * CELL


def _measure(tree: GroupTree) -> None:
    """Bottom-up: size every group from its items and its packed children."""
    for child in tree.children:
        _measure(child)
    tree.cols, items_w, items_h = _items_size(len(tree.items))
    units = _units(tree)
    if items_w:
        units.insert(0, ((), items_w, items_h))
    gap = GAP + 1 if tree.depth == 0 else GAP
    tree.placements, content_w, content_h = _shelf_pack(units, gap)
    if tree.depth == 0:
        tree.w, tree.h = content_w, content_h
    else:
        tree.w = max(content_w + 2 * PAD, 16)
        tree.h = content_h + HEADER + PAD


Unit = tuple[tuple[GroupTree, ...], int, int]


def _units(tree: GroupTree) -> list[Unit]:
    """Children to pack; a services group rides beside the network it serves, as one unit."""
    beside: dict[str, list[GroupTree]] = {}
    for child in tree.children:
        if child.beside is not None:
            beside.setdefault(child.beside, []).append(child)
    anchored = {child.path[-1] for child in tree.children} & set(beside)
    units: list[Unit] = []
    for child in tree.children:
        if child.beside is not None and child.beside in anchored:
            continue
        members = (child, *beside.get(child.path[-1], ()))
        width = sum(member.w for member in members) + GAP * (len(members) - 1)
        units.append((members, width, max(member.h for member in members)))
    return units


def _shelf_pack(units: list[Unit], gap: int) -> tuple[list[tuple[Unit, int, int]], int, int]:
    """Shelf packing, tallest first (ties by order), rows about as wide as the total is tall."""
    if not units:
        return [], 0, 0
    area = sum((w + gap) * (h + gap) for _, w, h in units)
    limit = max(max(w for _, w, _ in units), math.sqrt(area) * 1.4)
    ordered = [units[0]] if not units[0][0] else []
    rest = units[len(ordered) :]
    ordered += sorted(rest, key=lambda unit: -unit[2])  # stable sort keeps key order on ties
    placements: list[tuple[Unit, int, int]] = []
    x = y = row_h = width = 0
    for unit in ordered:
        _, w, h = unit
        if x > 0 and x + w > limit:
            y += row_h + gap
            x = row_h = 0
        placements.append((unit, x, y))
        x += w + gap
        row_h = max(row_h, h)
        width = max(width, x - gap)
    return placements, width, y + row_h


def _place(tree: GroupTree, x: int, y: int) -> None:
    """Top-down: absolute positions of groups and the origin of the items grid."""
    tree.x, tree.y = x, y
    inner_x, inner_y = (x, y) if tree.depth == 0 else (x + PAD, y + HEADER)
    for (members, _, _), ux, uy in tree.placements:
        if not members:
            tree.items_x, tree.items_y = inner_x + ux, inner_y + uy
            continue
        cursor = inner_x + ux
        for member in members:
            _place(member, cursor, inner_y + uy)
            cursor += member.w + GAP


def _walk(tree: GroupTree) -> Iterable[GroupTree]:
    yield tree
    for child in tree.children:
        yield from _walk(child)


def _collect(tree: GroupTree, graph: Graph, autoconnect: bool) -> Layout:
    taken: set[str] = set()
    nodes: list[PlacedNode] = []
    groups: list[PlacedGroup] = []
    anchors: dict[str, Anchor] = {}
    group_ids: dict[tuple[str, ...], str] = {}
    for group in _walk(tree):
        gid = element_id("g-", "/".join(group.path), taken) if group.depth else None
        ids = []
        for index, node in enumerate(group.items):
            nid = element_id("r-", node.key, taken)
            col, row = index % group.cols, index // group.cols
            nx, ny = group.items_x + col * CELL + OFFSET, group.items_y + row * CELL + OFFSET
            nodes.append(PlacedNode(node, nid, nx, ny, gid))
            anchors[node.key] = (nid, (nx + BLOCK / 2, ny + BLOCK / 2), (nx - OFFSET, ny - OFFSET))
            ids.append(nid)
        if gid is None:
            continue
        group_ids[group.path] = gid
        groups.append(_placed_group(group, gid, group_ids.get(group.path[:-1]), ids))
        if group.node is not None:
            anchors[group.node.key] = (gid, (group.x + 2, group.y + 1), None)
    edges = _route_edges(graph.edges, anchors) if autoconnect else ()
    if edges and ROUTE_AROUND:
        edges = _around_containers(edges, nodes, groups, (tree.w, tree.h))
    return Layout(tuple(nodes), tuple(groups), edges, tree.w, tree.h)


def _around_containers(
    edges: tuple[PlacedEdge, ...],
    nodes: list[PlacedNode],
    groups: list[PlacedGroup],
    size: tuple[int, int],
) -> tuple[PlacedEdge, ...]:
    """Parallel edges bundled (``bundling``), the others rerouted round the containers they do
    not belong to (``routing``)."""
    boxes = [Box(g.id, g.x, g.y, g.w, g.h, g.parent) for g in groups]
    home: dict[str, str | None] = {n.id: n.group for n in nodes}
    home.update({g.id: g.id for g in groups})
    bundled: dict[str, PlacedEdge] = {}
    if BUNDLE:
        slots: dict[str, Slot] = {
            n.id: (n.x - OFFSET, n.y - OFFSET, n.x - OFFSET + CELL, n.y - OFFSET + CELL)
            for n in nodes
        }
        bundled = bundle_edges(edges, boxes, home, slots, size)
    rest = route_around([e for e in edges if e.id not in bundled], boxes, home)
    routed = {edge.id: edge for edge in rest} | bundled
    return tuple(routed[edge.id] for edge in edges)


def _placed_group(group: GroupTree, gid: str, parent: str | None, ids: list[str]) -> PlacedGroup:
    return PlacedGroup(
        id=gid,
        kind=group.kind,
        key=group.key,
        label=group.label,
        x=group.x,
        y=group.y,
        w=group.w,
        h=group.h,
        depth=group.depth,
        parent=parent,
        node=group.node,
        node_ids=tuple(ids),
    )


def _route_edges(edges: Sequence[Edge], anchors: dict[str, Anchor]) -> tuple[PlacedEdge, ...]:
    seen: set[tuple[str, str, str]] = set()
    taken: set[str] = set()
    routed: list[PlacedEdge] = []
    for edge in sorted(edges, key=lambda e: (e.source, e.target, e.kind)):
        source, target = anchors.get(edge.source), anchors.get(edge.target)
        triple = (edge.source, edge.target, edge.kind)
        if source is None or target is None or source[0] == target[0] or triple in seen:
            continue
        seen.add(triple)
        eid = element_id("e-", "|".join(triple), taken)
        points = _orthogonal(source[1], target[1], source[2], target[2])
        routed.append(PlacedEdge(eid, source[0], target[0], triple[2], points))
    return tuple(routed)


def _orthogonal(
    start: Point, end: Point, start_slot: tuple[int, int] | None, end_slot: tuple[int, int] | None
) -> tuple[Point, ...]:
    """Leave the source down into the gap row under its slot, run along gaps, enter sideways."""
    (sx, sy), (tx, ty) = start, end
    gap_y = start_slot[1] + CELL if start_slot is not None else sy
    if end_slot is not None:
        gap_x: float = end_slot[0] if tx >= sx else end_slot[0] + CELL
    else:
        gap_x = tx
    raw = [(sx, sy), (sx, gap_y), (gap_x, gap_y), (gap_x, ty), (tx, ty)]
    points: list[Point] = [raw[0]]
    for point in raw[1:]:
        if point != points[-1]:
            points.append(point)
    return tuple(_drop_collinear(points))


def _drop_collinear(points: list[Point]) -> list[Point]:
    kept = [points[0]]
    for index in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[-1], points[index], points[index + 1]
        if (ax == bx == cx) or (ay == by == cy):
            continue
        kept.append(points[index])
    if len(points) > 1:
        kept.append(points[-1])
    return kept
