"""Parallel edges bundled: edges leaving one container for another share one trunk.

Two edges are parallel when they leave the same container for the same other one, both met
under the containers' lowest common group (the VMs of a VNet to their disks in the services group
beside it, the private endpoints of a spoke to the PaaS they link, many NICs to one load balancer
of another subnet). Each member then runs, from its block, down into the gap row under its slot
and along it to a channel just outside its container on the side facing the other one (its leg);
along that channel to one port; from there on a trunk, shared by all members, to the port of the
other container; and out along that container's channel and the target's own leg. Legs and the
trunk are routed round unrelated containers like any edge (``routing.best_route``). A member
whose bundled path would cross more unrelated containers than its own routed path, or leave the
drawing, is routed on its own. Isometric drawings project the same points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cloudcanvas.diagram.routing import (
    CHANNEL,
    Box,
    BoxIndex,
    Point,
    ancestry,
    clean,
    counted_route,
    crossed,
)

if TYPE_CHECKING:
    from cloudcanvas.diagram.layout import PlacedEdge

MIN_BUNDLE = 2  # parallel edges from which a trunk is shared between neighbours
MIN_DETOUR = 3  # ... and from which it is worth a trunk that goes round other containers
Slot = tuple[float, float, float, float]  # a block's slot: left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Scene:
    """What bundling needs of a layout: containers, where each element sits, the drawing's size."""

    boxes: dict[str, Box]
    parents: dict[str, str | None]
    index: BoxIndex
    home: dict[str, str | None]  # element id → its innermost group (a group: itself)
    slots: dict[str, Slot]  # resource element id → its slot
    size: tuple[float, float]

    def related(self, *elements: str | None) -> frozenset[str]:
        found: set[str] = set()
        for element in elements:
            found |= ancestry(self.home.get(element) if element else None, self.parents)
        return frozenset(found)


def bundle_edges(
    edges: Sequence[PlacedEdge],
    boxes: Sequence[Box],
    home: dict[str, str | None],
    slots: dict[str, Slot],
    size: tuple[float, float],
) -> dict[str, PlacedEdge]:
    """The edges that join a bundle, by id, with their bundled points (or, for a member better
    off alone, its own route round containers); the rest are left out."""
    parents = {box.id: box.parent for box in boxes}
    scene = Scene({b.id: b for b in boxes}, parents, BoxIndex(boxes), home, slots, size)
    bundles: dict[tuple[str, str], list[PlacedEdge]] = {}
    for edge in edges:
        if edge.source in slots and edge.target in slots:
            sides = _sides(home.get(edge.source), home.get(edge.target), parents)
            if sides is not None:
                bundles.setdefault(sides, []).append(edge)
    out: dict[str, PlacedEdge] = {}
    for (a, b), members in bundles.items():
        if len(members) >= MIN_BUNDLE:
            out.update(_bundle(scene, scene.boxes[a], scene.boxes[b], members))
    return out


def _sides(
    source: str | None, target: str | None, parents: dict[str, str | None]
) -> tuple[str, str] | None:
    """The outermost container of each end that does not hold the other end (two siblings)."""
    if source is None or target is None:
        return None
    source_chain, target_chain = _chain(source, parents), _chain(target, parents)
    shared = set(source_chain) & set(target_chain)
    own_source = [group for group in source_chain if group not in shared]
    own_target = [group for group in target_chain if group not in shared]
    if not own_source or not own_target:
        return None  # one end's container holds the other end: nothing to bundle across
    return own_source[-1], own_target[-1]


def _chain(start: str, parents: dict[str, str | None]) -> list[str]:
    chain: list[str] = []
    at: str | None = start
    while at is not None and at not in chain:
        chain.append(at)
        at = parents.get(at)
    return chain


def _facing(a: Box, b: Box) -> tuple[str, str] | None:
    """The sides of ``a`` and ``b`` that face each other, across the wider of the two gaps."""
    dx = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
    dy = max(b.y - (a.y + a.h), a.y - (b.y + b.h))
    if max(dx, dy) <= 0:
        return None
    if dx >= dy:
        return ("right", "left") if b.x > a.x else ("left", "right")
    return ("bottom", "top") if b.y > a.y else ("top", "bottom")


def _channel(box: Box, side: str) -> float:
    return {
        "right": box.x + box.w + CHANNEL,
        "left": box.x - CHANNEL,
        "bottom": box.y + box.h + CHANNEL,
        "top": box.y - CHANNEL,
    }[side]


def _leg(centre: Point, slot: Slot, box: Box, side: str) -> list[Point]:
    """From a block's centre along the gaps between slots to the channel beside its container."""
    _left, top, right, bottom = slot
    if side in ("left", "right"):  # down into the gap row under the slot, then along it
        return [centre, (centre[0], bottom), (_channel(box, side), bottom)]
    row = bottom if side == "bottom" else top  # into the gap column beside the slot, then along
    return [centre, (centre[0], row), (right, row), (right, _channel(box, side))]


def _along(point: Point, side: str) -> float:
    return point[1] if side in ("left", "right") else point[0]


def _port(side: str, channel: float, along: float) -> Point:
    return (channel, along) if side in ("left", "right") else (along, channel)


def _bundle(scene: Scene, a: Box, b: Box, members: list[PlacedEdge]) -> dict[str, PlacedEdge]:
    facing = _facing(a, b)
    if facing is None:
        return {}
    side_a, side_b = facing
    starts = [_leg(e.points[0], scene.slots[e.source], a, side_a) for e in members]
    ends = [_leg(e.points[-1], scene.slots[e.target], b, side_b) for e in members]
    values = sorted(_along(leg[-1], side_a) for leg in starts + ends)
    middle = values[(len(values) - 1) // 2]
    port_a = _port(side_a, _channel(a, side_a), _clamp(middle, starts, side_a))
    port_b = _port(side_b, _channel(b, side_b), _clamp(middle, ends, side_b))
    between = scene.related(a.parent)  # the trunk may cross no container below the two's parent
    direct = _trunk(port_a, port_b, side_a)
    if len(members) < MIN_DETOUR and crossed(direct, scene.index, between):
        return {}  # two far apart: a shared detour draws longer than their own lines
    path, count = counted_route(direct, scene.index, between)
    if count:
        return {}  # no clean way between the two: each member is routed on its own
    out: dict[str, PlacedEdge] = {}
    for edge, start, end in zip(members, starts, ends, strict=True):
        points = _member(scene, edge, start, path, end)
        out[edge.id] = replace(edge, points=points) if points != edge.points else edge
    return out


def _clamp(value: float, legs: list[list[Point]], side: str) -> float:
    along = [_along(leg[-1], side) for leg in legs]
    return min(max(value, min(along)), max(along))


def _trunk(port_a: Point, port_b: Point, side_a: str) -> list[Point]:
    """Straight when the ports line up, else a Z whose middle run sits halfway between them."""
    (ax, ay), (bx, by) = port_a, port_b
    if side_a in ("left", "right"):
        middle = (ax + bx) / 2
        return [port_a, (middle, ay), (middle, by), port_b]
    middle = (ay + by) / 2
    return [port_a, (ax, middle), (bx, middle), port_b]


def _member(
    scene: Scene,
    edge: PlacedEdge,
    start: list[Point],
    trunk: Sequence[Point],
    end: list[Point],
) -> tuple[Point, ...]:
    """One member's bundled points, or its own routed path when that one is the better.

    The runs along the channels join legs and trunk one unit outside the two containers, where
    the layout's gaps leave no other container, and the trunk crosses none: the legs' count is
    the path's.
    """
    related = scene.related(edge.source, edge.target)
    start_leg, start_count = counted_route(start, scene.index, related)
    end_leg, end_count = counted_route(end, scene.index, related)
    points = clean([*start_leg, *trunk, *reversed(end_leg)])
    count = start_count + end_count
    width, height = scene.size
    inside = all(0 <= x <= width and 0 <= y <= height for x, y in points)
    if inside and not count:
        return points
    own, own_count = counted_route(edge.points, scene.index, related)
    return points if inside and count <= own_count else own
