"""ARM bodies for modern networking: Virtual WAN, hubs, firewalls and policies, ExpressRoute,
Private DNS zones, Private Link services, DDoS plans (shapes of the ARM REST reference examples)."""

from __future__ import annotations

from cloudcanvas.simulator.shapes import JSON, OK, base, ref

NET = "Microsoft.Network"


def firewall_policy(rid: str, location: str, tags: dict[str, str], firewalls: list[str]) -> JSON:
    body = base(rid, f"{NET}/firewallPolicies", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "sku": {"tier": "Premium"},
        "threatIntelMode": "Alert",
        "ruleCollectionGroups": [{"id": f"{rid}/ruleCollectionGroups/DefaultNetworkRules"}],
        "firewalls": [ref(f) for f in firewalls],
        "childPolicies": [],
    }
    return body


def firewall(rid: str, location: str, tags: dict[str, str], **where: str) -> JSON:
    """In a VNet (subnet, pip, ip) or in a secured virtual hub (hub, ip); with a policy."""
    body = base(rid, f"{NET}/azureFirewalls", location, tags)
    props: JSON = {
        "provisioningState": OK,
        "threatIntelMode": "Alert",
        "firewallPolicy": ref(where["policy"]),
        "ipConfigurations": [],
    }
    if "hub" in where:
        props["sku"] = {"name": "AZFW_Hub", "tier": "Premium"}
        props["virtualHub"] = ref(where["hub"])
        props["hubIPAddresses"] = {
            "privateIPAddress": where["ip"],
            "publicIPs": {"count": 1, "addresses": [{"address": where.get("public", "")}]},
        }
    else:
        props["sku"] = {"name": "AZFW_VNet", "tier": "Premium"}
        props["ipConfigurations"] = [
            {
                "name": "azureFirewallIpConfiguration",
                "id": f"{rid}/azureFirewallIpConfigurations/azureFirewallIpConfiguration",
                "properties": {
                    "provisioningState": OK,
                    "privateIPAddress": where["ip"],
                    "subnet": ref(where["subnet"]),
                    "publicIPAddress": ref(where["pip"]),
                },
            }
        ]
    body["properties"] = props
    return body


def virtual_wan(rid: str, location: str, hubs: list[str], tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/virtualWans", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "disableVpnEncryption": False,
        "allowBranchToBranchTraffic": True,
        "office365LocalBreakoutCategory": "None",
        "type": "Standard",
        "virtualHubs": [ref(h) for h in hubs],
        "vpnSites": [],
    }
    return body


def virtual_hub(rid: str, location: str, prefix: str, links: JSON, tags: dict[str, str]) -> JSON:
    """links: wan, vpn?, er?, firewall?, vnets (connected VNet ids, any subscription)."""
    body = base(rid, f"{NET}/virtualHubs", location, tags)
    props: JSON = {
        "provisioningState": OK,
        "virtualWan": ref(links["wan"]),
        "addressPrefix": prefix,
        "sku": "Standard",
        "routingState": "Provisioned",
        "virtualRouterAsn": 65515,
        "virtualRouterIps": [],
        "virtualNetworkConnections": [
            {
                "name": f"conn-{vnet.rsplit('/', 1)[-1]}",
                "id": f"{rid}/hubVirtualNetworkConnections/conn-{vnet.rsplit('/', 1)[-1]}",
                "properties": {
                    "provisioningState": OK,
                    "remoteVirtualNetwork": ref(vnet),
                    "enableInternetSecurity": True,
                },
            }
            for vnet in links.get("vnets", [])
        ],
    }
    for key, name in (("vpn", "vpnGateway"), ("er", "expressRouteGateway")):
        if links.get(key):
            props[name] = ref(links[key])
    if links.get("firewall"):
        props["azureFirewall"] = ref(links["firewall"])
    body["properties"] = props
    return body


def vwan_vpn_gateway(rid: str, location: str, hub: str, tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/vpnGateways", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "virtualHub": ref(hub),
        "connections": [],
        "bgpSettings": {"asn": 65515, "peerWeight": 0},
        "vpnGatewayScaleUnit": 1,
    }
    return body


def vwan_er_gateway(rid: str, location: str, hub: str, circuit: str, tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/expressRouteGateways", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "virtualHub": ref(hub),
        "autoScaleConfiguration": {"bounds": {"min": 1}},
        "expressRouteConnections": [
            {
                "name": "conn-er",
                "id": f"{rid}/expressRouteConnections/conn-er",
                "properties": {
                    "provisioningState": OK,
                    "expressRouteCircuitPeering": ref(f"{circuit}/peerings/AzurePrivatePeering"),
                    "routingWeight": 0,
                },
            }
        ],
    }
    return body


def er_circuit(rid: str, location: str, tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/expressRouteCircuits", location, tags)
    body["sku"] = {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"}
    body["properties"] = {
        "provisioningState": OK,
        "circuitProvisioningState": "Enabled",
        "serviceProviderProvisioningState": "Provisioned",
        "serviceProviderProperties": {
            "serviceProviderName": "Equinix",
            "peeringLocation": "Silicon Valley",
            "bandwidthInMbps": 1000,
        },
        "peerings": [
            {
                "name": "AzurePrivatePeering",
                "id": f"{rid}/peerings/AzurePrivatePeering",
                "properties": {"peeringType": "AzurePrivatePeering", "vlanId": 200},
            }
        ],
        "authorizations": [],
    }
    return body


def er_connection(
    rid: str, location: str, gateway: str, circuit: str, tags: dict[str, str]
) -> JSON:
    body = base(rid, f"{NET}/connections", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "virtualNetworkGateway1": ref(gateway),
        "connectionType": "ExpressRoute",
        "routingWeight": 0,
        "peer": ref(circuit),
    }
    return body


def private_dns_zone(rid: str, links: int, tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/privateDnsZones", "global", tags)
    body["properties"] = {
        "provisioningState": OK,
        "maxNumberOfRecordSets": 25000,
        "numberOfRecordSets": 1,
        "numberOfVirtualNetworkLinks": links,
        "numberOfVirtualNetworkLinksWithRegistration": 0,
    }
    return body


def dns_vnet_link(zone: str, name: str, vnet: str, tags: dict[str, str]) -> JSON:
    body = base(
        f"{zone}/virtualNetworkLinks/{name}",
        f"{NET}/privateDnsZones/virtualNetworkLinks",
        "global",
        tags,
    )
    body["properties"] = {
        "provisioningState": OK,
        "virtualNetwork": ref(vnet),
        "registrationEnabled": False,
        "virtualNetworkLinkState": "Completed",
    }
    return body


def private_link_service(
    rid: str, location: str, frontend: str, subnet: str, tags: dict[str, str]
) -> JSON:
    body = base(rid, f"{NET}/privateLinkServices", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "loadBalancerFrontendIpConfigurations": [ref(frontend)],
        "ipConfigurations": [
            {
                "name": "ipconfig1",
                "id": f"{rid}/ipConfigurations/ipconfig1",
                "properties": {"privateIPAllocationMethod": "Dynamic", "subnet": ref(subnet)},
            }
        ],
        "privateEndpointConnections": [],
        "alias": f"{rid.rsplit('/', 1)[-1]}.00000000-0000-0000-0000-000000000000.{location}.azure.privatelinkservice",
        "visibility": {"subscriptions": []},
    }
    return body


def ddos_plan(rid: str, location: str, vnets: list[str], tags: dict[str, str]) -> JSON:
    body = base(rid, f"{NET}/ddosProtectionPlans", location, tags)
    body["properties"] = {"provisioningState": OK, "virtualNetworks": [ref(v) for v in vnets]}
    return body
