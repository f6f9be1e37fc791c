"""A deterministic synthetic Azure estate: hub-and-spoke VNets, VMs, NICs, LBs, PaaS, tags, edges.

Used by the diagram tests and by ``bench/render.py``: ``build_graph(n)`` has exactly ``n`` nodes
(fewer only when ``n`` is below one hub) and always the same ones for the same arguments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from cloudcanvas.diagram.model import Edge, Graph, Node

SUBSCRIPTION = "00000000-1111-2222-3333-444444444444"
PROVIDERS = {
    "azurevnet": ("Microsoft.Network/virtualNetworks", "network"),
    "azuresubnet": ("Microsoft.Network/virtualNetworks/subnets", "network"),
    "azurevm": ("Microsoft.Compute/virtualMachines", "compute"),
    "azurevmss": ("Microsoft.Compute/virtualMachineScaleSets", "compute"),
    "azurenic": ("Microsoft.Network/networkInterfaces", "network"),
    "azuredisk": ("Microsoft.Compute/disks", "storage"),
    "azurelb": ("Microsoft.Network/loadBalancers", "network"),
    "azurensg": ("Microsoft.Network/networkSecurityGroups", "security"),
    "azurepublicip": ("Microsoft.Network/publicIPAddresses", "network"),
    "azurefirewall": ("Microsoft.Network/azureFirewalls", "security"),
    "azurevpngateway": ("Microsoft.Network/virtualNetworkGateways", "network"),
    "azurebastion": ("Microsoft.Network/bastionHosts", "security"),
    "azureappgw": ("Microsoft.Network/applicationGateways", "network"),
    "azureprivateendpoint": ("Microsoft.Network/privateEndpoints", "network"),
    "azureblob": ("Microsoft.Storage/storageAccounts", "storage"),
    "azuresqlserver": ("Microsoft.Sql/servers", "database"),
    "azuresql": ("Microsoft.Sql/servers/databases", "database"),
    "azurekeyvault": ("Microsoft.KeyVault/vaults", "security"),
    "azurecosmosdb": ("Microsoft.DocumentDB/databaseAccounts", "database"),
    "azureredis": ("Microsoft.Cache/redis", "database"),
    "azureappserviceplan": ("Microsoft.Web/serverfarms", "web"),
    "azurewebapp": ("Microsoft.Web/sites", "web"),
    "azurefunctionapp": ("Microsoft.Web/sites", "web"),
    "azureaks": ("Microsoft.ContainerService/managedClusters", "containers"),
    "azuresbnamespace": ("Microsoft.ServiceBus/namespaces", "integration"),
}


@dataclass
class _Builder:
    rng: random.Random
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def add(self, component: str, rg: str, name: str, location: str, **extra: object) -> Node:
        provider, family = PROVIDERS[component]
        resource_id = (
            f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/{provider}/{name}"
        )
        if component == "azuresubnet":
            vnet_name = str(extra.pop("vnet_name"))
            resource_id = (
                f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/"
                f"Microsoft.Network/virtualNetworks/{vnet_name}/subnets/{name}"
            )
        key = resource_id.lower()
        tags = extra.pop("tags", None) or {
            "env": self.rng.choice(["prod", "prod", "dev", "test"]),
            "owner": self.rng.choice(["team-a", "team-b", "platform"]),
        }
        node = Node(
            key=key,
            resource_id=resource_id,
            name=name,
            component=component,
            family=family,
            arm_type=provider.lower(),
            location=location,
            subscription_id=SUBSCRIPTION,
            resource_group=rg,
            vnet=extra.pop("vnet", None),
            subnet=extra.pop("subnet", None),
            tags=tags,
            properties=extra.pop("properties", {}),
            ip_addresses=tuple(extra.pop("ips", ())),
        )
        self.nodes.append(node)
        return node

    def link(self, source: Node, target: Node, kind: str) -> None:
        self.edges.append(Edge(source.key, target.key, kind))


def _vnet(
    b: _Builder, rg: str, name: str, location: str, octet: int, subnets: list[str]
) -> tuple[Node, dict[str, Node]]:
    vnet = b.add("azurevnet", rg, name, location, properties={"addressSpace": f"10.{octet}.0.0/16"})
    vnet = _with_vnet(b, vnet, vnet.key)
    made = {}
    for index, subnet_name in enumerate(subnets):
        key = f"{vnet.key}/subnets/{subnet_name.lower()}"
        made[subnet_name] = b.add(
            "azuresubnet",
            rg,
            subnet_name,
            location,
            vnet_name=name,
            vnet=vnet.key,
            subnet=key,
            properties={"addressPrefix": f"10.{octet}.{index}.0/24"},
        )
    return vnet, made


def _with_vnet(b: _Builder, node: Node, vnet_key: str) -> Node:
    from dataclasses import replace

    fixed = replace(node, vnet=vnet_key)
    b.nodes[-1] = fixed
    return fixed


def _hub(b: _Builder, location: str, octet: int) -> Node:
    rg = f"rg-hub-{location}"
    subnets = ["GatewaySubnet", "AzureFirewallSubnet", "AzureBastionSubnet", "shared"]
    vnet, sn = _vnet(b, rg, f"vnet-hub-{location}", location, octet, subnets)
    net = {"vnet": vnet.key}
    pip = b.add("azurepublicip", rg, f"pip-fw-{location}", location, ips=[f"20.{octet}.1.4"])
    fw = b.add(
        "azurefirewall", rg, f"fw-{location}", location, subnet=sn["AzureFirewallSubnet"].key, **net
    )
    gw = b.add(
        "azurevpngateway", rg, f"vgw-{location}", location, subnet=sn["GatewaySubnet"].key, **net
    )
    bas = b.add(
        "azurebastion", rg, f"bas-{location}", location, subnet=sn["AzureBastionSubnet"].key, **net
    )
    b.link(pip, fw, "attached")
    b.link(gw, fw, "routes")
    b.link(bas, fw, "routes")
    return vnet


def _spoke(b: _Builder, location: str, hub: Node, index: int, octet: int) -> None:
    app = f"app{index:03d}"
    rg = f"rg-{app}-{location}"
    env = b.rng.choice(["prod", "prod", "dev", "test"])
    tags = {"env": env, "app": app, "owner": b.rng.choice(["team-a", "team-b", "platform"])}
    vnet, sn = _vnet(b, rg, f"vnet-{app}-{location}", location, octet, ["web", "app", "data", "pe"])
    b.link(hub, vnet, "peering")
    web_vms = _vms(
        b, rg, location, vnet, sn["web"], f"{app}-web", 2 + b.rng.randrange(3), octet, tags
    )
    _vms(b, rg, location, vnet, sn["app"], f"{app}-api", 1 + b.rng.randrange(3), octet, tags)
    lb = b.add(
        "azurelb",
        rg,
        f"lb-{app}",
        location,
        vnet=vnet.key,
        subnet=sn["web"].key,
        tags=tags,
        ips=[f"10.{octet}.0.250"],
    )
    for nic in web_vms:
        b.link(lb, nic, "backend")
    b.add(
        "azurensg", rg, f"nsg-{app}-web", location, vnet=vnet.key, subnet=sn["web"].key, tags=tags
    )
    paas = _paas(b, rg, location, app, tags)
    for target in paas[:3]:
        pe = b.add(
            "azureprivateendpoint",
            rg,
            f"pe-{target.name}",
            location,
            vnet=vnet.key,
            subnet=sn["pe"].key,
            tags=tags,
            ips=[f"10.{octet}.3.{len(b.nodes) % 250 + 4}"],
        )
        b.link(pe, target, "private-link")


def _vms(b, rg, location, vnet, subnet, prefix, count, octet, tags) -> list[Node]:
    nics = []
    for i in range(count):
        ip = f"10.{octet}.{1 if subnet.name == 'app' else 0}.{i + 4}"
        vm = b.add(
            "azurevm",
            rg,
            f"vm-{prefix}-{i:02d}",
            location,
            vnet=vnet.key,
            subnet=subnet.key,
            tags=tags,
            ips=[ip],
            properties={"size": "Standard_D2s_v5"},
        )
        nic = b.add(
            "azurenic",
            rg,
            f"nic-{prefix}-{i:02d}",
            location,
            vnet=vnet.key,
            subnet=subnet.key,
            tags=tags,
            ips=[ip],
        )
        disk = b.add("azuredisk", rg, f"disk-{prefix}-{i:02d}", location, tags=tags)
        b.link(nic, vm, "attached")
        b.link(vm, disk, "attached")
        nics.append(nic)
    return nics


def _paas(b: _Builder, rg: str, location: str, app: str, tags: dict[str, str]) -> list[Node]:
    storage = b.add("azureblob", rg, f"st{app}{location}", location, tags=tags)
    server = b.add("azuresqlserver", rg, f"sql-{app}", location, tags=tags)
    vault = b.add("azurekeyvault", rg, f"kv-{app}", location, tags=tags)
    made = [storage, server, vault]
    db = b.add("azuresql", rg, f"sqldb-{app}", location, tags=tags)
    b.link(db, server, "hosts")
    plan = b.add("azureappserviceplan", rg, f"plan-{app}", location, tags=tags)
    site = b.add("azurewebapp", rg, f"web-{app}", location, tags=tags)
    b.link(plan, site, "hosts")
    b.link(site, vault, "uses")
    if b.rng.random() < 0.5:
        cosmos = b.add("azurecosmosdb", rg, f"cosmos-{app}", location, tags=tags)
        func = b.add("azurefunctionapp", rg, f"func-{app}", location, tags=tags)
        b.link(func, cosmos, "uses")
    return made


def build_graph(
    n: int = 200, *, seed: int = 7, regions: tuple[str, ...] = ("eastus", "westeurope")
) -> Graph:
    """A hub-and-spoke estate over ``regions`` with exactly ``n`` nodes."""
    b = _Builder(random.Random(seed))
    hubs = [_hub(b, location, 1 + i) for i, location in enumerate(regions)]
    index = 0
    while len(b.nodes) < n:
        region = index % len(regions)
        _spoke(b, regions[region], hubs[region], index, 10 + index % 240)
        index += 1
    nodes = b.nodes[:n]
    keys = {node.key for node in nodes}
    edges = [e for e in b.edges if e.source in keys and e.target in keys]
    return Graph(nodes=nodes, edges=edges)
