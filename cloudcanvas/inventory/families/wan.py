"""Modern networking: Virtual WAN and its hubs, firewalls and their policies, ExpressRoute,
Private Link services, DDoS plans, and routes whose next hop is a firewall or an appliance.

Shapes follow the ARM REST reference (Microsoft.Network, 2023-xx api-versions). Hub connections to
VNets come either inside the hub (``virtualNetworkConnections``, older api-versions) or as rows of
their own (``virtualHubs/hubVirtualNetworkConnections``); both give a ``hub-connection``.
"""

from __future__ import annotations

from typing import Any

from cloudcanvas.inventory.families.base import Draft, dicts, dig, items, name_of, obj


def virtual_wan(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("type", p.get("type"))
    d.fact("branch to branch", p.get("allowBranchToBranchTraffic"))
    hubs = dicts(p.get("virtualHubs"))
    d.fact("hubs", len(hubs))
    for hub in hubs:
        d.link("wan-hub", hub)


def virtual_hub(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("address prefix", p.get("addressPrefix"))
    d.fact("sku", p.get("sku"))
    d.fact("routing state", p.get("routingState"))
    d.link("wan-hub", p.get("virtualWan"), outgoing=False)
    for key in ("vpnGateway", "expressRouteGateway", "p2SVpnGateway", "azureFirewall"):
        d.link("hub-gateway", p.get(key))
    for conn in dicts(p.get("virtualNetworkConnections")):
        d.link("hub-connection", dig(conn, "properties", "remoteVirtualNetwork"))
    for ip in items(p.get("virtualRouterIps")):
        d.add_ip(ip)


def hub_connection(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    """A hubVirtualNetworkConnection row: the hub (its parent) to the remote VNet."""
    d.fact("internet security", p.get("enableInternetSecurity"))
    d.fact("remote vnet", name_of(p.get("remoteVirtualNetwork")))
    d.link("hub-connection", p.get("remoteVirtualNetwork"))


def hub_gateway(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    """A Virtual WAN VPN or ExpressRoute gateway: in its hub; ExpressRoute ones reach circuits."""
    d.link("hub-gateway", p.get("virtualHub"), outgoing=False)
    d.fact(
        "scale units",
        p.get("vpnGatewayScaleUnit") or dig(p, "autoScaleConfiguration", "bounds", "min"),
    )
    for conn in dicts(p.get("expressRouteConnections")):
        peering = dig(conn, "properties", "expressRouteCircuitPeering")
        d.link("expressroute", peering, climb=True)
    d.fact("connections", len(items(p.get("connections"))) or None)


def firewall_policy(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("tier", dig(p, "sku", "tier"))
    d.fact("threat intel", p.get("threatIntelMode"))
    d.fact("rule collection groups", len(items(p.get("ruleCollectionGroups"))))
    d.fact("firewalls", len(items(p.get("firewalls"))))
    d.link("child-policy", p.get("basePolicy"), outgoing=False)


def firewall_extras(d: Draft, p: dict[str, Any]) -> None:
    """What the network family's firewall normalizer leaves out: policy, hub, hub addresses."""
    d.link("firewall-policy", p.get("firewallPolicy"))
    d.link("hub-gateway", p.get("virtualHub"), outgoing=False)
    private = dig(p, "hubIPAddresses", "privateIPAddress")
    d.add_ip(private)
    if private:
        d.fact("private ip", list(d.ips))
    d.fact("public ips", dig(p, "hubIPAddresses", "publicIPs", "count"))


def expressroute_circuit(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    provider = obj(p.get("serviceProviderProperties"))
    d.fact("provider", provider.get("serviceProviderName"))
    d.fact("peering location", provider.get("peeringLocation"))
    d.fact("bandwidth (Mbps)", provider.get("bandwidthInMbps") or p.get("bandwidthInGbps"))
    d.fact("circuit state", p.get("circuitProvisioningState"))
    d.fact("provider state", p.get("serviceProviderProvisioningState"))
    d.fact("peerings", [name_of(x) or x.get("name") for x in dicts(p.get("peerings"))])


def private_link_service(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("alias", p.get("alias"))
    for front in dicts(p.get("loadBalancerFrontendIpConfigurations")):
        d.link("private-link-service", front, climb=True)
    for conf in dicts(p.get("ipConfigurations")):
        props = obj(conf.get("properties"))
        d.place(props.get("subnet"))
        d.link("subnet", props.get("subnet"))
        d.add_ip(props.get("privateIPAddress"))
    d.fact("connections", len(items(p.get("privateEndpointConnections"))))


def ddos_plan(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    vnets = dicts(p.get("virtualNetworks"))
    d.fact("protected vnets", len(vnets))
    for vnet in vnets:
        d.link("ddos-plan", vnet, outgoing=False)


def route_next_hops(d: Draft, p: dict[str, Any]) -> None:
    """Routes to a virtual appliance: the firewall or NVA holding that address is the next hop."""
    hops = []
    for route in dicts(p.get("routes")):
        props = obj(route.get("properties"))
        ip = props.get("nextHopIpAddress")
        if props.get("nextHopType") == "VirtualAppliance" and isinstance(ip, str) and ip:
            hops.append(ip)
            d.link("next-hop", f"ip:{ip}")
    d.fact("next hop", sorted(set(hops)))


NORMALIZERS = {
    "microsoft.network/virtualwans": virtual_wan,
    "microsoft.network/virtualhubs": virtual_hub,
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections": hub_connection,
    "microsoft.network/vpngateways": hub_gateway,
    "microsoft.network/expressroutegateways": hub_gateway,
    "microsoft.network/firewallpolicies": firewall_policy,
    "microsoft.network/expressroutecircuits": expressroute_circuit,
    "microsoft.network/privatelinkservices": private_link_service,
    "microsoft.network/ddosprotectionplans": ddos_plan,
}
