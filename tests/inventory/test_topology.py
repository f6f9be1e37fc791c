"""A hand-built estate: every relation kind, placement in VNets and subnets, addresses, casing."""

from __future__ import annotations

import pytest

from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from tests.inventory.topology import SUB, containers, topology_rows


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return build_inventory(topology_rows(), containers())


def by_name(inv: Inventory, name: str):
    (found,) = [res for res in inv.resources.values() if res.name == name]
    return found


def named_relations(inv: Inventory) -> set[tuple[str, str, str]]:
    names = {key: res.name for key, res in inv.resources.items()}
    return {(names[rel.source], names[rel.target], rel.kind) for rel in inv.relations}


EXPECTED = [
    ("vnet1", "web", "contains"),
    ("web", "nsg1", "nsg"),
    ("web", "rt1", "route-table"),
    ("web", "nat1", "nat-gateway"),
    ("data", "pg1", "delegation"),
    ("integration", "webapp1", "delegation"),
    ("nic1", "vm1", "attached"),
    ("nic1", "web", "subnet"),
    ("nic1", "pip1", "public-ip"),
    ("nic1", "nsg1", "nsg"),
    ("nat1", "pip-nat", "public-ip"),
    ("lb-public", "pip-lb", "frontend"),
    ("lb-public", "nic1", "backend"),
    ("lb-public", "vm1", "backend"),
    ("lb-internal", "web", "subnet"),
    ("lb-internal", "vmss1", "backend"),
    ("appgw1", "appgw", "subnet"),
    ("appgw1", "pip-appgw", "frontend"),
    ("appgw1", "nic1", "backend"),
    ("appgw1", "vm1", "backend"),
    ("appgw1", "webapp1", "backend"),
    ("pe-storage", "pe", "subnet"),
    ("pe-storage", "store1", "private-link"),
    ("pe-vault", "vault1", "private-link"),
    ("spoke", "vnet1", "peering"),
    ("vpngw", "GatewaySubnet", "subnet"),
    ("vpngw", "pip-vpn", "public-ip"),
    ("bastion1", "AzureBastionSubnet", "subnet"),
    ("bastion1", "pip-bastion", "public-ip"),
    ("to-onprem", "vpngw", "connection"),
    ("to-onprem", "onprem", "connection"),
    ("webapp1", "plan1", "plan"),
    ("func1", "plan1", "plan"),
    ("webapp1", "integration", "vnet-integration"),
    ("sql1", "db1", "database"),
    ("aks1", "aks", "agent-pool"),
    ("vmss1", "web", "subnet"),
    ("osdisk1", "vm1", "disk"),
    ("datadisk1", "vm1", "disk"),
    ("pg1", "data", "subnet"),
    ("bus1", "orders", "contains"),
    ("bus1", "events", "contains"),
    ("env1", "api1", "hosts"),
    ("link1", "vnet1", "dns-link"),
    ("insights1", "logs1", "workspace"),
]


@pytest.mark.parametrize(("source", "target", "kind"), EXPECTED)
def test_relation_is_found(inventory: Inventory, source: str, target: str, kind: str) -> None:
    assert (source, target, kind) in named_relations(inventory)


def test_peering_listed_by_both_vnets_is_one_relation(inventory: Inventory) -> None:
    peerings = [rel for rel in inventory.relations if rel.kind == "peering"]
    assert len(peerings) == 1


def test_relations_are_unique_and_resolve_to_resources(inventory: Inventory) -> None:
    triples = [(rel.source, rel.target, rel.kind) for rel in inventory.relations]
    assert len(triples) == len(set(triples))
    assert all(s in inventory.resources and t in inventory.resources for s, t, _ in triples)


def test_subnets_become_resources_of_their_own(inventory: Inventory) -> None:
    web = by_name(inventory, "web")
    vnet = by_name(inventory, "vnet1")
    assert web.key == web.id.lower()
    assert web.component == "azuresubnet"
    assert (web.vnet, web.subnet, web.parent) == (vnet.key, web.key, vnet.key)
    assert web.properties["cidr"] == "10.0.0.0/24"
    assert web.location == "eastus"
    assert by_name(inventory, "data").properties["delegation"] == (
        "Microsoft.DBforPostgreSQL/flexibleServers"
    )


@pytest.mark.parametrize(
    ("name", "subnet"),
    [
        ("vm1", "web"),  # its primary NIC's subnet
        ("nic1", "web"),
        ("osdisk1", "web"),  # with its VM
        ("lb-internal", "web"),
        ("vmss1", "web"),
        ("pe-storage", "pe"),
        ("appgw1", "appgw"),
        ("vpngw", "GatewaySubnet"),
        ("bastion1", "AzureBastionSubnet"),
        ("aks1", "aks"),
        ("pg1", "data"),
        ("env1", "default"),
        ("api1", "default"),  # with its environment
    ],
)
def test_resource_sits_in_its_subnet(inventory: Inventory, name: str, subnet: str) -> None:
    res = by_name(inventory, name)
    container = by_name(inventory, subnet)
    assert res.subnet == container.key
    assert res.vnet == container.vnet


@pytest.mark.parametrize("name", ["webapp1", "lb-public", "store1", "pip1", "nsg1", "sql1"])
def test_resource_outside_any_vnet(inventory: Inventory, name: str) -> None:
    res = by_name(inventory, name)
    assert (res.vnet, res.subnet) == (None, None)


def test_vm_shows_its_private_and_public_addresses(inventory: Inventory) -> None:
    assert by_name(inventory, "vm1").ip_addresses == ("10.0.0.4", "20.0.0.1")
    assert by_name(inventory, "lb-internal").ip_addresses == ("10.0.0.10",)


def test_key_facts(inventory: Inventory) -> None:
    vm = by_name(inventory, "vm1")
    assert vm.sku == "Standard_D2s_v5"
    assert vm.properties["size"] == "Standard_D2s_v5"
    assert vm.properties["os"] == "Linux"
    assert vm.properties["state"] == "running"
    assert vm.properties["zones"] == "1"
    assert vm.properties["image"] == "Canonical:ubuntu:22_04-lts"
    assert by_name(inventory, "aks1").properties["nodes"] == "3"
    assert by_name(inventory, "plan1").properties["os"] == "Linux"
    assert by_name(inventory, "vault1").sku == "premium"
    assert by_name(inventory, "appgw1").sku == "WAF_v2"
    assert by_name(inventory, "rt1").properties["routes"] == "2"


def test_function_app_is_its_own_component(inventory: Inventory) -> None:
    assert by_name(inventory, "func1").component == "azurefunctionapp"
    assert by_name(inventory, "webapp1").component == "azurewebapp"


def test_sql_database_has_its_server_as_parent(inventory: Inventory) -> None:
    assert by_name(inventory, "db1").parent == by_name(inventory, "sql1").key


def test_containment_subscription_region_group(inventory: Inventory) -> None:
    assert inventory.subscriptions == {SUB: "Production"}
    group_key = f"/subscriptions/{SUB}/resourcegroups/rg1"
    assert inventory.resource_groups == {group_key: "rg1"}
    tree = inventory.containment()
    assert set(tree) == {SUB}
    assert set(tree[SUB]) == {"eastus", "global"}
    assert by_name(inventory, "vm1").key in tree[SUB]["eastus"][group_key]
    zone = by_name(inventory, "privatelink.blob.core.windows.net")
    assert zone.key in tree[SUB]["global"][group_key]


def test_counts(inventory: Inventory) -> None:
    assert inventory.counts_by_location()["global"] == 2
    assert inventory.counts_by_type()["microsoft.network/publicipaddresses"] == 6
    assert inventory.counts_by_component()["azuresubnet"] == 9
    assert inventory.locations() == ["eastus", "global"]


def test_every_relation_kind_is_a_documented_one(inventory: Inventory) -> None:
    from cloudcanvas.inventory.model import RELATION_KINDS

    assert {rel.kind for rel in inventory.relations} <= set(RELATION_KINDS)


def test_resources_are_hashable_by_key(inventory: Inventory) -> None:
    vm = by_name(inventory, "vm1")
    assert len({vm, *inventory.resources.values()}) == len(inventory)


def test_scale_set_instance_disk_and_vm_extension_sit_with_their_parents() -> None:
    from tests.inventory.topology import RG, row

    vmss = f"{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1"
    vm = f"{RG}/providers/Microsoft.Compute/virtualMachines/vm1"
    rows = [
        *topology_rows(),
        row(
            f"{RG}/providers/Microsoft.Compute/disks/vmss1_0_os",
            "Microsoft.Compute/disks",
            managedBy=f"{vmss}/virtualMachines/0",
        ),
        row(
            f"{vm}/extensions/AzureMonitorLinuxAgent",
            "Microsoft.Compute/virtualMachines/extensions",
            {"publisher": "Microsoft.Azure.Monitor"},
        ),
    ]
    inv = build_inventory(rows)
    disk, ext = by_name(inv, "vmss1_0_os"), by_name(inv, "AzureMonitorLinuxAgent")
    assert (disk.key, vmss.lower(), "disk") in {(r.source, r.target, r.kind) for r in inv.relations}
    assert disk.subnet == by_name(inv, "web").key
    assert ext.parent == vm.lower()
    assert ext.subnet == by_name(inv, "web").key
    assert "ref.disk" not in disk.properties
