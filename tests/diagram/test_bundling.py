"""Parallel edges between two containers share one trunk and fan out only at their ends."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from cloudcanvas.diagram import Layout, RenderOptions, group_by_levels, render
from cloudcanvas.diagram.bundling import bundle_edges
from cloudcanvas.diagram.export import MX_UNIT
from cloudcanvas.diagram.layout import PlacedEdge
from cloudcanvas.diagram.routing import Box, BoxIndex, crossed
from cloudcanvas.diagram.svg import project_for
from tests import mxgraph
from tests.diagram.crossings import crossing_counts, layout_with
from tests.diagram.synthetic import build_graph

Point = tuple[float, float]
Segment = tuple[Point, Point]

# A container of six blocks on the left, one target block in a container on the right.
SOURCE = Box("g-source", 0, 0, 20, 30, None)
TARGET = Box("g-target", 40, 5, 10, 10, None)
WALL = Box("g-wall", 28, 3, 4, 50, None)  # unrelated, between the two, lower than both


def _segments(points: tuple[Point, ...]) -> set[Segment]:
    return {(min(a, b), max(a, b)) for a, b in itertools.pairwise(points)}


def _covered(segment: Segment, path: tuple[Point, ...]) -> bool:
    """Whether ``segment`` lies along some run of ``path`` (shared runs may be longer)."""
    (ax, ay), (bx, by) = segment
    for (px, py), (qx, qy) in itertools.pairwise(path):
        if ax == bx == px == qx and min(py, qy) <= min(ay, by) and max(ay, by) <= max(py, qy):
            return True
        if ay == by == py == qy and min(px, qx) <= min(ax, bx) and max(ax, bx) <= max(px, qx):
            return True
    return False


def test_edges_from_one_container_to_one_block_share_their_middle_run() -> None:
    slots = {
        f"r-{i}": (5.0 * (i % 3), 5.0 * (i // 3) + 5, 5.0 * (i % 3) + 5, 5.0 * (i // 3) + 10)
        for i in range(6)
    }
    slots["r-t"] = (42.0, 7.0, 47.0, 12.0)
    home: dict[str, str | None] = {key: "g-source" for key in slots} | {"r-t": "g-target"}
    edges = [
        PlacedEdge(f"e-{i}", f"r-{i}", "r-t", "backend", ((x0 + 2.5, y0 + 2.5), (44.5, 9.5)))
        for i, (x0, y0, _, _) in ((i, slots[f"r-{i}"]) for i in range(6))
    ]
    bundled = bundle_edges(edges, [SOURCE, TARGET], home, slots, (60.0, 40.0))
    assert sorted(bundled) == [edge.id for edge in edges]
    paths = [bundled[edge.id].points for edge in edges]
    # The run across the gap between the two containers is the same for all six.
    # (the channels one unit outside each container: x = 21 and x = 39).
    (y,) = {a[1] for a, b in _segments(paths[0]) if a[1] == b[1] and a[0] <= 21 and b[0] >= 39}
    assert all(_covered(((21.0, y), (39.0, y)), path) for path in paths), paths
    for edge, path in zip(edges, paths, strict=True):
        assert path[0] == edge.points[0] and path[-1] == edge.points[-1]
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(path))


def _through_wall(count: int) -> tuple[list[PlacedEdge], dict[str, PlacedEdge]]:
    """``count`` edges from SOURCE to TARGET with an unrelated container standing between."""
    slots = {f"r-{i}": (5.0 * i, 5.0, 5.0 * i + 5, 10.0) for i in range(count)}
    slots |= {
        f"t-{i}": (40.0 + 5 * (i % 2), 5.0 * (i // 2) + 5, 45.0 + 5 * (i % 2), 5.0 * (i // 2) + 10)
        for i in range(count)
    }
    home: dict[str, str | None] = {f"r-{i}": "g-source" for i in range(count)}
    home |= {f"t-{i}": "g-target" for i in range(count)}
    edges = [
        PlacedEdge(
            f"e-{i}",
            f"r-{i}",
            f"t-{i}",
            "uses",
            ((5.0 * i + 2.5, 7.5), (slots[f"t-{i}"][0] + 2.5, slots[f"t-{i}"][1] + 2.5)),
        )
        for i in range(count)
    ]
    return edges, bundle_edges(edges, [SOURCE, TARGET, WALL], home, slots, (60.0, 70.0))


def test_two_edges_do_not_share_a_detour_but_three_do() -> None:
    # Two: the bundle is given up (each edge is routed on its own by routing.route_around).
    assert _through_wall(2)[1] == {}
    edges, bundled = _through_wall(3)
    paths = [bundled[edge.id].points for edge in edges]
    # The three go round the wall on one run.
    (past,) = [(a, b) for a, b in _segments(paths[0]) if a[1] == b[1] and a[0] < 28 < 32 < b[0]]
    assert not WALL.y < past[0][1] < WALL.y + WALL.h
    assert all(_covered(past, path) for path in paths[1:]), paths
    index = BoxIndex([SOURCE, TARGET, WALL])
    related = frozenset({"g-source", "g-target"})
    assert all(crossed(path, index, related) == [] for path in paths)


def _bundles(lay: Layout) -> dict[tuple[str, str], list[PlacedEdge]]:
    """Edges of the estate grouped by (VNet, services group beside it): the generator's VMs'
    disks and private endpoints' targets sit there."""
    home = {node.id: node.group for node in lay.nodes}
    kinds = {group.id: group.kind for group in lay.groups}
    found: dict[tuple[str, str], list[PlacedEdge]] = defaultdict(list)
    for edge in lay.edges:
        source, target = home.get(edge.source), home.get(edge.target)
        if source and target and kinds[source] == "vnet" and kinds[target] == "services":
            found[(source, target)].append(edge)
    return found


@pytest.mark.parametrize("projection", ["2d", "isometric"])
def test_generated_estate_vnet_to_services_edges_run_on_one_trunk(projection: str) -> None:
    lay = layout_with(build_graph(400), RenderOptions(projection=projection))
    groups = {group.id: group for group in lay.groups}
    bundles = {key: edges for key, edges in _bundles(lay).items() if len(edges) >= 4}
    assert len(bundles) >= 3
    for (vnet, services), edges in bundles.items():
        a, b = groups[vnet], groups[services]
        assert a.x + a.w <= b.x  # the services ride beside their VNet, on its right
        # Every member crosses the gap between the two on one shared run.
        crossing = [
            s
            for s in _segments(edges[0].points)
            if s[0][1] == s[1][1] and s[0][0] <= a.x + a.w + 1 and s[1][0] >= b.x - 1
        ]
        assert len(crossing) == 1, edges[0].points
        # From the channel one unit outside the VNet to the one outside the services group.
        trunk = ((a.x + a.w + 1, crossing[0][0][1]), (b.x - 1, crossing[0][0][1]))
        assert all(_covered(trunk, edge.points) for edge in edges), [e.points for e in edges]


@pytest.mark.parametrize("grouping", ["infrastructure", "network"])
def test_bundling_adds_no_crossings(grouping: str) -> None:
    graph = build_graph(1000)
    opts = RenderOptions(group_by=group_by_levels(grouping))
    plain, bundled = layout_with(graph, opts, bundle=False), layout_with(graph, opts)
    edges, pairs_before, boxes_before = crossing_counts(plain)
    edges_after, pairs_after, boxes_after = crossing_counts(bundled)
    assert edges_after == edges > 500
    assert pairs_after < pairs_before * 0.8, (pairs_before, pairs_after)
    assert boxes_after <= boxes_before and boxes_after < edges * 0.1, (boxes_before, boxes_after)
    moved = sum(a.points != b.points for a, b in zip(plain.edges, bundled.edges, strict=True))
    assert moved > 200  # the bundles were there


@pytest.mark.parametrize("grouping", ["infrastructure", "network", "resourcegroup"])
def test_routes_stay_in_the_drawing_and_end_at_their_blocks(grouping: str) -> None:
    lay = layout_with(build_graph(600), RenderOptions(group_by=group_by_levels(grouping)))
    centres = {node.id: (node.x + 1.0, node.y + 1.0) for node in lay.nodes}
    centres.update({group.id: (group.x + 2.0, group.y + 1.0) for group in lay.groups})
    for edge in lay.edges:
        assert edge.points[0] == centres[edge.source] and edge.points[-1] == centres[edge.target]
        assert all(0 <= x <= lay.width and 0 <= y <= lay.height for x, y in edge.points)
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(edge.points))


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("projection", ["2d", "isometric"])
def test_svg_and_drawio_draw_the_bundled_points(projection: str) -> None:
    graph, opts = build_graph(150), RenderOptions(projection=projection)
    lay = layout_with(graph, opts)
    edge = max((e for es in _bundles(lay).values() for e in es), key=lambda e: len(e.points))
    assert edge.kind == "attached"  # drawn as one solid path
    project = project_for(opts)
    svg = ET.fromstring(render(graph, "svg", opts))
    path = next(p for p in svg.iter("{http://www.w3.org/2000/svg}path") if p.get("id") == edge.id)
    drawn = _numbers(path.get("d") or "")
    expected = [round(c) for point in edge.points for c in project(*point)]
    assert [round(v) for v in drawn] == expected
    cells = mxgraph.cells(render(graph, "mxGraph", opts))
    waypoints = cells[edge.id].cell.findall("mxGeometry/Array/mxPoint")
    assert [(float(p.get("x") or ""), float(p.get("y") or "")) for p in waypoints] == [
        (x * MX_UNIT, y * MX_UNIT) for x, y in edge.points[1:-1]
    ]
    assert "orthogonalEdgeStyle" not in (cells[edge.id].get("style") or "")
