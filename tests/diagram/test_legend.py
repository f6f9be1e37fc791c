"""``legend=true``: the symbols a drawing holds, named, in a box under it, in every format."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from PIL import Image
from pypdf import PdfReader

from cloudcanvas.diagram import DiagramOptionsError, Graph, Node, RenderOptions, layout, render
from cloudcanvas.diagram.legend import entries, kinds_in, name_of, symbol_svg
from cloudcanvas.diagram.query import options_from_query
from tests.diagram.synthetic import build_graph

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(60)


@pytest.mark.parametrize("projection", ["2d", "isometric"])
def test_svg_lists_each_drawn_type_once(graph: Graph, projection: str) -> None:
    opts = RenderOptions(projection=projection, legend=True)
    root = ET.fromstring(render(graph, "svg", opts))
    (box,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    named = [
        str(t.get("data-component")) for t in box.iter(f"{SVG}text") if t.get("data-component")
    ]
    drawn = {p.node.component for p in layout(graph, opts).nodes}
    assert sorted(named) == sorted(drawn) and len(named) == len(set(named))
    assert "Virtual machine" in "".join(box.itertext())
    plain = ET.fromstring(render(graph, "svg", RenderOptions(projection=projection)))
    assert not [g for g in plain.iter(f"{SVG}g") if g.get("class") == "legend"]
    taller = float(root.get("viewBox").split()[3]) > float(plain.get("viewBox").split()[3])
    assert taller  # room was made under the drawing


def test_png_and_pdf_carry_it(graph: Graph) -> None:
    with_legend = Image.open(io.BytesIO(render(graph, "png", RenderOptions(legend=True))))
    without = Image.open(io.BytesIO(render(graph, "png", RenderOptions())))
    assert with_legend.size[1] > without.size[1]
    pdf = render(graph, "pdf", RenderOptions(legend=True, projection="2d"))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Legend" in text and "Virtual machine" in text


def test_names_and_markup() -> None:
    node = Node(
        key="/x/a", resource_id="/x/a", name="a", component='azure<b>"x', family="other",
        arm_type="t", location="eastus", subscription_id="s", resource_group="rg",
    )  # fmt: skip
    svg = render(Graph([node]), "svg", RenderOptions(legend=True)).decode()
    ET.fromstring(svg)  # still well-formed
    assert "<b>" not in svg
    assert name_of("azurepublicip") == "Public IP address"
    assert name_of("azurewidget") == "Widget"
    assert entries(layout(Graph([node]), RenderOptions())) == [('azure<b>"x', "other")]


def test_the_query_option() -> None:
    assert options_from_query({"legend": "true"}).legend is True
    assert options_from_query({}).legend is False
    with pytest.raises(DiagramOptionsError, match="legend"):
        options_from_query({"legend": "maybe"})


@pytest.mark.parametrize(
    "group_by", [("region", "vnet"), ("region", "vnet", "subnet"), ("region",)]
)
def test_kinds_count_what_the_layout_draws(graph: Graph, group_by: tuple[str, ...]) -> None:
    """The viewer's legend counts from the graph what the layout would draw: blocks as blocks,
    VNets and subnets grouped on as areas, with the filter applied."""
    for text in (None, "type=azurevm OR type=azuresubnet OR type=azurevnet"):
        opts = RenderOptions(group_by=group_by, filter=text)
        lay = layout(graph, opts)
        kinds = kinds_in(graph, opts)
        blocks = Counter(p.node.component for p in lay.nodes)
        areas = Counter(g.node.component for g in lay.groups if g.node is not None)
        assert {k.component: k.count for k in kinds if not k.area} == dict(blocks)
        assert {k.component: k.count for k in kinds if k.area} == dict(areas)
        # The blocks come in the export legend's order, then the areas.
        assert [(k.component, k.family) for k in kinds if not k.area] == entries(lay)
        assert all(k.area for k in kinds[len(blocks) :])


def test_kind_names_stay_text_and_symbols_hold_no_name() -> None:
    node = Node(
        key="/x/a", resource_id="/x/a", name="<i>a</i>", component="azure<b>x&amp;",
        family="other", arm_type="t", location="eastus", subscription_id="s", resource_group="rg",
    )  # fmt: skip
    (kind,) = kinds_in(Graph([node]), RenderOptions())
    assert kind.name == "<b>x&amp;" and kind.count == 1  # text, escaped where it is written
    for projection in ("isometric", "2d"):
        svg = symbol_svg(kind, RenderOptions(projection=projection), "cc-legend-0")
        ET.fromstring(svg)
        assert "<b>" not in svg and "<i>" not in svg and 'id="cc-legend-0"' in svg
