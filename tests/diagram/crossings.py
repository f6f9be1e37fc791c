"""Counting what makes a drawing hard to read: edges crossing edges, and edges crossing containers
they do not belong to. Shared by the routing tests and ``bench/render.py``."""

from __future__ import annotations

import importlib
from typing import Any

from cloudcanvas.diagram import Graph, Layout, RenderOptions, layout
from cloudcanvas.diagram.routing import Box, BoxIndex, ancestry, crossed, edge_crossings


def crossing_counts(lay: Layout) -> tuple[int, int, int]:
    """Edges, edge–edge crossings, edge–unrelated-container crossings of one layout."""
    return len(lay.edges), edge_edge_crossings(lay), container_crossings(lay)


def container_crossings(lay: Layout) -> int:
    """How many times an edge passes through a container holding neither of its ends."""
    boxes = [Box(g.id, g.x, g.y, g.w, g.h, g.parent) for g in lay.groups]
    parents = {b.id: b.parent for b in boxes}
    home: dict[str, str | None] = {n.id: n.group for n in lay.nodes}
    home.update({g.id: g.id for g in lay.groups})
    index = BoxIndex(boxes)
    containers = 0
    for edge in lay.edges:
        related = frozenset(
            ancestry(home.get(edge.source), parents) | ancestry(home.get(edge.target), parents)
        )
        containers += len(crossed(edge.points, index, related))
    return containers


def edge_edge_crossings(lay: Layout) -> int:
    """How many times two edges cross (swept by their extents, not every pair)."""
    spans = []
    for edge in lay.edges:
        xs, ys = [p[0] for p in edge.points], [p[1] for p in edge.points]
        spans.append((min(xs), max(xs), min(ys), max(ys), edge.points))
    spans.sort()
    pairs = 0
    for i, (_x0, x1, y0, y1, points) in enumerate(spans):
        for u0, _u1, v0, v1, other in spans[i + 1 :]:
            if u0 > x1:
                break
            if v0 <= y1 and v1 >= y0:
                pairs += edge_crossings(points, other)
    return pairs


def layout_with(
    graph: Graph, opts: RenderOptions, *, route_around: bool = True, bundle: bool = True
) -> Layout:
    """The layout with routing round containers and bundling switched as asked (then restored)."""
    module: Any = importlib.import_module("cloudcanvas.diagram.layout")
    module.ROUTE_AROUND, module.BUNDLE = route_around, bundle
    try:
        return layout(graph, opts)
    finally:
        module.ROUTE_AROUND, module.BUNDLE = True, True
