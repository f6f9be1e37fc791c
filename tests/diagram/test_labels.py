"""Names under the blocks never overlap one another: their boxes are measured with cairo's metrics
for the 9-unit sans-serif the renderers use (halo included) on generated estates, in both
projections and at every grouping preset."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cloudcanvas.diagram import Graph, RenderOptions, group_by_levels
from cloudcanvas.diagram.layout import layout
from cloudcanvas.diagram.svg import clip_middle, label_anchor, label_text
from tests.diagram.synthetic import build_graph

HALO = 1.25  # half the halo's stroke width
Box = tuple[float, float, float, float]


def _measure() -> Any:
    import cairocffi  # type: ignore[import-untyped]

    ctx = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 1, 1))
    ctx.select_font_face("sans-serif")
    ctx.set_font_size(9)
    return ctx


def long_named(n: int) -> Graph:
    """The generated estate with every other name long, as real estates name things
    (``vm-hr-prod-010-web89-1``): the worst case for neighbours sharing a baseline."""
    graph = build_graph(n)
    nodes = [
        replace(node, name=f"{node.name}-hr-prod-010-westeurope-{i}") if i % 2 else node
        for i, node in enumerate(graph.nodes)
    ]
    return replace(graph, nodes=nodes)


def label_boxes(opts: RenderOptions, graph: Graph) -> list[Box]:
    ctx = _measure()
    boxes = []
    for placed in layout(graph, opts).nodes:
        x, y = label_anchor(placed, opts)
        ext = ctx.text_extents(label_text(placed.node.name, opts))
        w = ext[4]
        boxes.append(
            (x - w / 2 - HALO, y + ext[1] - HALO, x + w / 2 + HALO, y + ext[1] + ext[3] + HALO)
        )
    return boxes


def collisions(boxes: list[Box]) -> int:
    """Pairs of label boxes that overlap (a sweep along x)."""
    count = 0
    ordered = sorted(boxes)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[0] >= a[2]:
                break
            if b[1] < a[3] and a[1] < b[3]:
                count += 1
    return count


@pytest.mark.parametrize("projection", ["2d", "isometric"])
@pytest.mark.parametrize("grouping", ["infrastructure", "network", "resourcegroup", "region"])
def test_no_label_overlaps_another(projection: str, grouping: str) -> None:
    opts = RenderOptions(projection=projection, group_by=group_by_levels(grouping))
    boxes = label_boxes(opts, long_named(600))
    assert len(boxes) > 400  # VNets (and subnets) are drawn as containers, not blocks
    assert collisions(boxes) == 0


def test_the_overlap_count_sees_overlaps() -> None:
    assert collisions([(0, 0, 10, 5), (9, 1, 20, 6), (30, 0, 40, 5)]) == 1
    assert collisions([(0, 0, 10, 5), (10, 0, 20, 5), (0, 6, 10, 9)]) == 0


def test_long_names_are_shortened_in_the_middle() -> None:
    one, two = "vm-hr-prod-010-web89-1", "vm-hr-prod-010-web89-2"
    assert clip_middle(one, 17) != clip_middle(two, 17)
    assert clip_middle(one, 17) == "vm-hr-pr…-web89-1" and len(clip_middle(one, 17)) == 17
    assert clip_middle("short", 17) == "short"


def test_a_shortened_name_keeps_its_full_name_on_hover() -> None:
    import xml.etree.ElementTree as ET

    from cloudcanvas.diagram import render

    svg = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(render(long_named(40), "svg", RenderOptions(projection="2d")))
    labels = {t.text for t in root.iter(f"{svg}text")}
    titles = {
        g.findtext(f"{svg}title") for g in root.iter(f"{svg}g") if g.get("class") == "resource"
    }
    long = {name for name in titles if name and len(name) > 16}
    assert long and not long & labels  # drawn shortened...
    assert {clip_middle(name, 16) for name in long} <= labels  # ...as the middle cut
