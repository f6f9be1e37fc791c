"""Edges go round the containers they do not belong to, and parallel edges share a trunk."""

from __future__ import annotations

import itertools

from cloudcanvas.diagram import Graph, RenderOptions, layout
from cloudcanvas.diagram.layout import PlacedEdge
from cloudcanvas.diagram.routing import (
    Box,
    BoxIndex,
    crossed,
    route_around,
    segment_crosses,
)
from tests.diagram.crossings import container_crossings, layout_with
from tests.diagram.synthetic import build_graph

# Two blocks in their own containers, an unrelated container right between them.
LEFT = Box("g-left", 0, 0, 10, 10, None)
RIGHT = Box("g-right", 40, 0, 10, 10, None)
MIDDLE = Box("g-middle", 20, -5, 10, 20, None)
HOME: dict[str, str | None] = {"r-a": "g-left", "r-b": "g-right"}


def _straight(source: str = "r-a", target: str = "r-b", y: float = 5.0) -> PlacedEdge:
    return PlacedEdge(f"e-{source}-{target}", source, target, "uses", ((5.0, y), (45.0, y)))


def test_an_edge_goes_round_an_unrelated_container_between_its_blocks() -> None:
    edge = _straight()
    assert segment_crosses(edge.points[0], edge.points[1], MIDDLE)
    (routed,) = route_around([edge], [LEFT, RIGHT, MIDDLE], HOME)
    assert routed.points[0] == edge.points[0] and routed.points[-1] == edge.points[-1]
    index = BoxIndex([LEFT, RIGHT, MIDDLE])
    assert crossed(routed.points, index, frozenset({"g-left", "g-right"})) == []
    for a, b in zip(routed.points, routed.points[1:], strict=False):
        assert a[0] == b[0] or a[1] == b[1]  # orthogonal


def test_an_edge_may_cross_its_own_containers() -> None:
    # The middle container is the target's parent: no detour.
    inner = Box("g-right", 40, 0, 10, 10, "g-middle")
    wide = Box("g-middle", 20, -5, 40, 20, None)
    (routed,) = route_around([_straight()], [LEFT, inner, wide], HOME)
    assert routed.points == _straight().points


def _segments(points: tuple[tuple[float, float], ...]) -> set[tuple[tuple[float, float], ...]]:
    return {tuple(sorted(pair)) for pair in itertools.pairwise(points)}


def test_parallel_edges_round_one_container_share_a_trunk() -> None:
    tall = Box("g-middle", 20, -5, 10, 60, None)  # the way round is over the top
    edges = [
        PlacedEdge(f"e-{y}", f"r-{y}", "r-b", "uses", ((5.0, y), (45.0, y)))
        for y in (2.0, 5.0, 8.0)
    ]
    home: dict[str, str | None] = {f"r-{y}": "g-left" for y in (2.0, 5.0, 8.0)} | {"r-b": "g-right"}
    routed = route_around(edges, [LEFT, RIGHT, tall], home)
    shared = set.intersection(*(_segments(edge.points) for edge in routed))
    assert shared, [edge.points for edge in routed]
    (trunk,) = [seg for seg in shared if seg[0][1] == seg[1][1]]  # one horizontal run for all
    assert trunk[0][1] < tall.y  # over the container, not through it


def _crossings(routed: bool) -> tuple[int, int]:
    lay = layout_with(build_graph(1000), RenderOptions(), route_around=routed)
    return container_crossings(lay), len(lay.edges)


def test_generated_estate_edges_mostly_avoid_unrelated_containers() -> None:
    before, edges = _crossings(False)
    after, _ = _crossings(True)
    assert edges > 300 and before > 50
    assert after * 5 <= before, (before, after)


def test_empty_graph_routes_nothing() -> None:
    assert layout(Graph(nodes=(), edges=()), RenderOptions()).edges == ()
