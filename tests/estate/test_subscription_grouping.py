"""Group by subscription: a level of its own, combinable with every preset, on a generated
multi-subscription estate; cross-subscription relations are drawn between the groups."""

from __future__ import annotations

import pytest

from cloudcanvas.diagram.layout import layout
from cloudcanvas.diagram.options import GROUP_PRESETS, RenderOptions, group_by_levels
from cloudcanvas.diagram.render import render
from cloudcanvas.errors import AppError
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator.estate import generate_estate
from cloudcanvas.simulator.graph import container_rows, resource_rows

ESTATE = generate_estate(6, workloads=1, seed=3)


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return build_inventory(resource_rows(ESTATE), container_rows(ESTATE))


@pytest.mark.parametrize("preset", sorted(GROUP_PRESETS))
def test_subscription_level_tops_every_preset(inventory: Inventory, preset: str) -> None:
    levels = group_by_levels(f"subscription,{preset}")
    assert levels == ("subscription", *GROUP_PRESETS[preset])
    lay = layout(to_graph(inventory), RenderOptions(group_by=levels))
    top = [g for g in lay.groups if g.parent is None]
    assert {g.kind for g in top} == {"subscription"}
    assert {g.label for g in top} == {s.display_name for s in ESTATE.subscriptions}
    placed = {n.node.key for n in lay.nodes}
    assert placed | {g.node.key for g in lay.groups if g.node} >= set(inventory.resources) - {
        k for k, r in inventory.resources.items() if r.arm_type.endswith("/subnets")
    }


def test_cross_subscription_edges_are_drawn(inventory: Inventory) -> None:
    lay = layout(
        to_graph(inventory), RenderOptions(group_by=group_by_levels("subscription,infrastructure"))
    )
    top_of: dict[str, str] = {}
    parents = {g.id: g.parent for g in lay.groups}

    def top(group: str | None) -> str | None:
        while group is not None and parents.get(group) is not None:
            group = parents[group]
        return group

    element_group = {n.id: n.group for n in lay.nodes}
    element_group |= {g.id: g.id for g in lay.groups}
    for element, group in element_group.items():
        top_of[element] = top(group) or ""
    across = {e.kind for e in lay.edges if top_of.get(e.source) != top_of.get(e.target)}
    assert {"peering", "private-link", "next-hop"} <= across


def test_subscription_names_are_escaped_in_svg(inventory: Inventory) -> None:
    graph = to_graph(inventory)
    hostile = {k: "<b>&sub</b>" for k in graph.subscriptions}
    graph = type(graph)(graph.nodes, graph.edges, hostile)
    svg = render(graph, "svg", RenderOptions(group_by=("subscription", "region")))
    assert b"<b>&sub" not in svg and b"&lt;b&gt;&amp;sub" in svg


def test_unknown_level_is_refused() -> None:
    with pytest.raises(AppError):
        group_by_levels("subscription,tenant")


def test_isolated_vnet_is_drawn(inventory: Inventory) -> None:
    lay = layout(
        to_graph(inventory), RenderOptions(group_by=group_by_levels("subscription,network"))
    )
    isolated = [g for g in lay.groups if g.node is not None and g.node.name == "vnet-quarantine"]
    assert len(isolated) == 1 and isolated[0].kind == "vnet"
