"""The graph the diagram package draws, per location."""

from __future__ import annotations

import pytest

from cloudcanvas.diagram.model import Graph
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from tests.inventory.topology import containers, row, topology_rows


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    rows = [
        *topology_rows(),
        row(
            "/subscriptions/s/resourceGroups/w/providers/Microsoft.Web/sites/west",
            "Microsoft.Web/sites",
            location="West Europe",
        ),
    ]
    return build_inventory(rows, containers())


def names(graph: Graph) -> dict[str, str]:
    return {node.key: node.name for node in graph.nodes}


def edges_by_name(graph: Graph) -> set[tuple[str, str, str]]:
    n = names(graph)
    return {(n[e.source], n[e.target], e.kind) for e in graph.edges}


def test_one_location(inventory: Inventory) -> None:
    graph = to_graph(inventory, "eastus")
    assert {node.location for node in graph.nodes} == {"eastus"}
    assert "west" not in names(graph).values()
    assert "privatelink.blob.core.windows.net" not in names(graph).values()


def test_display_name_of_a_location_works_too(inventory: Inventory) -> None:
    assert [n.name for n in to_graph(inventory, "West Europe").nodes] == ["west"]


def test_global_location(inventory: Inventory) -> None:
    graph = to_graph(inventory, "global")
    assert sorted(names(graph).values()) == ["link1", "privatelink.blob.core.windows.net"]
    # The zone's link points to a VNet of another location: no edge to a node that is not drawn.
    assert edges_by_name(graph) == {("privatelink.blob.core.windows.net", "link1", "contains")}


def test_all_locations(inventory: Inventory) -> None:
    graph = to_graph(inventory)
    assert len(graph.nodes) == len(inventory)
    assert [n.key for n in graph.nodes] == sorted(inventory.resources)


def test_unknown_location_is_empty(inventory: Inventory) -> None:
    assert to_graph(inventory, "mars").nodes == ()


def test_vnets_and_subnets_are_containers(inventory: Inventory) -> None:
    nodes = {n.name: n for n in to_graph(inventory, "eastus").nodes}
    vnet, web, vm = nodes["vnet1"], nodes["web"], nodes["vm1"]
    assert (vnet.vnet, vnet.subnet) == (vnet.key, None)
    assert (web.vnet, web.subnet) == (vnet.key, web.key)
    assert (vm.vnet, vm.subnet) == (vnet.key, web.key)
    assert (nodes["webapp1"].vnet, nodes["webapp1"].subnet) == (None, None)


def test_edges_worth_drawing(inventory: Inventory) -> None:
    edges = edges_by_name(to_graph(inventory, "eastus"))
    assert ("nic1", "vm1", "attached") in edges
    assert ("lb-public", "vm1", "backend") in edges
    assert ("pe-storage", "store1", "private-link") in edges
    assert ("webapp1", "integration", "vnet-integration") in edges
    assert ("spoke", "vnet1", "peering") in edges
    assert ("web", "nsg1", "nsg") in edges
    # Nesting already shows containment in a VNet or subnet.
    assert not {e for e in edges if e[2] in ("subnet", "delegation")}
    assert ("vnet1", "web", "contains") not in edges
    assert ("bus1", "orders", "contains") in edges


def test_node_carries_what_the_renderer_and_filters_need(inventory: Inventory) -> None:
    (vm,) = [n for n in to_graph(inventory, "eastus").nodes if n.name == "vm1"]
    assert vm.component == "azurevm"
    assert vm.resource_id.endswith("/providers/Microsoft.Compute/virtualMachines/vm1")
    assert vm.properties["size"] == "Standard_D2s_v5"
    assert "20.0.0.1" in vm.ip_addresses


def test_unresolved_references_are_not_drawn_as_facts() -> None:
    app = row(
        "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/a",
        "Microsoft.Web/sites",
        {"serverFarmId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/serverfarms/p"},
    )
    (node,) = to_graph(build_inventory([app])).nodes
    assert node.properties == {"plan": "p"}


def test_same_inventory_same_graph(inventory: Inventory) -> None:
    assert to_graph(inventory, "eastus") == to_graph(inventory, "eastus")
