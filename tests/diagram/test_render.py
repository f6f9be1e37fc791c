"""Every format: it parses, carries every resource, escapes Azure's strings, holds no links."""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from cloudcanvas.diagram import (
    DiagramOptionsError,
    FilterError,
    Graph,
    RenderOptions,
    group_by_levels,
    render,
)
from cloudcanvas.diagram import svg as svg_module
from cloudcanvas.diagram.export import render_pdf
from cloudcanvas.diagram.layout import Layout
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.diagram.svg import frame
from tests import mxgraph
from tests.diagram.synthetic import build_graph

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(\'x\')</script>" onload="alert(1)" & \'q\' ]]> <a href="http://evil">'


def _hostile_graph() -> Graph:
    graph = build_graph(120)
    nodes = list(graph.nodes)
    for index in (0, 5, 30, 60):
        node = nodes[index]
        nodes[index] = replace(
            node,
            name=HOSTILE + node.name,
            resource_id=node.resource_id + '/<script>&"',
            tags={"<b onclick=x>": HOSTILE, **node.tags},
        )
    return Graph(nodes, graph.edges)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(150)


@pytest.mark.parametrize("projection", ["isometric", "2d"])
def test_svg_parses_and_every_resource_is_findable(graph: Graph, projection: str) -> None:
    root = ET.fromstring(render(graph, "svg", RenderOptions(projection=projection)))
    resources = [g for g in root.iter(f"{SVG}g") if g.get("class") == "resource"]
    ids = {g.get("data-resource-id") for g in resources}
    group_ids = {
        g.get("data-resource-id") for g in root.iter(f"{SVG}g") if g.get("class") == "group"
    }
    assert ids | group_ids >= {n.resource_id for n in graph.nodes}
    assert all(
        g.get("id", "").startswith("r-") and g.find(f"{SVG}title") is not None for g in resources
    )
    assert root.get("data-projection") == projection


def test_hostile_names_are_escaped_and_nothing_is_active() -> None:
    graph = _hostile_graph()
    for fmt in ("svg", "mxGraph"):
        data = render(graph, fmt, RenderOptions(title=HOSTILE)).decode()
        root = ET.fromstring(data)  # still well-formed XML
        assert "<script" not in data and "<a " not in data
        for element in root.iter():
            assert not element.tag.endswith(("script", "foreignObject", "a", "image"))
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), name
                if name.endswith("href"):
                    assert value.startswith("#"), value
        names = {el.text for el in root.iter(f"{SVG}title")} | {
            el.get("label") for el in root.iter("object")
        }
        assert any(name and name.startswith(HOSTILE) for name in names)
    blueprint = json.loads(render(graph, "json"))
    assert any(n["name"].startswith(HOSTILE) for n in blueprint["data"]["nodes"])
    svg = render(build_graph(120), "svg").decode()
    assert "url(" not in svg and 'href="http' not in svg and "<style" not in svg


def test_json_blueprint_carries_every_resource_id_exactly(graph: Graph) -> None:
    document = json.loads(render(graph, "json"))
    data = document["data"]
    ids = {n["resourceId"] for n in data["nodes"]} | {
        g["resourceId"] for g in data["groups"] if "resourceId" in g
    }
    assert ids == {n.resource_id for n in graph.nodes}
    node_ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in node_ids | {g["id"] for g in data["groups"]} for e in data["edges"])
    vm = next(n for n in data["nodes"] if n["type"] == "azurevm")
    assert set(vm) >= {"id", "type", "mapPos", "region", "resourceId", "name", "tags"}
    assert {g["type"] for g in data["groups"]} >= {"zone", "vnet"}
    assert document["name"] and data["version"]


def test_mxgraph_has_container_groups_and_attached_edges(graph: Graph) -> None:
    cells = mxgraph.cells(
        render(graph, "mxGraph", RenderOptions(group_by=("region", "vnet", "subnet")))
    )
    containers = {i for i, c in cells.items() if "container=1" in (c.get("style") or "")}
    vertices = [c for c in cells.values() if c.get("vertex") == "1" and c.id not in containers]
    assert containers and vertices
    assert all(c.get("parent") in containers for c in vertices)
    edges = [c for c in cells.values() if c.get("edge") == "1"]
    assert edges and all(cells[e.get("source") or ""].get("vertex") == "1" for e in edges)
    assert all(e.get("target") in cells for e in edges)
    # Every resource's shape carries its ARM id, type and region as draw.io shape data; the
    # VNets and subnets drawn as containers too.
    by_id = {c.data["resourceId"]: c for c in cells.values() if "resourceId" in c.data}
    assert {n.resource_id for n in graph.nodes} <= set(by_id)
    vm = next(n for n in graph.nodes if n.component == "azurevm")
    assert by_id[vm.resource_id].data == {
        "resourceId": vm.resource_id,
        "type": "azurevm",
        "region": vm.location,
    }
    assert by_id[vm.resource_id].label == vm.name
    assert any(c.id in containers for c in by_id.values())


def test_dashed_edges_are_drawn_in_short_pieces_that_carry_the_pattern_on() -> None:
    coords = [(0.0, 0.0), (1500.0, 0.0), (1500.0, 35.0), (-300.0, 35.0)]
    pieces = [ET.fromstring(p) for p in svg_module._dashed(coords, 10.0)]
    ends = [tuple(map(float, re.findall(r"-?[\d.]+", p.get("d") or ""))) for p in pieces]
    assert ends[0][:2] == coords[0] and ends[-1][2:] == coords[-1]
    assert all(a[2:] == b[:2] for a, b in itertools.pairwise(ends))  # they meet
    lengths = [math.hypot(x1 - x0, y1 - y0) for x0, y0, x1, y1 in ends]
    assert max(lengths) <= svg_module.DASH_PIECE and len(pieces) == 3 + 1 + 3
    run = 0.0
    for piece, length in zip(pieces, lengths, strict=True):
        assert float(piece.get("stroke-dashoffset") or 0) == pytest.approx(run % 10, abs=0.06)
        run += length

    graph = build_graph(400)
    root = ET.fromstring(render(graph, "svg"))
    dashed = [g for g in root.iter(f"{SVG}g") if g.get("data-kind") in svg_module.EDGE_DASH]
    assert dashed and all(g.get("stroke-dasharray") and g.get("data-from") for g in dashed)
    assert all(len(g) >= 1 and all(p.tag == f"{SVG}path" for p in g) for g in dashed)


def test_png_and_pdf_signatures_sizes_and_paper() -> None:
    from pypdf import PdfReader

    graph = build_graph(80)
    png = render(graph, "png", RenderOptions(width=640))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 640
    pdf = render(graph, "pdf", RenderOptions(paper_size="A4", landscape=False))
    assert pdf.startswith(b"%PDF")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    landscape = render(graph, "pdf", RenderOptions(paper_size="Letter", landscape=True))
    page = PdfReader(io.BytesIO(landscape)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (792, 612)
    assert "vm-app000-web-00" in page.extract_text()  # names stay searchable text


def _pdf_page(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_pdf_orientation_follows_the_drawing_unless_asked() -> None:
    graph = build_graph(80)
    wide = render(graph, "pdf", RenderOptions(paper_size="A4"))
    assert _pdf_page(wide) == (842, 595)  # the isometric drawing is wider than tall
    tall = Layout(nodes=(), groups=(), edges=(), width=200, height=900)
    two_d = RenderOptions(paper_size="A4", projection="2d")
    assert frame(tall, two_d).h > frame(tall, two_d).w
    assert _pdf_page(render_pdf(tall, two_d)) == (595, 842)
    assert _pdf_page(render_pdf(tall, replace(two_d, landscape=True))) == (842, 595)
    assert _pdf_page(render(graph, "pdf", RenderOptions(paper_size="A4", landscape=False))) == (
        595,
        842,
    )
    assert options_from_query({"landscape": "auto"}).landscape is None
    assert options_from_query({}).landscape is None
    assert options_from_query({"landscape": "false"}).landscape is False


def test_options_change_the_picture(graph: Graph) -> None:
    light = render(graph, "svg").decode()
    dark = render(graph, "svg", RenderOptions(theme="dark")).decode()
    assert light != dark and "#111923" in dark and "#111923" not in light
    assert (
        'class="background"' not in render(graph, "svg", RenderOptions(transparent=True)).decode()
    )
    assert 'class="grid"' not in render(graph, "svg", RenderOptions(grid=False)).decode()
    assert 'href="#labels"' not in render(graph, "svg", RenderOptions(label=False)).decode()
    assert 'class="edges"' not in render(graph, "svg", RenderOptions(autoconnect=False)).decode()
    sized = ET.fromstring(render(graph, "svg", RenderOptions(width=800, height=600)))
    assert (sized.get("width"), sized.get("height")) == ("800", "600")
    natural = ET.fromstring(render(graph, "svg"))
    doubled = ET.fromstring(render(graph, "svg", RenderOptions(scale=2)))
    assert int(doubled.get("width") or 0) == 2 * int(natural.get("width") or 0)


def test_same_graph_gives_byte_identical_output(graph: Graph) -> None:
    for fmt in ("svg", "json", "mxGraph"):
        assert render(graph, fmt) == render(Graph(list(reversed(graph.nodes)), graph.edges), fmt)


def test_bad_options_and_filters_are_bad_requests(graph: Graph) -> None:
    with pytest.raises(FilterError):
        render(graph, "svg", RenderOptions(filter="(web"))
    with pytest.raises(DiagramOptionsError):
        render(graph, "gif")
    for bad in (
        {"projection": "3d"},
        {"theme": "blue"},
        {"paper_size": "B5"},
        {"scale": 0},
        {"width": 10**6},
        {"group_by": ("region", "region")},
        {"group_by": ("zone",)},
    ):
        with pytest.raises(DiagramOptionsError):
            RenderOptions(**bad)
    assert group_by_levels("network") == ("region", "vnet", "subnet")
    assert group_by_levels("resourcegroup, vnet") == ("resourcegroup", "vnet")


def test_svg_uses_shared_symbols_so_it_stays_small() -> None:
    data = render(build_graph(2000), "svg").decode()
    assert data.count("<use ") >= 1900
    assert len(re.findall(r'<g id="c\d+"', data)) < 40
    assert len(data) / 2000 < 700  # bytes per resource
