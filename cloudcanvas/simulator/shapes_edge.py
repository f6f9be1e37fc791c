"""ARM bodies for load balancers, gateways, Bastion, private endpoints and global resources."""

from __future__ import annotations

from cloudcanvas.simulator.shapes import JSON, OK, base, ref


def load_balancer(
    rid: str, location: str, pip: str, pool_members: list[str], tags: dict[str, str]
) -> JSON:
    """pool_members: NIC ipConfiguration ids in the single backend pool."""
    body = base(rid, "Microsoft.Network/loadBalancers", location, tags)
    body["sku"] = {"name": "Standard", "tier": "Regional"}
    fe, pool, probe = (
        f"{rid}/frontendIPConfigurations/fe",
        f"{rid}/backendAddressPools/be",
        f"{rid}/probes/http",
    )
    body["properties"] = {
        "provisioningState": OK,
        "frontendIPConfigurations": [
            {
                "name": "fe",
                "id": fe,
                "type": "Microsoft.Network/loadBalancers/frontendIPConfigurations",
                "properties": {"provisioningState": OK, "publicIPAddress": ref(pip)},
            }
        ],
        "backendAddressPools": [
            {
                "name": "be",
                "id": pool,
                "type": "Microsoft.Network/loadBalancers/backendAddressPools",
                "properties": {
                    "provisioningState": OK,
                    "backendIPConfigurations": [ref(m) for m in pool_members],
                },
            }
        ],
        "loadBalancingRules": [
            {
                "name": "http",
                "id": f"{rid}/loadBalancingRules/http",
                "properties": {
                    "provisioningState": OK,
                    "frontendIPConfiguration": ref(fe),
                    "backendAddressPool": ref(pool),
                    "probe": ref(probe),
                    "frontendPort": 80,
                    "backendPort": 80,
                    "protocol": "Tcp",
                },
            }
        ],
        "probes": [{"name": "http", "id": probe, "properties": {"protocol": "Http", "port": 80}}],
    }
    return body


def app_gateway(
    rid: str, location: str, subnet: str, pip: str, fqdns: list[str], tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.Network/applicationGateways", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
        "operationalState": "Running",
        "gatewayIPConfigurations": [
            {
                "name": "appgwipc",
                "id": f"{rid}/gatewayIPConfigurations/appgwipc",
                "properties": {"provisioningState": OK, "subnet": ref(subnet)},
            }
        ],
        "frontendIPConfigurations": [
            {
                "name": "appgwfip",
                "id": f"{rid}/frontendIPConfigurations/appgwfip",
                "properties": {
                    "provisioningState": OK,
                    "privateIPAllocationMethod": "Dynamic",
                    "publicIPAddress": ref(pip),
                },
            }
        ],
        "frontendPorts": [
            {"name": "https", "id": f"{rid}/frontendPorts/https", "properties": {"port": 443}}
        ],
        "backendAddressPools": [
            {
                "name": "appgwpool",
                "id": f"{rid}/backendAddressPools/appgwpool",
                "properties": {
                    "provisioningState": OK,
                    "backendAddresses": [{"fqdn": f} for f in fqdns] or [{"ipAddress": "10.0.1.4"}],
                },
            }
        ],
    }
    return body


def vpn_gateway(rid: str, location: str, subnet: str, pip: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/virtualNetworkGateways", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "ipConfigurations": [
            {
                "name": "gwipconfig1",
                "id": f"{rid}/ipConfigurations/gwipconfig1",
                "properties": {
                    "provisioningState": OK,
                    "privateIPAllocationMethod": "Dynamic",
                    "publicIPAddress": ref(pip),
                    "subnet": ref(subnet),
                },
            }
        ],
        "sku": {"name": "VpnGw1", "tier": "VpnGw1", "capacity": 2},
        "gatewayType": "Vpn",
        "vpnType": "RouteBased",
        "enableBgp": False,
        "activeActive": False,
    }
    return body


def bastion(rid: str, location: str, subnet: str, pip: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/bastionHosts", location, tags)
    body["sku"] = {"name": "Standard"}
    body["properties"] = {
        "provisioningState": OK,
        "dnsName": f"bst-{body['name']}.bastion.azure.com",
        "ipConfigurations": [
            {
                "name": "IpConf",
                "id": f"{rid}/bastionHostIpConfigurations/IpConf",
                "properties": {
                    "provisioningState": OK,
                    "privateIPAllocationMethod": "Dynamic",
                    "subnet": ref(subnet),
                    "publicIPAddress": ref(pip),
                },
            }
        ],
    }
    return body


def private_endpoint(
    rid: str, location: str, subnet: str, target: str, group: str, nic_id: str, tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.Network/privateEndpoints", location, tags)
    name = body["name"]
    body["properties"] = {
        "provisioningState": OK,
        "privateLinkServiceConnections": [
            {
                "name": name,
                "id": f"{rid}/privateLinkServiceConnections/{name}",
                "properties": {
                    "privateLinkServiceId": target,
                    "groupIds": [group],
                    "privateLinkServiceConnectionState": {
                        "status": "Approved",
                        "description": "Auto-approved",
                        "actionsRequired": "None",
                    },
                },
            }
        ],
        "manualPrivateLinkServiceConnections": [],
        "subnet": ref(subnet),
        "networkInterfaces": [ref(nic_id)],
        "customDnsConfigs": [],
    }
    return body


def dns_zone(rid: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/dnszones", "global", tags)
    body["properties"] = {
        "maxNumberOfRecordSets": 10000,
        "numberOfRecordSets": 4,
        "nameServers": ["ns1-01.azure-dns.com.", "ns2-01.azure-dns.net."],
        "zoneType": "Public",
    }
    return body


def front_door(rid: str, backends: list[str], tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/frontDoors", "global", tags)
    name = body["name"]
    body["properties"] = {
        "provisioningState": OK,
        "resourceState": "Enabled",
        "cname": f"{name}.azurefd.net",
        "frontendEndpoints": [
            {
                "name": "default",
                "id": f"{rid}/frontendEndpoints/default",
                "properties": {"hostName": f"{name}.azurefd.net"},
            }
        ],
        "backendPools": [
            {
                "name": "origin",
                "id": f"{rid}/backendPools/origin",
                "properties": {
                    "backends": [
                        {
                            "address": b,
                            "httpPort": 80,
                            "httpsPort": 443,
                            "priority": 1,
                            "weight": 50,
                        }
                        for b in backends
                    ]
                },
            }
        ],
    }
    return body
