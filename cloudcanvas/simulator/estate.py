"""A seeded multi-subscription estate: hub-and-spoke across subscriptions, Virtual WAN,
private endpoints to another subscription's services, under management groups.

Subscription 0 is *Connectivity* (hub VNet with Azure Firewall + policy, VPN and ExpressRoute
gateways, an NVA, a DDoS plan, Private DNS zones, a Virtual WAN with a secured hub), 1 is *Shared
Services* (a storage account and a Private Link service others reach privately), the rest are
landing zones whose spoke VNets peer with the hub (or connect to the Virtual WAN hub) and route
through the firewall. One principal reads everything through the management group ``mg-contoso``;
a second one reads two landing zones only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cloudcanvas.simulator import shapes as s
from cloudcanvas.simulator import shapes_edge as e
from cloudcanvas.simulator import shapes_paas as p
from cloudcanvas.simulator import shapes_wan as w
from cloudcanvas.simulator.environment import Environment, ManagementGroup, RoleAssignment
from cloudcanvas.simulator.generator import JSON, Builder, _identities, add_spoke

NET = "Microsoft.Network"
HUB_REGION, WAN_REGION = "eastus", "westeurope"
FIREWALL_IP, NVA_IP = "10.0.1.4", "10.0.3.4"
TAGS = {"env": "prod", "owner": "platform@contoso.com", "app": "connectivity"}


@dataclass
class Hub:
    vnet: JSON
    wan_hub: JSON
    storage: str
    dns_zone: str


def _hub_vnet(b: Builder, rg: str) -> JSON:
    vnet_id = b.rid(rg, f"{NET}/virtualNetworks", "vnet-hub-eastus")
    subnets = [
        s.subnet(vnet_id, "GatewaySubnet", "10.0.0.0/27"),
        s.subnet(vnet_id, "AzureFirewallSubnet", "10.0.1.0/26"),
        s.subnet(vnet_id, "snet-nva", "10.0.3.0/24"),
    ]
    vnet = s.vnet(vnet_id, HUB_REGION, "10.0.0.0/16", subnets, TAGS)
    vnet["properties"]["enableDdosProtection"] = True
    vnet["properties"]["ddosProtectionPlan"] = {
        "id": b.rid(rg, f"{NET}/ddosProtectionPlans", "ddos-contoso")
    }
    return vnet


def _firewall(b: Builder, rg: str, vnet_id: str) -> list[JSON]:
    policy = b.rid(rg, f"{NET}/firewallPolicies", "afwp-contoso")
    fw = b.rid(rg, f"{NET}/azureFirewalls", "afw-hub-eastus")
    hub_fw = b.rid(rg, f"{NET}/azureFirewalls", "afw-vhub-westeurope")
    pip = b.rid(rg, f"{NET}/publicIPAddresses", "pip-afw-hub-eastus")
    hub = b.rid(rg, f"{NET}/virtualHubs", "vhub-westeurope")
    subnet = f"{vnet_id}/subnets/AzureFirewallSubnet"
    return [
        w.firewall_policy(policy, HUB_REGION, TAGS, [fw, hub_fw]),
        w.firewall(fw, HUB_REGION, TAGS, policy=policy, subnet=subnet, pip=pip, ip=FIREWALL_IP),
        w.firewall(hub_fw, WAN_REGION, TAGS, policy=policy, hub=hub, ip="10.100.64.4"),
        s.public_ip(pip, HUB_REGION, b.public_ip(), f"{fw}/azureFirewallIpConfigurations/x", TAGS),
    ]


def _nva(b: Builder, rg: str, vnet_id: str) -> list[JSON]:
    vm = b.rid(rg, "Microsoft.Compute/virtualMachines", "vm-nva-01")
    nic = b.rid(rg, f"{NET}/networkInterfaces", "nic-vm-nva-01")
    disk = b.rid(rg, "Microsoft.Compute/disks", "vm-nva-01_OsDisk_1")
    nic_body = s.nic(
        nic, HUB_REGION, NVA_IP, {"subnet": f"{vnet_id}/subnets/snet-nva", "vm": vm}, TAGS
    )
    nic_body["properties"]["enableIPForwarding"] = True
    return [
        s.vm(vm, HUB_REGION, "Standard_D4s_v5", [disk], [nic], TAGS),
        nic_body,
        s.disk(disk, HUB_REGION, 64, vm, TAGS),
    ]


def _gateways(b: Builder, rg: str, vnet_id: str) -> list[JSON]:
    circuit = b.rid(rg, f"{NET}/expressRouteCircuits", "erc-equinix-sv")
    ergw = b.rid(rg, f"{NET}/virtualNetworkGateways", "ergw-hub-eastus")
    pip = b.rid(rg, f"{NET}/publicIPAddresses", "pip-ergw-hub-eastus")
    gw = e.vpn_gateway(ergw, HUB_REGION, f"{vnet_id}/subnets/GatewaySubnet", pip, TAGS)
    gw["properties"]["gatewayType"] = "ExpressRoute"
    gw["properties"]["sku"] = {"name": "ErGw1AZ", "tier": "ErGw1AZ"}
    conn = b.rid(rg, f"{NET}/connections", "conn-ergw-erc")
    return [
        w.er_circuit(circuit, HUB_REGION, TAGS),
        gw,
        s.public_ip(pip, HUB_REGION, b.public_ip(), f"{ergw}/ipConfigurations/gwipconfig1", TAGS),
        w.er_connection(conn, HUB_REGION, ergw, circuit, TAGS),
    ]


def _wan(b: Builder, rg: str, circuit: str) -> list[JSON]:
    wan = b.rid(rg, f"{NET}/virtualWans", "vwan-contoso")
    hub = b.rid(rg, f"{NET}/virtualHubs", "vhub-westeurope")
    vpn = b.rid(rg, f"{NET}/vpnGateways", "vpngw-vhub-westeurope")
    er = b.rid(rg, f"{NET}/expressRouteGateways", "ergw-vhub-westeurope")
    fw = b.rid(rg, f"{NET}/azureFirewalls", "afw-vhub-westeurope")
    links = {"wan": wan, "vpn": vpn, "er": er, "firewall": fw, "vnets": []}
    return [
        w.virtual_wan(wan, WAN_REGION, [hub], TAGS),
        w.virtual_hub(hub, WAN_REGION, "10.100.0.0/23", links, TAGS),
        w.vwan_vpn_gateway(vpn, WAN_REGION, hub, TAGS),
        w.vwan_er_gateway(er, WAN_REGION, hub, circuit, TAGS),
    ]


def add_connectivity(b: Builder) -> Hub:
    rg = b.group("rg-connectivity", HUB_REGION, TAGS)
    vnet = _hub_vnet(b, rg)
    isolated = b.rid(rg, f"{NET}/virtualNetworks", "vnet-quarantine")
    zone = b.rid(rg, f"{NET}/privateDnsZones", "privatelink.blob.core.windows.net")
    circuit = b.rid(rg, f"{NET}/expressRouteCircuits", "erc-equinix-sv")
    b.resources += [vnet, *_firewall(b, rg, vnet["id"]), *_nva(b, rg, vnet["id"])]
    b.resources += [*_gateways(b, rg, vnet["id"]), *_wan(b, rg, circuit)]
    b.resources += [
        w.ddos_plan(vnet["properties"]["ddosProtectionPlan"]["id"], HUB_REGION, [vnet["id"]], TAGS),
        w.private_dns_zone(zone, 0, TAGS),
        w.dns_vnet_link(zone, "link-hub", vnet["id"], TAGS),
        s.vnet(isolated, HUB_REGION, "192.168.0.0/24", [], TAGS),  # peered with nothing
    ]
    wan_hub = next(r for r in b.resources if r["type"].endswith("virtualHubs"))
    return Hub(vnet, wan_hub, "", zone)


def add_shared(b: Builder, hub: Hub) -> None:
    """Shared services: a storage account and a Private Link service behind an internal LB."""
    rg = b.group("rg-shared-services", HUB_REGION, TAGS)
    vnet_id = b.rid(rg, f"{NET}/virtualNetworks", "vnet-shared-eastus")
    subnets = [s.subnet(vnet_id, "snet-pls", "10.250.0.0/24")]
    vnet = s.vnet(vnet_id, HUB_REGION, "10.250.0.0/16", subnets, TAGS)
    _peer(b, vnet, hub.vnet, "shared")
    hub.storage = b.rid(rg, "Microsoft.Storage/storageAccounts", f"stshared{b.guid()[:8]}")
    lb = b.rid(rg, f"{NET}/loadBalancers", "lbi-shared-api")
    lb_pip = b.rid(rg, f"{NET}/publicIPAddresses", "pip-lbi-shared-api")
    pls = b.rid(rg, f"{NET}/privateLinkServices", "pls-shared-api")
    b.resources += [
        vnet,
        p.storage(hub.storage, HUB_REGION, "StorageV2", None, TAGS),
        e.load_balancer(lb, HUB_REGION, lb_pip, [], TAGS),
        s.public_ip(lb_pip, HUB_REGION, b.public_ip(), f"{lb}/frontendIPConfigurations/fe", TAGS),
        w.private_link_service(
            pls,
            HUB_REGION,
            f"{lb}/frontendIPConfigurations/fe",
            f"{vnet_id}/subnets/snet-pls",
            TAGS,
        ),
    ]


def _peer(b: Builder, spoke: JSON, hub: JSON, name: str) -> None:
    spoke["properties"]["virtualNetworkPeerings"].append(
        s.peering(spoke["id"], "peer-to-hub", b.ref(hub["id"]), False)
    )
    hub["properties"]["virtualNetworkPeerings"].append(
        s.peering(hub["id"], f"peer-to-{name}", b.ref(spoke["id"]), True)
    )


def add_landing_zone(b: Builder, hub: Hub, index: int, workloads: int) -> None:
    """Spoke(s) peered with the hub in another subscription; a private endpoint to shared storage;
    every fourth landing zone also has a VNet connected to the Virtual WAN hub."""
    b.spokes = index * 10  # distinct address spaces across subscriptions
    add_spoke(b, HUB_REGION, hub.vnet, workloads)
    spoke = next(r for r in reversed(b.resources) if r["type"] == f"{NET}/virtualNetworks")
    for sn in spoke["properties"]["subnets"]:
        if sn["name"] == "snet-app":
            sn["properties"]["serviceEndpoints"] = [
                {
                    "service": "Microsoft.Storage",
                    "locations": [HUB_REGION],
                    "provisioningState": "Succeeded",
                }
            ]
    rg = "/".join(spoke["id"].split("/")[:5])
    pe = b.rid(rg, f"{NET}/privateEndpoints", f"pe-shared-blob-{index}")
    nic = b.rid(rg, f"{NET}/networkInterfaces", f"pe-shared-blob-{index}.nic.{b.guid()}")
    subnet = f"{spoke['id']}/subnets/snet-data"
    b.resources += [
        e.private_endpoint(pe, HUB_REGION, subnet, b.ref(hub.storage), "blob", nic, {}),
        s.nic(nic, HUB_REGION, f"10.{index * 10 % 250 + 1}.2.10", {"subnet": subnet}, {}),
        w.dns_vnet_link(hub.dns_zone, f"link-{spoke['name']}", spoke["id"], {}),
    ]
    if index % 4 == 2:
        wan_vnet = b.rid(rg, f"{NET}/virtualNetworks", f"vnet-wan-{index:02d}")
        prefix = f"10.{200 + index % 50}.0.0/16"
        subnets = [s.subnet(wan_vnet, "snet-workload", prefix.replace("0.0/16", "0.0/24"))]
        b.resources.append(s.vnet(wan_vnet, WAN_REGION, prefix, subnets, {}))
        hub.wan_hub["properties"]["virtualNetworkConnections"].append(
            {
                "name": f"conn-vnet-wan-{index:02d}",
                "id": f"{hub.wan_hub['id']}/hubVirtualNetworkConnections/conn-vnet-wan-{index:02d}",
                "properties": {
                    "provisioningState": "Succeeded",
                    "remoteVirtualNetwork": {"id": wan_vnet},
                },
            }
        )


def _management_groups(env: Environment) -> None:
    subs = [x.subscription_id for x in env.subscriptions]
    env.management_groups = [
        ManagementGroup("mg-contoso", "Contoso"),
        ManagementGroup("mg-platform", "Platform", "mg-contoso", subs[:2]),
        ManagementGroup("mg-landingzones", "Landing zones", "mg-contoso", subs[2:]),
    ]
    reader, partial = env.principals[0], env.principals[1]
    env.role_assignments = [
        RoleAssignment(reader.object_id, env.management_groups[0].id, "Reader"),
        *(
            RoleAssignment(partial.object_id, f"/subscriptions/{sid}", "Reader")
            for sid in subs[2:4]
        ),
    ]


def generate_estate(subscriptions: int = 6, *, workloads: int = 2, seed: int = 7) -> Environment:
    """A tenant of ``subscriptions`` (≥ 3) subscriptions under management groups; see the module."""
    if subscriptions < 3:
        raise ValueError("a multi-subscription estate needs at least 3 subscriptions")
    rng = random.Random(seed)
    env = _identities(rng, subscriptions, 2)
    for index, sub in enumerate(env.subscriptions):
        sub.display_name = (
            ("Connectivity", "Shared Services")[index] if index < 2 else f"Landing zone {index - 1}"
        )
    _management_groups(env)
    builders = [
        Builder(env, random.Random(rng.getrandbits(64)), x.subscription_id, x.tenant_id)
        for x in env.subscriptions
    ]
    hub = add_connectivity(builders[0])
    add_shared(builders[1], hub)
    for index, b in enumerate(builders[2:], start=2):
        add_landing_zone(b, hub, index, workloads)
    for b in builders:
        b.commit_to(env)
    return env
