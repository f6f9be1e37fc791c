"""The layout: nothing overlaps, the same graph gives the same picture, grouping as asked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cloudcanvas.diagram import Graph, Layout, RenderOptions, layout
from cloudcanvas.diagram.layout import BLOCK
from tests.diagram.synthetic import build_graph


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _assert_no_overlaps(lay: Layout) -> None:
    groups = {g.id: g for g in lay.groups}
    by_parent: dict[str | None, list[tuple[int, int, int, int]]] = {}
    for g in lay.groups:
        by_parent.setdefault(g.parent, []).append((g.x, g.y, g.w, g.h))
        if g.parent is not None:  # inside its parent, below the parent's label
            up = groups[g.parent]
            assert up.x < g.x and g.x + g.w < up.x + up.w
            assert up.y + 2 < g.y and g.y + g.h < up.y + up.h
    for n in lay.nodes:
        by_parent.setdefault(n.group, []).append((n.x, n.y, BLOCK, BLOCK))
        if n.group is not None:
            home = groups[n.group]
            assert home.x < n.x and n.x + BLOCK < home.x + home.w
            assert home.y < n.y and n.y + BLOCK < home.y + home.h
    for boxes in by_parent.values():
        ordered = sorted(boxes)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 : i + 40]:
                if b[0] >= a[0] + a[2]:
                    break
                assert not _overlap(a, b), (a, b)


@pytest.mark.parametrize(
    "group_by",
    [
        (),
        ("region",),
        ("region", "vnet"),
        ("region", "vnet", "subnet"),
        ("resourcegroup",),
        ("vnet", "region"),
        ("subnet",),
        ("resourcegroup", "vnet", "subnet"),
    ],
)
def test_no_overlaps_for_any_grouping(group_by: tuple[str, ...]) -> None:
    lay = layout(build_graph(600), RenderOptions(group_by=group_by))
    _assert_no_overlaps(lay)
    containers = 2 if "subnet" in group_by and "vnet" in group_by else 0
    assert len(lay.nodes) + sum(1 for g in lay.groups if g.node is not None) == 600
    assert containers == 0 or any(g.kind == "subnet" for g in lay.groups)


def test_same_graph_same_layout_whatever_the_input_order() -> None:
    graph = build_graph(400)
    shuffled = Graph(list(reversed(graph.nodes)), list(reversed(graph.edges)))
    assert layout(graph) == layout(shuffled)


def test_presets_group_as_cloudcraft_does() -> None:
    graph = build_graph(300)
    infra = layout(graph, RenderOptions(group_by=("region", "vnet")))
    assert {g.kind for g in infra.groups} == {"region", "vnet", "services"}
    network = layout(graph, RenderOptions(group_by=("region", "vnet", "subnet")))
    assert "subnet" in {g.kind for g in network.groups}
    by_rg = layout(graph, RenderOptions(group_by=("resourcegroup",)))
    assert {g.kind for g in by_rg.groups} == {"resourcegroup"}
    assert {g.label for g in by_rg.groups} == {n.resource_group.lower() for n in graph.nodes}


def test_vnet_groups_carry_the_vnet_resource_and_paas_stands_beside_it() -> None:
    lay = layout(build_graph(300))
    vnets = {g.id: g for g in lay.groups if g.kind == "vnet"}
    assert all(g.node is not None and g.node.component == "azurevnet" for g in vnets.values())
    assert all(p.node.component not in ("azurevnet",) for p in lay.nodes)
    services = [g for g in lay.groups if g.kind == "services" and g.key]
    assert services
    # Each services group that serves a VNet shares its row, directly to the VNet's right.
    for s in services:
        left = [v for v in vnets.values() if v.parent == s.parent and v.y == s.y and v.x < s.x]
        assert left, s.label


def test_storage_used_through_a_private_endpoint_stands_beside_that_vnet() -> None:
    graph = build_graph(300)
    lay = layout(graph)
    placed = {p.node.name: p for p in lay.nodes}
    groups = {g.id: g for g in lay.groups}
    storage = placed["stapp000eastus"]
    services = groups[storage.group or ""]
    assert services.kind == "services"
    vnet = next(g for g in lay.groups if g.label.startswith("vnet-app000-eastus"))
    assert services.y == vnet.y and services.x == vnet.x + vnet.w + 3


def test_a_new_resource_does_not_move_the_others_in_its_group_much() -> None:
    graph = build_graph(300)
    before = {p.node.key: (p.x, p.y) for p in layout(graph).nodes}
    extra = replace(graph.nodes[-1], key=graph.nodes[-1].key + "-new", name="zzz-new")
    after = {
        p.node.key: (p.x, p.y) for p in layout(Graph([*graph.nodes, extra], graph.edges)).nodes
    }
    unchanged = sum(1 for key, pos in before.items() if after[key] == pos)
    assert unchanged >= 0.8 * len(before)


def test_exclude_and_filter_remove_nodes_and_their_edges() -> None:
    graph = build_graph(300)
    lay = layout(graph, RenderOptions(exclude=("azurenic", "azuredisk")))
    assert not {p.node.component for p in lay.nodes} & {"azurenic", "azuredisk"}
    ids = {p.id for p in lay.nodes} | {g.id for g in lay.groups}
    assert all(e.source in ids and e.target in ids for e in lay.edges)
    only_vms = layout(graph, RenderOptions(filter="type=azurevm"))
    assert {p.node.component for p in only_vms.nodes} == {"azurevm"}


def test_edges_are_orthogonal_polylines() -> None:
    lay = layout(build_graph(300))
    assert lay.edges
    for edge in lay.edges:
        for (ax, ay), (bx, by) in zip(edge.points, edge.points[1:], strict=False):
            assert ax == bx or ay == by
    assert not layout(build_graph(300), RenderOptions(autoconnect=False)).edges


def test_empty_graph_lays_out() -> None:
    lay = layout(Graph([]))
    assert lay.nodes == () and lay.groups == ()
