"""The cost layer in every export format (the diagram package, given plain cost data): cost on
each block, totals per group, a colour scale, a budget panel; JSON carries cost per resource and
per group. Names stay escaped; without the option nothing changes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from cloudcanvas.diagram import Graph, Node, RenderOptions, layout, render
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.costlayer import BAND_COLORS, CostData, band_of, money, summarize
from tests.diagram.synthetic import build_graph

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onload="x'


@pytest.fixture(scope="module")
def graph() -> Graph:
    base = build_graph(60)
    drawn = {placed.node.key for placed in layout(base, RenderOptions()).nodes}
    nodes = list(base.nodes)
    first = next(i for i, node in enumerate(nodes) if node.key in drawn)
    nodes[first] = replace(nodes[first], name=HOSTILE + nodes[first].name)
    return Graph(nodes)


@pytest.fixture(scope="module")
def blocks(graph: Graph) -> list[Node]:
    """The nodes drawn as blocks (not as containers), the hostile one first."""
    drawn = {placed.node.key for placed in layout(graph, RenderOptions()).nodes}
    found = [node for node in graph.nodes if node.key in drawn]
    assert found[0].name.startswith(HOSTILE)
    return found


@pytest.fixture(scope="module")
def cost(blocks: list[Node]) -> CostData:
    amounts = {node.key: float(10 * (index + 1)) for index, node in enumerate(blocks[:20])}
    amounts[blocks[0].key] = 5000.0  # the dearest, with the hostile name
    return CostData.of(
        amounts,
        currency="EUR",
        period="m",
        usage=[blocks[30].key],
        unpriced=3,
        note="Prices as of 2026-12-05 (Azure Retail Prices API)",
    )


def test_money_and_bands() -> None:
    assert money(1234.5, "USD", "m") == "$1,234.50/mo"
    assert money(1234.5, "JPY", "y") == "¥1,234/yr"
    assert money(3, "CHF") == "3.00 CHF"
    band = band_of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert [band(v) for v in (1, 3, 5, 7, 10)] == [0, 1, 2, 3, 4]
    assert band_of([])(5) == 0


def test_totals_per_group_add_up_what_is_inside(
    graph: Graph, blocks: list[Node], cost: CostData
) -> None:
    opts = RenderOptions(cost=cost)
    lay = layout(graph, opts)
    summary = summarize(lay, cost)
    assert summary.total == pytest.approx(sum(dict(cost.amounts).values()))
    top_level = [g for g in lay.groups if g.parent is None]
    assert sum(summary.group_cost[g.id] for g in top_level) == pytest.approx(summary.total)
    assert summary.top[0] == (blocks[0].name, blocks[0].component, 5000.0)
    regions = summary.dimensions["region"]
    assert sum(regions.values()) == pytest.approx(summary.total)
    assert set(summary.dimensions) == {"region", "vnet", "resourceGroup", "subscription"}


@pytest.mark.parametrize("projection", ["isometric", "2d"])
def test_svg_has_costs_group_totals_scale_and_panel(
    graph: Graph, blocks: list[Node], cost: CostData, projection: str
) -> None:
    plain = render(graph, "svg", RenderOptions(projection=projection)).decode()
    data = render(graph, "svg", RenderOptions(projection=projection, cost=cost)).decode()
    assert "cost-layer" not in plain
    root = ET.fromstring(data)  # the hostile name did not break the document
    assert "<script" not in data
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    layer = groups["cost-layer"]
    assert layer.get("data-currency") == "EUR" and float(layer.get("data-total")) == 5000 + sum(
        10 * (i + 1) for i in range(1, 20)
    )
    labels = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cost-label"]
    priced = [g for g in labels if g.get("data-band") != "usage"]
    assert len(priced) == 20 and len(labels) == 21
    dearest = next(g for g in labels if g.get("data-key") == blocks[0].key)
    assert dearest.find(f"{SVG}text").text == "€5,000.00/mo"
    assert dearest.find(f"{SVG}rect").get("fill") == BAND_COLORS[4]
    assert {g.find(f"{SVG}rect").get("fill") for g in priced} == set(BAND_COLORS)
    totals = [t for t in root.iter(f"{SVG}text") if t.get("class") == "cost-group"]
    assert totals and all(t.text.startswith("Σ €") for t in totals)
    panel = groups["cost-panel"]
    texts = [t.text for t in panel.iter(f"{SVG}text")]
    assert texts[0] == "Estimated cost per month (EUR)"
    assert "Prices as of 2026-12-05 (Azure Retail Prices API)" in texts
    assert "+ 1 usage-based, 3 unpriced" in texts
    assert "Top resources" in texts and texts[texts.index("Top resources") + 1].startswith(
        HOSTILE[:10]
    )
    # The panel sits right of the drawing, inside a wider frame.
    assert float(root.get("width")) > float(ET.fromstring(plain).get("width"))


def _ink_of(png: bytes, color: str) -> int:
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = {color: count for count, color in image.getcolors(maxcolors=1 << 24) or []}
    return counts.get(rgb, 0)


def test_png_paints_the_scale_and_the_panel(graph: Graph, cost: CostData) -> None:
    plain = render(graph, "png", RenderOptions(projection="2d"))
    painted = render(graph, "png", RenderOptions(projection="2d", cost=cost))
    assert Image.open(io.BytesIO(painted)).width > Image.open(io.BytesIO(plain)).width
    for color in BAND_COLORS:  # every band on blocks and in the legend
        assert _ink_of(painted, color) > _ink_of(plain, color) + 20, color


def test_pdf_holds_the_panel_text(graph: Graph, cost: CostData) -> None:
    pdf = render(graph, "pdf", RenderOptions(cost=cost, paper_size="A3"))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Estimated cost per month (EUR)" in text and "Top resources" in text
    assert "€5,000.00" in text


def test_json_carries_cost_per_resource_and_per_group(
    graph: Graph, blocks: list[Node], cost: CostData
) -> None:
    plain = json.loads(render(graph, "json"))["data"]
    data = json.loads(render(graph, "json", RenderOptions(cost=cost)))["data"]
    assert "cost" not in plain and all("cost" not in n for n in plain["nodes"])
    by_id = {n["resourceId"]: n["cost"] for n in data["nodes"]}
    assert by_id[blocks[0].resource_id] == {"amount": 5000.0, "status": "priced"}
    assert by_id[blocks[30].resource_id] == {"amount": None, "status": "usage-based"}
    assert by_id[blocks[50].resource_id]["status"] == "unpriced"
    summary = data["cost"]
    assert summary["currency"] == "EUR" and summary["period"] == "m"
    assert summary["total"] == pytest.approx(5000 + sum(10 * (i + 1) for i in range(1, 20)))
    assert sum(summary["groups"]["subscription"].values()) == pytest.approx(summary["total"])
    assert all("cost" in g for g in data["groups"])
    top_level = [g["cost"] for g in data["groups"] if g["parent"] is None]
    assert sum(top_level) == pytest.approx(summary["total"])
    # Each group's total is what it holds: its blocks, its sub-groups (and its own resource).
    # groupBy=network repeats group keys under different parents (subnets named alike).
    data = json.loads(
        render(graph, "json", RenderOptions(cost=cost, group_by=("region", "vnet", "subnet")))
    )["data"]
    node_cost = {n["id"]: n["cost"]["amount"] or 0.0 for n in data["nodes"]}
    amounts = dict(cost.amounts)
    assert len({g["key"] for g in data["groups"]}) < len(data["groups"])

    def held(group: dict[str, Any]) -> float:
        own = amounts.get(group.get("resourceId", "").lower(), 0.0)
        children = [g for g in data["groups"] if g["parent"] == group["id"]]
        return own + sum(node_cost[n] for n in group["nodes"]) + sum(map(held, children))

    for group in data["groups"]:
        assert group["cost"] == pytest.approx(held(group), abs=0.011), group["name"]


def test_mxgraph_labels_strokes_group_totals_and_panel(
    graph: Graph, blocks: list[Node], cost: CostData
) -> None:
    xml = render(graph, "mxGraph", RenderOptions(cost=cost)).decode()
    root = ET.fromstring(xml)
    objects = {o.get("resourceId"): o for o in root.iter("object")}
    dearest = objects[blocks[0].resource_id]
    assert dearest.get("label").endswith("\n€5,000.00/mo") and dearest.get("cost") == "5000.00"
    assert f"strokeColor={BAND_COLORS[4]}" in dearest.find("mxCell").get("style")
    assert objects[blocks[30].resource_id].get("cost") == "usage-based"
    labels = [c.get("value") or "" for c in root.iter("mxCell")]
    assert any(" · Σ €" in label for label in labels)
    panel = next(c for c in root.iter("mxCell") if c.get("id") == "cost-panel")
    assert panel.get("value").startswith("Estimated cost per month (EUR)\nTotal €")


def test_a_blueprint_document_prices_its_nodes_by_resource_id(cost: CostData) -> None:
    document = {
        "name": "bp",
        "nodes": [
            {"id": "a", "type": "azurevm", "mapPos": [0, 0], "name": "vm",
             "resourceId": dict(cost.amounts).popitem()[0].upper()},
            {"id": "b", "type": "azurevm", "mapPos": [4, 0], "name": "drawn"},
        ],
        "groups": [], "custom": 1,
    }  # fmt: skip
    data = json.loads(render_document(document, "json", RenderOptions(cost=cost)))
    assert data["nodes"][0]["cost"]["status"] == "priced"
    assert data["nodes"][1]["cost"] == {"amount": None, "status": "unpriced"}
    assert data["custom"] == 1 and "cost" not in document["nodes"][0]  # the input is unchanged
    svg = render_document(document, "svg", RenderOptions(cost=cost)).decode()
    assert 'class="cost-panel"' in svg and "€" in svg
    assert render_document(document, "png", RenderOptions(cost=cost)).startswith(b"\x89PNG")


def test_a_blueprints_groups_total_the_blocks_drawn_inside_them() -> None:
    document = {
        "nodes": [
            {"id": "a", "type": "azurevm", "mapPos": [2, 2], "resourceId": "/x/a"},
            {"id": "b", "type": "azurevm", "mapPos": [12, 2], "resourceId": "/x/b"},
            {"id": "c", "type": "azurevm", "mapPos": [40, 40], "resourceId": "/x/c"},
        ],
        "groups": [
            {"id": "outer", "kind": "region", "name": "eastus", "mapPos": [0, 0],
             "mapSize": [30, 20]},
            {"id": "inner", "kind": "vnet", "name": "vnet", "mapPos": [10, 0],
             "mapSize": [10, 10]},
        ],
    }  # fmt: skip
    cost = CostData.of({"/x/a": 1.0, "/x/b": 10.0, "/x/c": 100.0})
    data = json.loads(render_document(document, "json", RenderOptions(cost=cost)))
    assert data["cost"]["total"] == 111.0
    assert [g["cost"] for g in data["groups"]] == [11.0, 10.0]
    svg = ET.fromstring(render_document(document, "svg", RenderOptions(cost=cost)))
    totals = {t.get("data-cost") for t in svg.iter(f"{SVG}text") if t.get("class") == "cost-group"}
    assert totals == {"11.00", "10.00"}


def test_a_blueprint_group_id_full_of_markup_stays_an_attribute() -> None:
    document = {
        "nodes": [{"id": "a", "type": "azurevm", "mapPos": [2, 2], "resourceId": "/x/a"}],
        "groups": [{"id": HOSTILE, "kind": "region", "name": "r", "mapPos": [0, 0],
                    "mapSize": [10, 10]}],
    }  # fmt: skip
    svg = ET.fromstring(
        render_document(document, "svg", RenderOptions(cost=CostData.of({"/x/a": 1.0})))
    )
    (total,) = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "cost-group"]
    assert total.get("data-cost") == "1.00"
    assert not any(el.tag.endswith("script") for el in svg.iter())
