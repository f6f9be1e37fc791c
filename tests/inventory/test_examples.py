"""Table tests over every real ARM payload in azure_examples/, a copy of ../shared/azure-examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cloudcanvas.inventory.normalize import build_inventory, row_from_arm
from tests.resource_graph import COLUMNS

# A copy of ../shared/azure-examples (MIT, from Azure/azure-rest-api-specs; see SOURCES.md there).
EXAMPLES = Path(__file__).resolve().parent / "azure_examples"

# file → (component, family, location, sku, key facts, references kept: kind → part of the id)
CASES: dict[str, tuple[str, str, str, str | None, dict[str, str], dict[str, str]]] = {
    "Microsoft.Cache_redis.json": (
        "azureredis",
        "database",
        "eastus",
        "Premium",
        {
            "size": "P3",
            "version": "3.2",
            "host": "cache1.redis.cache.windows.net",
            "state": "Creating",
        },
        {"private-link": "privateEndpoints/cachePe"},
    ),
    "Microsoft.Compute_disks.json": (
        "azuredisk",
        "compute",
        "westus",
        "Standard_LRS",
        {"size (GB)": "10", "os": "Windows", "attached to": "TestVM414689371c88843d65ec"},
        {"disk": "virtualMachines/TestVM414689371c88843d65ec"},
    ),
    "Microsoft.Compute_virtualMachineScaleSets.json": (
        "azurevmss",
        "compute",
        "westus",
        "Standard_D2s_v3",
        {"size": "Standard_D2s_v3", "instances": "4", "os": "Linux", "upgrade mode": "Automatic"},
        {"subnet": "myVNet/subnets/mySubnet", "nsg": "myNetworkSecurityGroup"},
    ),
    "Microsoft.Compute_virtualMachines.json": (
        "azurevm",
        "compute",
        "westus",
        "Standard_DS3_v2",
        {
            "size": "Standard_DS3_v2",
            "os": "Windows",
            "data disks": "2",
            "image": "MicrosoftWindowsServer:WindowsServer:2016-Datacenter",
        },
        {"attached": "networkInterfaces/{myNIC}", "disk": "disks/myDataDisk1"},
    ),
    "Microsoft.ContainerService_managedClusters.json": (
        "azureaks",
        "containers",
        "location1",
        None,
        {
            "kubernetes version": "1.9.6",
            "nodes": "3",
            "node size": "Standard_DS1_v2",
            "network plugin": "kubenet",
        },
        {},
    ),
    "Microsoft.DocumentDB_databaseAccounts.json": (
        "azurecosmosdb",
        "database",
        "westus",
        None,
        {"api": "GlobalDocumentDB", "consistency": "Session", "regions": "East US"},
        {"private-link": "privateEndpoints/pe1"},
    ),
    "Microsoft.KeyVault_vaults.json": (
        "azurekeyvault",
        "security",
        "westus",
        "standard",
        {"vault uri": "https://sample-vault.vault.azure.net", "access policies": "1"},
        {},
    ),
    "Microsoft.Network_applicationGateways.json": (
        "azureappgw",
        "network",
        "southcentralus",
        "Standard_Medium",
        {"tier": "Standard", "capacity": "3", "state": "Running", "listeners": "2"},
        {
            "subnet": "subnets/appgwsubnet",
            "frontend": "publicIPAddresses/appgwpip",
            "backend": "10.0.0.1, 10.0.0.2",
        },
    ),
    "Microsoft.Network_loadBalancers.json": (
        "azurelb",
        "network",
        "westus",
        "Basic",
        {"type": "internal", "frontend ip": "10.0.1.4", "backend pools": "1", "rules": "1"},
        {"subnet": "vnetlb/subnets/subnetlb"},
    ),
    "Microsoft.Network_networkInterfaces.json": (
        "azurenic",
        "network",
        "eastus",
        None,
        {"private ip": "172.20.2.4, 172.20.2.16/28", "accelerated networking": "yes"},
        {
            "subnet": "rg1-vnet/subnets/default",
            "public-ip": "publicIPAddresses/test-ip",
            "nsg": "networkSecurityGroups/nsg",
            "attached": "virtualMachines/vm1",
        },
    ),
    "Microsoft.Network_networkSecurityGroups.json": (
        "azurensg",
        "security",
        "westus",
        None,
        {"rules": "1"},
        {},
    ),
    "Microsoft.Network_privateEndpoints.json": (
        "azureprivateendpoint",
        "network",
        "eastus",
        None,
        {
            "private ip": "192.168.0.4, 192.168.0.5, 192.168.0.6, 192.168.0.7",
            "group": "groupIdFromResource",
            "connection": "Approved",
        },
        {
            "subnet": "myVnet/subnets/mySubnet",
            "private-link": "privateLinkServices/testPls",
            "attached": "testPe.nic.abcd1234",
        },
    ),
    "Microsoft.Network_publicIPAddresses.json": (
        "azurepublicip",
        "network",
        "westus",
        None,
        {"allocation": "Dynamic", "version": "IPv4"},
        {},
    ),
    "Microsoft.Network_virtualNetworkGateways.json": (
        "azurevpngateway",
        "network",
        "centralus",
        "VpnGw1",
        {"gateway type": "Vpn", "vpn type": "RouteBased", "bgp asn": "65514"},
        {"subnet": "vnet1/subnets/GatewaySubnet", "public-ip": "publicIPAddresses/gwpip"},
    ),
    "Microsoft.Network_virtualNetworks.json": (
        "azurevnet",
        "network",
        "westus",
        None,
        {"address space": "10.0.0.0/16", "subnets": "1"},
        {},
    ),
    "Microsoft.Sql_servers.json": (
        "azuresqlserver",
        "database",
        "japaneast",
        None,
        {"version": "12.0", "fqdn": "sqlcrudtest-4645.database.windows.net", "state": "Ready"},
        {"private-link": "privateEndpoints/private-endpoint-name"},
    ),
    "Microsoft.Sql_servers_databases.json": (
        "azuresql",
        "database",
        "southeastasia",
        "BC_Gen5",
        {"tier": "BusinessCritical", "capacity": "2", "max size (GB)": "250", "status": "Online"},
        {},
    ),
    "Microsoft.Storage_storageAccounts.json": (
        "azurestorage",
        "storage",
        "eastus2",
        "Standard_GRS",
        {"hierarchical namespace": "yes", "services": "blob, file, queue, table, dfs, web"},
        {},
    ),
    "Microsoft.Web_serverfarms.json": (
        "azureappserviceplan",
        "web",
        "eastus",
        "P1",
        {"tier": "Premium", "workers": "1", "os": "Windows", "apps": "4"},
        {},
    ),
    "Microsoft.Web_sites.json": (
        "azurewebapp",
        "web",
        "eastus",
        None,
        {"state": "Running", "host": "sitef6141.azurewebsites.net", "plan": "DefaultAsp"},
        {"plan": "serverfarms/DefaultAsp"},
    ),
}


def load(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return payload


def test_every_example_file_has_a_case() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_normalizes(name: str) -> None:
    component, family, location, sku, facts, refs = CASES[name]
    payload = load(name)
    inv = build_inventory([row_from_arm(payload)])
    res = inv.resources[payload["id"].lower()]
    assert (res.component, res.family, res.location, res.sku) == (component, family, location, sku)
    assert res.id == payload["id"]
    assert res.name == payload["name"]
    assert res.arm_type == payload["type"].lower()
    for fact, value in facts.items():
        assert res.properties[fact] == value, fact
    for kind, fragment in refs.items():
        assert fragment in res.properties[f"ref.{kind}"], kind


def test_row_from_arm_derives_the_resource_graph_columns() -> None:
    row = row_from_arm(load("Microsoft.Sql_servers_databases.json"))
    assert row["subscriptionId"] == "00000000-1111-2222-3333-444444444444"
    assert row["resourceGroup"] == "default-sql-southeastasia"
    assert row["type"] == "microsoft.sql/servers/databases"
    assert set(row) == set(COLUMNS)


def test_resource_group_keeps_the_casing_of_the_id() -> None:
    inv = build_inventory([row_from_arm(load("Microsoft.Sql_servers_databases.json"))])
    (res,) = inv.resources.values()
    assert res.resource_group == "Default-SQL-SouthEastAsia"
    assert inv.resource_groups == {
        "/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/default-sql-southeastasia": "Default-SQL-SouthEastAsia"
    }


def test_vnet_example_yields_its_subnet_and_the_relation() -> None:
    payload = load("Microsoft.Network_virtualNetworks.json")
    inv = build_inventory([row_from_arm(payload)])
    vnet_key = payload["id"].lower()
    subnet_key = f"{vnet_key}/subnets/subnet1"
    assert inv.resources[subnet_key].properties["cidr"] == "10.0.1.0/24"
    assert inv.resources[subnet_key].location == "westus"
    assert [(r.source, r.target, r.kind) for r in inv.relations] == [
        (vnet_key, subnet_key, "contains")
    ]


def test_all_examples_together() -> None:
    inv = build_inventory(row_from_arm(load(name)) for name in CASES)
    assert len(inv.resources) == len(CASES) + 1  # and the VNet's subnet
    assert inv.counts_by_location()["westus"] == 10  # "West US" and "westus" are one location
    assert "azureresource" not in inv.counts_by_component()
