"""Semantic zoom: summary tiles in place of each group's resources (level=overview), and the
resources of chosen groups drawn alone for the viewer."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from cloudcanvas.diagram import DiagramOptionsError, Graph, Node, RenderOptions, layout, render
from cloudcanvas.diagram.overview import (
    render_groups_svg,
    render_overview_svg,
    status_of,
    tile_lines,
    tile_name,
    tiles,
    worst_status,
)
from cloudcanvas.diagram.query import options_from_query
from tests.diagram.synthetic import build_graph

SVG = "{http://www.w3.org/2000/svg}"


def node(name: str, family: str, group: str = "rg-app", state: str = "") -> Node:
    key = f"/subscriptions/s/resourcegroups/{group}/providers/x/{name}"
    return Node(
        key=key,
        resource_id=key,
        name=name,
        component="azurevm" if family == "compute" else "azurestorage",
        family=family,
        arm_type="microsoft.compute/virtualmachines",
        location="eastus",
        subscription_id="s",
        resource_group=group,
        properties={"state": state} if state else {},
    )


RG = ("resourcegroup",)


def small() -> Graph:
    return Graph(
        [
            node("vm-1", "compute", state="running"),
            node("vm-2", "compute", state="deallocated"),
            node("st-1", "storage"),
            node("vm-<b>&", "compute", group="rg-<evil>", state="Failed"),
        ]
    )


def test_status_of_a_resource_and_the_worst_of_a_group() -> None:
    assert status_of(node("a", "compute", state="running")) == "ok"
    assert status_of(node("a", "compute")) == "ok"
    assert status_of(node("a", "compute", state="VM deallocated")) == "stopped"
    assert status_of(node("a", "compute", state="Updating")) == "changing"
    assert status_of(node("a", "compute", state="Failed")) == "failed"
    states = ["running", "Updating", "stopped"]
    assert worst_status(node(s, "compute", state=s) for s in states) == "stopped"
    assert worst_status([]) == "ok"


def test_a_tile_per_group_counts_its_resources_by_family() -> None:
    lay = layout(small(), RenderOptions(group_by=RG))
    found = {t.group.label: t for t in tiles(lay)}
    assert set(found) == {"rg-app", "rg-<evil>"}
    app = found["rg-app"]
    assert app.total == 3
    assert app.families == (("compute", 2), ("storage", 1))
    assert app.status == "stopped"
    assert found["rg-<evil>"].status == "failed"
    assert tile_lines(app) == ["rg-app", "3 resources, stopped", "2 compute", "1 storage"]
    # The tile covers exactly its group's resources' slots, inside the group's plate.
    for tile in tiles(lay):
        members = [p for p in lay.nodes if p.group == tile.group.id]
        assert all(
            tile.x < p.x < tile.x + tile.w and tile.y < p.y < tile.y + tile.h for p in members
        )
        g = tile.group
        assert g.x <= tile.x and tile.x + tile.w <= g.x + g.w
        assert g.y <= tile.y and tile.y + tile.h <= g.y + g.h


@pytest.mark.parametrize("projection", ["isometric", "2d"])
def test_the_overview_draws_tiles_and_no_grouped_resource(projection: str) -> None:
    graph = build_graph(300)
    opts = RenderOptions(projection=projection, level="overview")
    lay = layout(graph, opts)
    document = render_overview_svg(lay, opts)
    root = ET.fromstring(document)
    drawn_tiles = root.findall(f".//{SVG}g[@class='tile']")
    assert len(drawn_tiles) == len(tiles(lay)) > 5
    assert sum(int(t.get("data-count", 0)) for t in drawn_tiles) == len(lay.nodes)
    assert root.findall(f".//{SVG}g[@class='resource']") == []
    # Same frame as the detail drawing, and the detail's counts on the root.
    detail = ET.fromstring(render(graph, "svg", RenderOptions(projection=projection)))
    assert root.get("viewBox") == detail.get("viewBox")
    assert root.get("data-level") == "overview"
    assert root.get("data-blocks") == str(len(detail.findall(f".//{SVG}g[@class='resource']")))
    assert render(graph, "svg", opts).decode() == document


def test_names_are_escaped_in_tiles() -> None:
    opts = RenderOptions(group_by=RG, level="overview")
    document = render(small(), "svg", opts).decode()
    assert "rg-<evil>" not in document
    assert "rg-&lt;evil&gt;" in document
    ET.fromstring(document)  # well formed


def test_the_resources_of_chosen_groups_alone() -> None:
    graph = build_graph(300)
    opts = RenderOptions()
    lay = layout(graph, opts)
    chosen = [t.group.id for t in tiles(lay)[:2]]
    part = ET.fromstring(render_groups_svg(lay, opts, chosen))
    drawn = {g.get("id") for g in part.iter(f"{SVG}g") if g.get("class") == "resource"}
    assert drawn == {p.id for p in lay.nodes if p.group in chosen}
    names = part.findall(f".//{SVG}g[@class='names']/{SVG}text")
    assert len(names) == len(drawn)
    # Every symbol used is defined here, with ids apart from the overview's own (c0, c1 ...).
    defs = part.find(f"{SVG}defs")
    assert defs is not None
    defined = {s.get("id") for s in defs}
    used = {u.get("href", "").lstrip("#") for u in part.iter(f"{SVG}use")}
    assert used and used <= defined
    assert all(sid.startswith("dc") for sid in defined)
    # The same resources sit where the full drawing puts them.
    full = ET.fromstring(render(graph, "svg", opts))

    def spots(root: ET.Element) -> dict[str | None, str | None]:
        uses = ((g.get("id"), g.find(f"{SVG}use")) for g in root.iter(f"{SVG}g"))
        return {gid: use.get("x") for gid, use in uses if use is not None and gid}

    alone = spots(part)
    assert alone and all(spots(full)[gid] == x for gid, x in alone.items())


def test_level_is_an_export_option() -> None:
    assert options_from_query({"level": "overview"}).level == "overview"
    assert options_from_query({}).level == "detail"
    with pytest.raises(DiagramOptionsError, match="level must be detail or overview"):
        options_from_query({"level": "tiny"})


def test_overview_png_and_pdf() -> None:
    from PIL import Image

    graph = build_graph(200)
    png = render(graph, "png", RenderOptions(level="overview", width=800))
    assert Image.open(io.BytesIO(png)).size[0] == 800
    pdf = render(graph, "pdf", RenderOptions(level="overview"))
    assert pdf.startswith(b"%PDF")
    # The tiles' text is in the PDF as vectors: more than the plates alone.
    assert len(pdf) > 5_000
    counts = Counter(
        render(graph, "png", RenderOptions(level=level, width=600))
        for level in ("overview", "detail")
    )
    assert len(counts) == 2  # the two levels draw differently


def test_tiles_of_a_layout_without_edges_sit_where_the_resources_do() -> None:
    # The viewer draws a large overview from a layout without routed edges (faster) and then
    # the resources from the whole layout: the places must be the same.
    graph = build_graph(300)
    quick = layout(graph, RenderOptions(autoconnect=False))
    whole = layout(graph, RenderOptions())
    assert quick.edges == () and whole.edges
    assert quick.nodes == whole.nodes and quick.groups == whole.groups
    assert tiles(quick) == tiles(whole)


def test_an_overview_pdf_is_landscape_when_the_drawing_is_wide() -> None:
    from pypdf import PdfReader

    graph = build_graph(300)
    from cloudcanvas.diagram.svg import frame

    box = frame(layout(graph, RenderOptions()), RenderOptions())
    assert box.w > box.h  # the isometric drawing is wide
    pdf = render(graph, "pdf", RenderOptions(level="overview", paper_size="A4"))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)
    asked = render(graph, "pdf", RenderOptions(level="overview", paper_size="A4", landscape=False))
    page = PdfReader(io.BytesIO(asked)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)


def test_lean_tiles_carry_their_text_as_data_for_the_viewer() -> None:
    opts = RenderOptions(group_by=RG)
    lay = layout(small(), opts)
    root = ET.fromstring(render_overview_svg(lay, opts, lean=True))
    drawn = root.findall(f".//{SVG}polygon[@class='tile']")
    assert len(drawn) == 2
    assert root.findall(f".//{SVG}g[@class='tiles']//{SVG}text") == []
    lines = {t.get("data-lines") for t in drawn}
    assert "rg-<evil>\n1 resource, failed\n1 compute" in lines  # parsed back from &lt; and &#10;
    *_, size = (float(v) for v in (drawn[0].get("data-text") or "").split())
    assert size > 0


def test_a_tile_names_a_vnet_by_its_name_before_its_address_space() -> None:
    # Shortened together, names and ranges read alike: vnet-port…2.0.0/16 for every portal VNet.
    assert tile_name("vnet-portal-prod-011 10.2.0.0/16") == "vnet-port…prod-011"
    assert tile_name("vnet-a 10.0.0.0/16, 10.1.0.0/16") == "vnet-a"
    assert tile_name("vnet-ipv6-hub fd00:db8::/48") == "vnet-ipv6-hub"
    assert tile_name("hub 10.0.0.0/8") == "hub 10.0.0.0/8"  # it fits: kept whole
    assert tile_name("PaaS services of the platform team") == "PaaS serv…orm team"
