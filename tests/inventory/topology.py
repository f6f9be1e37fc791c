"""A small hand-built estate as Resource Graph rows, with every relation kind the inventory knows.

References deliberately use other casing than the ids they point to (``resourcegroups/RG1``,
``MICROSOFT.NETWORK``), as Azure does.
"""

from __future__ import annotations

from typing import Any

SUB = "11111111-2222-3333-4444-555555555555"
RG = f"/subscriptions/{SUB}/resourceGroups/rg1"
REF = f"/subscriptions/{SUB}/resourcegroups/RG1"  # how other resources write the same group
NET = f"{RG}/providers/Microsoft.Network"
NET_REF = f"{REF}/providers/MICROSOFT.NETWORK"


def rid(provider_type: str, name: str, *, ref: bool = False) -> str:
    return f"{REF if ref else RG}/providers/{provider_type}/{name}"


def row(
    resource_id: str, arm_type: str, props: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": resource_id,
        "name": resource_id.rsplit("/", 1)[-1],
        "type": arm_type.lower(),
        "tenantId": "tenant",
        "kind": extra.pop("kind", ""),
        "location": extra.pop("location", "eastus"),
        "resourceGroup": "rg1",
        "subscriptionId": SUB,
        "managedBy": extra.pop("managedBy", ""),
        "sku": extra.pop("sku", None),
        "plan": None,
        "properties": props or {},
        "tags": extra.pop("tags", {}),
        "identity": None,
        "zones": extra.pop("zones", None),
        "extendedLocation": None,
    }


def ref(resource_id: str) -> dict[str, str]:
    """A reference written the way another resource would: group and provider in other case."""
    return {"id": resource_id.replace(RG, REF).replace("Microsoft.Network", "MICROSOFT.NETWORK")}


VNET = f"{NET}/virtualNetworks/vnet1"
SPOKE = f"{NET}/virtualNetworks/spoke"
SUBNETS = (
    "web",
    "data",
    "pe",
    "GatewaySubnet",
    "AzureBastionSubnet",
    "appgw",
    "integration",
    "aks",
)


def subnet_id(name: str) -> str:
    return f"{VNET}/subnets/{name}"


def _subnet(name: str, index: int) -> dict[str, Any]:
    props: dict[str, Any] = {"addressPrefix": f"10.0.{index}.0/24"}
    if name == "web":
        props["networkSecurityGroup"] = ref(f"{NET}/networkSecurityGroups/nsg1")
        props["routeTable"] = ref(f"{NET}/routeTables/rt1")
        props["natGateway"] = ref(f"{NET}/natGateways/nat1")
    delegated = {
        "data": "Microsoft.DBforPostgreSQL/flexibleServers",
        "integration": "Microsoft.Web/serverFarms",
    }
    if name in delegated:
        props["delegations"] = [{"name": "d", "properties": {"serviceName": delegated[name]}}]
    return {"name": name, "id": subnet_id(name), "properties": props}


def network_rows() -> list[dict[str, Any]]:
    pip = f"{NET}/publicIPAddresses"
    nic1 = f"{NET}/networkInterfaces/nic1"
    return [
        row(
            VNET,
            "Microsoft.Network/virtualNetworks",
            {
                "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                "subnets": [_subnet(name, i) for i, name in enumerate(SUBNETS)],
                "virtualNetworkPeerings": [{"properties": {"remoteVirtualNetwork": ref(SPOKE)}}],
            },
        ),
        row(
            SPOKE,
            "Microsoft.Network/virtualNetworks",
            {
                "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                "subnets": [
                    {
                        "name": "default",
                        "id": f"{SPOKE}/subnets/default",
                        "properties": {"addressPrefix": "10.1.0.0/24"},
                    }
                ],
                "virtualNetworkPeerings": [{"properties": {"remoteVirtualNetwork": ref(VNET)}}],
            },
        ),
        row(
            f"{NET}/networkSecurityGroups/nsg1",
            "Microsoft.Network/networkSecurityGroups",
            {"securityRules": [{"properties": {"direction": "Inbound"}}]},
        ),
        row(f"{NET}/routeTables/rt1", "Microsoft.Network/routeTables", {"routes": [{}, {}]}),
        row(
            f"{NET}/natGateways/nat1",
            "Microsoft.Network/natGateways",
            {"publicIpAddresses": [ref(f"{pip}/pip-nat")]},
        ),
        *(
            row(f"{pip}/{name}", "Microsoft.Network/publicIPAddresses", {"ipAddress": address})
            for name, address in (
                ("pip1", "20.0.0.1"),
                ("pip-nat", "20.0.0.2"),
                ("pip-lb", "20.0.0.3"),
                ("pip-appgw", "20.0.0.4"),
                ("pip-vpn", "20.0.0.5"),
                ("pip-bastion", "20.0.0.6"),
            )
        ),
        row(
            nic1,
            "Microsoft.Network/networkInterfaces",
            {
                "ipConfigurations": [
                    {
                        "id": f"{nic1}/ipConfigurations/ipconfig1",
                        "properties": {
                            "privateIPAddress": "10.0.0.4",
                            "subnet": ref(subnet_id("web")),
                            "publicIPAddress": ref(f"{pip}/pip1"),
                            "primary": True,
                        },
                    }
                ],
                "networkSecurityGroup": ref(f"{NET}/networkSecurityGroups/nsg1"),
                "virtualMachine": ref(rid("Microsoft.Compute/virtualMachines", "vm1")),
            },
        ),
        row(
            f"{NET}/loadBalancers/lb-public",
            "Microsoft.Network/loadBalancers",
            {
                "frontendIPConfigurations": [
                    {"properties": {"publicIPAddress": ref(f"{pip}/pip-lb")}}
                ],
                "backendAddressPools": [
                    {
                        "properties": {
                            "backendIPConfigurations": [ref(f"{nic1}/ipConfigurations/ipconfig1")]
                        }
                    }
                ],
            },
            sku={"name": "Standard"},
        ),
        row(
            f"{NET}/loadBalancers/lb-internal",
            "Microsoft.Network/loadBalancers",
            {
                "frontendIPConfigurations": [
                    {
                        "properties": {
                            "privateIPAddress": "10.0.0.10",
                            "subnet": ref(subnet_id("web")),
                        }
                    }
                ],
                "backendAddressPools": [
                    {"id": f"{NET}/loadBalancers/lb-internal/backendAddressPools/pool"}
                ],
            },
        ),
        row(
            f"{NET}/applicationGateways/appgw1",
            "Microsoft.Network/applicationGateways",
            {
                "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
                "gatewayIPConfigurations": [{"properties": {"subnet": ref(subnet_id("appgw"))}}],
                "frontendIPConfigurations": [
                    {"properties": {"publicIPAddress": ref(f"{pip}/pip-appgw")}}
                ],
                "backendAddressPools": [
                    {
                        "properties": {
                            "backendAddresses": [
                                {"ipAddress": "10.0.0.4"},
                                {"fqdn": "WebApp1.azurewebsites.net"},
                            ]
                        }
                    }
                ],
            },
        ),
        row(
            f"{NET}/virtualNetworkGateways/vpngw",
            "Microsoft.Network/virtualNetworkGateways",
            {
                "ipConfigurations": [
                    {
                        "properties": {
                            "subnet": ref(subnet_id("GatewaySubnet")),
                            "publicIPAddress": ref(f"{pip}/pip-vpn"),
                        }
                    }
                ],
                "gatewayType": "Vpn",
                "sku": {"name": "VpnGw1"},
            },
        ),
        row(f"{NET}/localNetworkGateways/onprem", "Microsoft.Network/localNetworkGateways", {}),
        row(
            f"{NET}/connections/to-onprem",
            "Microsoft.Network/connections",
            {
                "virtualNetworkGateway1": ref(f"{NET}/virtualNetworkGateways/vpngw"),
                "localNetworkGateway2": ref(f"{NET}/localNetworkGateways/onprem"),
            },
        ),
        row(
            f"{NET}/bastionHosts/bastion1",
            "Microsoft.Network/bastionHosts",
            {
                "ipConfigurations": [
                    {
                        "properties": {
                            "subnet": ref(subnet_id("AzureBastionSubnet")),
                            "publicIPAddress": ref(f"{pip}/pip-bastion"),
                        }
                    }
                ],
            },
        ),
        row(
            f"{NET}/privateEndpoints/pe-storage",
            "Microsoft.Network/privateEndpoints",
            {
                "subnet": ref(subnet_id("pe")),
                "privateLinkServiceConnections": [
                    {
                        "properties": {
                            "privateLinkServiceId": rid(
                                "Microsoft.Storage/storageAccounts", "store1", ref=True
                            ),
                            "groupIds": ["blob"],
                        }
                    }
                ],
                "customDnsConfigs": [
                    {"fqdn": "store1.blob.core.windows.net", "ipAddresses": ["10.0.2.4"]}
                ],
            },
        ),
        row(
            f"{NET}/privateEndpoints/pe-vault",
            "Microsoft.Network/privateEndpoints",
            {
                "subnet": ref(subnet_id("pe")),
                "manualPrivateLinkServiceConnections": [
                    {
                        "properties": {
                            "privateLinkServiceId": rid(
                                "Microsoft.KeyVault/vaults", "vault1", ref=True
                            )
                        }
                    }
                ],
            },
        ),
        row(
            f"{NET}/privateDnsZones/privatelink.blob.core.windows.net",
            "Microsoft.Network/privateDnsZones",
            {"numberOfRecordSets": 2},
            location="global",
        ),
        row(
            f"{NET}/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/link1",
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            {"virtualNetwork": ref(VNET)},
            location="global",
        ),
    ]


def compute_rows() -> list[dict[str, Any]]:
    vm1 = rid("Microsoft.Compute/virtualMachines", "vm1")
    disk = "Microsoft.Compute/disks"
    return [
        row(
            vm1,
            "Microsoft.Compute/virtualMachines",
            {
                "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                "storageProfile": {
                    "osDisk": {
                        "osType": "Linux",
                        "managedDisk": {"id": rid(disk, "osdisk1", ref=True)},
                    },
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "ubuntu",
                        "sku": "22_04-lts",
                    },
                    "dataDisks": [{"managedDisk": {"id": rid(disk, "datadisk1", ref=True)}}],
                },
                "networkProfile": {"networkInterfaces": [ref(f"{NET}/networkInterfaces/nic1")]},
                "extended": {"instanceView": {"powerState": {"code": "PowerState/running"}}},
            },
            zones=["1"],
        ),
        row(
            rid(disk, "osdisk1"),
            "Microsoft.Compute/disks",
            {"diskSizeGB": 30, "osType": "Linux"},
            managedBy=vm1.replace(RG, REF),
            sku={"name": "Premium_LRS"},
        ),
        row(
            rid(disk, "datadisk1"),
            "Microsoft.Compute/disks",
            {"diskSizeGB": 128},
            managedBy=vm1,
            sku={"name": "Premium_LRS"},
        ),
        row(
            rid("Microsoft.Compute/virtualMachineScaleSets", "vmss1"),
            "Microsoft.Compute/virtualMachineScaleSets",
            {
                "virtualMachineProfile": {
                    "networkProfile": {
                        "networkInterfaceConfigurations": [
                            {
                                "properties": {
                                    "primary": True,
                                    "ipConfigurations": [
                                        {
                                            "properties": {
                                                "subnet": ref(subnet_id("web")),
                                                "loadBalancerBackendAddressPools": [
                                                    ref(
                                                        f"{NET}/loadBalancers/lb-internal/backendAddressPools/pool"
                                                    )
                                                ],
                                            }
                                        }
                                    ],
                                }
                            }
                        ]
                    }
                }
            },
            sku={"name": "Standard_B2s", "capacity": 3},
        ),
        row(
            rid("Microsoft.ContainerService/managedClusters", "aks1"),
            "Microsoft.ContainerService/ManagedClusters",
            {
                "kubernetesVersion": "1.30.3",
                "agentPoolProfiles": [
                    {
                        "name": "system",
                        "count": 3,
                        "vmSize": "Standard_D4s_v5",
                        "vnetSubnetID": subnet_id("aks").replace(RG, REF),
                    }
                ],
            },
        ),
    ]


def paas_rows() -> list[dict[str, Any]]:
    web = "Microsoft.Web"
    sql = rid("Microsoft.Sql/servers", "sql1")
    pe_storage = {"properties": {"privateEndpoint": ref(f"{NET}/privateEndpoints/pe-storage")}}
    bus = rid("Microsoft.ServiceBus/namespaces", "bus1")
    env = rid("Microsoft.App/managedEnvironments", "env1")
    workspace = rid("Microsoft.OperationalInsights/workspaces", "logs1")
    return [
        row(
            rid("Microsoft.Storage/storageAccounts", "store1"),
            "Microsoft.Storage/storageAccounts",
            {
                "primaryEndpoints": {"blob": "https://store1.blob.core.windows.net/"},
                "privateEndpointConnections": [pe_storage],
            },
            kind="StorageV2",
            sku={"name": "Standard_LRS"},
        ),
        row(
            rid("Microsoft.KeyVault/vaults", "vault1"),
            "Microsoft.KeyVault/vaults",
            {"sku": {"name": "premium"}, "enableRbacAuthorization": True},
        ),
        row(
            rid(f"{web}/serverfarms", "plan1"),
            f"{web}/serverfarms",
            {"reserved": True},
            sku={"name": "P1v3", "tier": "PremiumV3", "capacity": 2},
            kind="linux",
        ),
        row(
            rid(f"{web}/sites", "webapp1"),
            f"{web}/sites",
            {
                "serverFarmId": rid(f"{web}/serverFarms", "PLAN1", ref=True),
                "virtualNetworkSubnetId": subnet_id("integration").replace(RG, REF),
                "defaultHostName": "webapp1.azurewebsites.net",
            },
            kind="app,linux",
        ),
        row(
            rid(f"{web}/sites", "func1"),
            f"{web}/sites",
            {"serverFarmId": rid(f"{web}/serverfarms", "plan1")},
            kind="functionapp,linux",
        ),
        row(sql, "Microsoft.Sql/servers", {"version": "12.0"}),
        row(
            f"{sql}/databases/db1",
            "Microsoft.Sql/servers/databases",
            {"status": "Online"},
            sku={"name": "GP_Gen5", "tier": "GeneralPurpose", "capacity": 2},
        ),
        row(
            rid("Microsoft.DBforPostgreSQL/flexibleServers", "pg1"),
            "Microsoft.DBforPostgreSQL/flexibleServers",
            {"version": "16", "network": {"delegatedSubnetResourceId": subnet_id("data").upper()}},
            sku={"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"},
        ),
        row(bus, "Microsoft.ServiceBus/namespaces", {}, sku={"name": "Premium", "tier": "Premium"}),
        row(f"{bus}/queues/orders", "Microsoft.ServiceBus/namespaces/queues", {"status": "Active"}),
        row(f"{bus}/topics/events", "Microsoft.ServiceBus/namespaces/topics", {"status": "Active"}),
        row(
            env,
            "Microsoft.App/managedEnvironments",
            {"vnetConfiguration": {"infrastructureSubnetId": f"{SPOKE}/subnets/default"}},
        ),
        row(
            rid("Microsoft.App/containerApps", "api1"),
            "Microsoft.App/containerApps",
            {"managedEnvironmentId": env.upper()},
        ),
        row(workspace, "Microsoft.OperationalInsights/workspaces", {"retentionInDays": 30}),
        row(
            rid("Microsoft.Insights/components", "insights1"),
            "Microsoft.Insights/components",
            {"WorkspaceResourceId": workspace.lower()},
            kind="web",
        ),
    ]


def containers() -> list[dict[str, Any]]:
    return [
        {
            "id": f"/subscriptions/{SUB}",
            "name": "Production",
            "type": "microsoft.resources/subscriptions",
            "subscriptionId": SUB,
        },
        {
            "id": RG,
            "name": "rg1",
            "type": "microsoft.resources/subscriptions/resourcegroups",
            "subscriptionId": SUB,
            "location": "eastus",
        },
    ]


def topology_rows() -> list[dict[str, Any]]:
    return network_rows() + compute_rows() + paas_rows()
