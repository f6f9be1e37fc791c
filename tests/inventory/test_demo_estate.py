"""The simulator's demo estate (what `make demo` scans) normalizes completely."""

from __future__ import annotations

from collections import Counter

import pytest

from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator import Environment
from cloudcanvas.simulator.graph import container_rows, resource_rows


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    env = Environment.demo()
    return build_inventory(resource_rows(env), container_rows(env))


def test_every_type_is_recognised(inventory: Inventory) -> None:
    assert "azureresource" not in inventory.counts_by_component()


def test_every_reference_resolves(inventory: Inventory) -> None:
    unresolved = Counter(
        name
        for res in inventory.resources.values()
        for name in res.properties
        if name.startswith("ref.")
    )
    assert unresolved == Counter()


@pytest.mark.parametrize(
    "component", ["azurevm", "azurenic", "azureprivateendpoint", "azurevmss", "azurebastion"]
)
def test_network_resources_sit_in_a_subnet(inventory: Inventory, component: str) -> None:
    placed = [r for r in inventory.resources.values() if r.component == component]
    assert placed
    assert all(r.subnet in inventory.resources and r.vnet in inventory.resources for r in placed)


def test_subscriptions_have_their_names(inventory: Inventory) -> None:
    assert "Production" in inventory.subscriptions.values()
    assert all(key.startswith("/subscriptions/") for key in inventory.resource_groups)


def test_every_location_draws(inventory: Inventory) -> None:
    for location in inventory.locations():
        graph = to_graph(inventory, location)
        assert len(graph.nodes) == inventory.counts_by_location()[location]
