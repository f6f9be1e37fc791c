"""Network family: VNets and their subnets, NICs, public IPs, NSGs, gateways, endpoints, DNS."""

from __future__ import annotations

from typing import Any

from cloudcanvas.inventory.families import wan
from cloudcanvas.inventory.families.base import (
    Draft,
    dicts,
    dig,
    items,
    name_of,
    obj,
    ref_of,
    sub_resource,
)
from cloudcanvas.inventory.types import SUBNET_TYPE


def virtual_network(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> list[Draft]:
    d.fact("address space", dig(p, "addressSpace", "addressPrefixes"))
    d.fact("dns servers", dig(p, "dhcpOptions", "dnsServers"))
    d.fact("ddos protection", p.get("enableDdosProtection"))
    d.link("ddos-plan", p.get("ddosProtectionPlan"))
    subnets = dicts(p.get("subnets"))
    d.fact("subnets", len(subnets))
    for peering in dicts(p.get("virtualNetworkPeerings")):
        d.link("peering", dig(peering, "properties", "remoteVirtualNetwork"))
    children = []
    for index, raw in enumerate(subnets):
        child = sub_resource(d, raw, arm_type=SUBNET_TYPE, index=index)
        subnet(child, obj(raw.get("properties")), raw)
        children.append(child)
    return children


_SUBNET_LINKS = (
    ("networkSecurityGroup", "nsg"),
    ("routeTable", "route-table"),
    ("natGateway", "nat-gateway"),
)


def subnet(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    # Kept lean: a large estate has a subnet for every few resources.
    d.fact("cidr", p.get("addressPrefix") or p.get("addressPrefixes"))
    for name, kind in _SUBNET_LINKS:
        target = p.get(name)
        if target:
            d.link(kind, target)
    delegations = p.get("delegations")
    if delegations:
        services = [
            dig(item, "properties", "serviceName") or item.get("serviceName")
            for item in dicts(delegations)
        ]
        d.fact("delegation", [s for s in services if isinstance(s, str)])
    endpoints = p.get("serviceEndpoints")
    if endpoints:
        services = [item.get("service") for item in dicts(endpoints)]
        d.fact("service endpoints", [s for s in services if isinstance(s, str)])
    policies = p.get("privateEndpointNetworkPolicies")
    if policies:
        d.fact("private endpoint policies", policies)
    outbound = p.get("defaultOutboundAccess")
    if outbound is not None:
        d.fact("default outbound access", outbound)


def _ip_configuration(d: Draft, conf: dict[str, Any]) -> None:
    props = obj(conf.get("properties"))
    d.add_ip(props.get("privateIPAddress"))
    d.place(props.get("subnet"))
    d.link("subnet", props.get("subnet"))
    d.link("public-ip", props.get("publicIPAddress"))


def network_interface(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    configurations = dicts(p.get("ipConfigurations"))
    # The primary configuration decides where the NIC sits.
    configurations.sort(key=lambda conf: not dig(conf, "properties", "primary"))
    for conf in configurations:
        _ip_configuration(d, conf)
    d.fact("private ip", list(d.ips))
    d.fact("mac", p.get("macAddress"))
    d.fact("accelerated networking", p.get("enableAcceleratedNetworking"))
    d.fact("ip forwarding", p.get("enableIPForwarding"))
    d.link("nsg", p.get("networkSecurityGroup"))
    d.link("attached", p.get("virtualMachine"))
    d.link("attached", p.get("privateEndpoint"))


def public_ip(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.add_ip(p.get("ipAddress"))
    d.fact("ip", p.get("ipAddress"))
    d.fact("allocation", p.get("publicIPAllocationMethod"))
    d.fact("version", p.get("publicIPAddressVersion"))
    fqdn = dig(p, "dnsSettings", "fqdn")
    d.fact("fqdn", fqdn)
    if isinstance(fqdn, str):
        d.hosts.append(fqdn)


def network_security_group(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    rules = dicts(p.get("securityRules"))
    inbound = sum(1 for r in rules if dig(r, "properties", "direction") == "Inbound")
    d.fact("rules", len(rules))
    d.fact("inbound rules", inbound)
    d.fact("outbound rules", len(rules) - inbound)


def load_balancer(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    public = False
    for front in dicts(p.get("frontendIPConfigurations")):
        props = obj(front.get("properties"))
        if ref_of(props.get("publicIPAddress")):
            public = True
            d.link("frontend", props.get("publicIPAddress"))
        if ref_of(props.get("subnet")):
            d.add_ip(props.get("privateIPAddress"))
            d.place(props.get("subnet"))
            d.link("subnet", props.get("subnet"))
    pools = dicts(p.get("backendAddressPools"))
    for pool in pools:
        props = obj(pool.get("properties"))
        for conf in dicts(props.get("backendIPConfigurations")):
            d.link("backend", conf, climb=True)
        for address in dicts(props.get("loadBalancerBackendAddresses")):
            ip = dig(address, "properties", "ipAddress")
            if isinstance(ip, str) and ip:
                d.link("backend", f"ip:{ip}")
    d.fact("type", "public" if public else "internal")
    d.fact("frontend ip", list(d.ips))
    d.fact("backend pools", len(pools))
    d.fact("rules", len(items(p.get("loadBalancingRules"))))


def application_gateway(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(p.get("sku"))
    d.sku = sku.get("name") if isinstance(sku.get("name"), str) else d.sku
    d.fact("tier", sku.get("tier"))
    d.fact("capacity", sku.get("capacity") or dig(p, "autoscaleConfiguration", "maxCapacity"))
    d.fact("state", p.get("operationalState"))
    d.fact("waf", dig(p, "webApplicationFirewallConfiguration", "enabled"))
    for conf in dicts(p.get("gatewayIPConfigurations")):
        d.place(dig(conf, "properties", "subnet"))
        d.link("subnet", dig(conf, "properties", "subnet"))
    for front in dicts(p.get("frontendIPConfigurations")):
        props = obj(front.get("properties"))
        d.link("frontend", props.get("publicIPAddress"))
        d.add_ip(props.get("privateIPAddress"))
    for pool in dicts(p.get("backendAddressPools")):
        props = obj(pool.get("properties"))
        for address in items(props.get("backendAddresses")):
            _app_gateway_backend(d, address)
        for conf in dicts(props.get("backendIPConfigurations")):
            d.link("backend", conf, climb=True)
    d.fact("listeners", len(items(p.get("httpListeners"))))


def _app_gateway_backend(d: Draft, address: Any) -> None:
    if isinstance(address, str):  # the published example lists bare addresses
        address = {"ipAddress": address} if address[:1].isdigit() else {"fqdn": address}
    if not isinstance(address, dict):
        return
    ip, fqdn = address.get("ipAddress"), address.get("fqdn")
    if isinstance(ip, str) and ip:
        d.link("backend", f"ip:{ip}")
    if isinstance(fqdn, str) and fqdn:
        d.link("backend", f"host:{fqdn.lower()}")


def _gateway_ip_configurations(d: Draft, p: dict[str, Any]) -> None:
    for conf in dicts(p.get("ipConfigurations")):
        _ip_configuration(d, conf)


def virtual_network_gateway(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    _gateway_ip_configurations(d, p)
    sku = obj(p.get("sku"))
    d.sku = sku.get("name") if isinstance(sku.get("name"), str) else d.sku
    d.fact("gateway type", p.get("gatewayType"))
    d.fact("vpn type", p.get("vpnType"))
    d.fact("generation", p.get("vpnGatewayGeneration"))
    d.fact("bgp", p.get("enableBgp"))
    d.fact("active-active", p.get("activeActive"))
    d.fact("bgp asn", dig(p, "bgpSettings", "asn"))


def bastion(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    _gateway_ip_configurations(d, p)
    d.fact("scale units", p.get("scaleUnits"))
    d.fact("dns name", p.get("dnsName"))


def firewall(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    _gateway_ip_configurations(d, p)
    sku = obj(p.get("sku"))
    d.sku = sku.get("tier") if isinstance(sku.get("tier"), str) else d.sku
    d.fact("threat intel", p.get("threatIntelMode"))
    d.fact("policy", name_of(p.get("firewallPolicy")))
    d.fact("private ip", list(d.ips))
    wan.firewall_extras(d, p)


def private_endpoint(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.place(p.get("subnet"))
    d.link("subnet", p.get("subnet"))
    groups: list[str] = []
    for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
        for conn in dicts(p.get(key)):
            props = obj(conn.get("properties"))
            d.link("private-link", props.get("privateLinkServiceId"))
            groups.extend(g for g in items(props.get("groupIds")) if isinstance(g, str))
            d.fact("connection", dig(props, "privateLinkServiceConnectionState", "status"))
    for config in dicts(p.get("customDnsConfigs")):
        for ip in items(config.get("ipAddresses")):
            d.add_ip(ip)
    for config in dicts(p.get("ipConfigurations")):
        d.add_ip(dig(config, "properties", "privateIPAddress"))
    for nic in dicts(p.get("networkInterfaces")):
        d.link("attached", nic, outgoing=False)
    d.fact("group", sorted(set(groups)))
    d.fact("private ip", list(d.ips))


def nat_gateway(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    for pip in dicts(p.get("publicIpAddresses")):
        d.link("public-ip", pip)
    d.fact("idle timeout (min)", p.get("idleTimeoutInMinutes"))


def route_table(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("routes", len(items(p.get("routes"))))
    d.fact("bgp propagation", not p.get("disableBgpRoutePropagation", False))
    wan.route_next_hops(d, p)


def dns_zone(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("record sets", p.get("numberOfRecordSets"))
    d.fact("name servers", p.get("nameServers"))
    d.fact("vnet links", p.get("numberOfVirtualNetworkLinks"))


def dns_zone_link(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.link("dns-link", p.get("virtualNetwork"))
    d.fact("auto registration", p.get("registrationEnabled"))


def connection(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    for key in ("virtualNetworkGateway1", "virtualNetworkGateway2", "localNetworkGateway2"):
        d.link("connection", p.get(key))
    d.link("expressroute", p.get("peer"))  # an ExpressRoute connection's circuit
    d.fact("connection type", p.get("connectionType"))
    d.fact("status", p.get("connectionStatus"))


def front_door(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    if isinstance(d.sku, str) and "frontdoor" in d.sku.lower():
        d.component = "azurefrontdoor"
    d.fact("state", p.get("resourceState") or p.get("enabledState"))
    for endpoint in dicts(p.get("frontendEndpoints")):
        host = dig(endpoint, "properties", "hostName")
        if isinstance(host, str):
            d.hosts.append(host)


def traffic_manager(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("routing", p.get("trafficRoutingMethod"))
    d.fact("fqdn", dig(p, "dnsConfig", "fqdn"))
    for endpoint in dicts(p.get("endpoints")):
        d.link("backend", dig(endpoint, "properties", "targetResourceId"))


NORMALIZERS = {
    "microsoft.network/virtualnetworks": virtual_network,
    SUBNET_TYPE: subnet,
    "microsoft.network/networkinterfaces": network_interface,
    "microsoft.network/publicipaddresses": public_ip,
    "microsoft.network/networksecuritygroups": network_security_group,
    "microsoft.network/loadbalancers": load_balancer,
    "microsoft.network/applicationgateways": application_gateway,
    "microsoft.network/virtualnetworkgateways": virtual_network_gateway,
    "microsoft.network/bastionhosts": bastion,
    "microsoft.network/azurefirewalls": firewall,
    "microsoft.network/privateendpoints": private_endpoint,
    "microsoft.network/natgateways": nat_gateway,
    "microsoft.network/routetables": route_table,
    "microsoft.network/dnszones": dns_zone,
    "microsoft.network/privatednszones": dns_zone,
    "microsoft.network/privatednszones/virtualnetworklinks": dns_zone_link,
    "microsoft.network/connections": connection,
    "microsoft.cdn/profiles": front_door,
    "microsoft.network/frontdoors": front_door,
    "microsoft.network/trafficmanagerprofiles": traffic_manager,
}
