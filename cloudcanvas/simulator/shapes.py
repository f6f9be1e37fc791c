"""ARM resource bodies shaped like the published examples (../shared/azure-examples/)."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]
OK = "Succeeded"


def ref(rid: str) -> JSON:
    return {"id": rid}


def base(rid: str, kind: str, location: str, tags: dict[str, str] | None = None) -> JSON:
    body: JSON = {"id": rid, "name": rid.rsplit("/", 1)[-1], "type": kind, "location": location}
    if tags:
        body["tags"] = dict(tags)
    return body


def subnet(vnet_id: str, name: str, prefix: str, **links: Any) -> JSON:
    props: JSON = {"provisioningState": OK, "addressPrefix": prefix}
    if links.get("nsg"):
        props["networkSecurityGroup"] = ref(links["nsg"])
    if links.get("route_table"):
        props["routeTable"] = ref(links["route_table"])
    if links.get("nat"):
        props["natGateway"] = ref(links["nat"])
    if links.get("delegation"):
        service = links["delegation"]
        props["delegations"] = [
            {
                "name": "delegation",
                "id": f"{vnet_id}/subnets/{name}/delegations/delegation",
                "properties": {"provisioningState": OK, "serviceName": service},
                "type": "Microsoft.Network/virtualNetworks/subnets/delegations",
            }
        ]
    props["privateEndpointNetworkPolicies"] = "Disabled"
    return {"name": name, "id": f"{vnet_id}/subnets/{name}", "properties": props}


def vnet(rid: str, location: str, prefix: str, subnets: list[JSON], tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/virtualNetworks", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "addressSpace": {"addressPrefixes": [prefix]},
        "subnets": subnets,
        "virtualNetworkPeerings": [],
    }
    return body


def peering(vnet_id: str, name: str, remote_id: str, gateway_transit: bool) -> JSON:
    return {
        "name": name,
        "id": f"{vnet_id}/virtualNetworkPeerings/{name}",
        "properties": {
            "provisioningState": OK,
            "peeringState": "Connected",
            "remoteVirtualNetwork": ref(remote_id),
            "allowVirtualNetworkAccess": True,
            "allowForwardedTraffic": True,
            "allowGatewayTransit": gateway_transit,
            "useRemoteGateways": False,
        },
    }


def nsg(rid: str, location: str, ports: list[int], tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/networkSecurityGroups", location, tags)
    rules = [
        {
            "name": f"allow-{port}",
            "id": f"{rid}/securityRules/allow-{port}",
            "properties": {
                "provisioningState": OK,
                "protocol": "Tcp",
                "sourcePortRange": "*",
                "destinationPortRange": str(port),
                "sourceAddressPrefix": "*",
                "destinationAddressPrefix": "*",
                "access": "Allow",
                "priority": 100 + i * 10,
                "direction": "Inbound",
            },
        }
        for i, port in enumerate(ports)
    ]
    body["properties"] = {
        "provisioningState": OK,
        "securityRules": rules,
        "defaultSecurityRules": [],
    }
    return body


def route_table(rid: str, location: str, next_hop: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/routeTables", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "disableBgpRoutePropagation": False,
        "routes": [
            {
                "name": "default-via-hub",
                "id": f"{rid}/routes/default-via-hub",
                "properties": {
                    "provisioningState": OK,
                    "addressPrefix": "0.0.0.0/0",
                    "nextHopType": "VirtualAppliance",
                    "nextHopIpAddress": next_hop,
                },
            }
        ],
    }
    return body


def nat_gateway(rid: str, location: str, pip: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Network/natGateways", location, tags)
    body["sku"] = {"name": "Standard"}
    body["properties"] = {
        "provisioningState": OK,
        "idleTimeoutInMinutes": 4,
        "publicIpAddresses": [ref(pip)],
    }
    return body


def public_ip(
    rid: str, location: str, address: str, ip_config: str | None, tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.Network/publicIPAddresses", location, tags)
    body["sku"] = {"name": "Standard", "tier": "Regional"}
    props: JSON = {
        "provisioningState": OK,
        "ipAddress": address,
        "publicIPAddressVersion": "IPv4",
        "publicIPAllocationMethod": "Static",
        "idleTimeoutInMinutes": 4,
        "ipTags": [],
    }
    if ip_config:
        props["ipConfiguration"] = ref(ip_config)
    body["properties"] = props
    return body


def nic(rid: str, location: str, ip: str, links: JSON, tags: dict[str, str]) -> JSON:
    """links: subnet, nsg?, pip?, vm?, pools? (load balancer backend pool ids)."""
    ipc: JSON = {
        "provisioningState": OK,
        "privateIPAddress": ip,
        "privateIPAllocationMethod": "Dynamic",
        "subnet": ref(links["subnet"]),
        "primary": True,
        "privateIPAddressVersion": "IPv4",
    }
    if links.get("pip"):
        ipc["publicIPAddress"] = ref(links["pip"])
    if links.get("pools"):
        ipc["loadBalancerBackendAddressPools"] = [ref(p) for p in links["pools"]]
    body = base(rid, "Microsoft.Network/networkInterfaces", location, tags)
    props: JSON = {
        "provisioningState": OK,
        "ipConfigurations": [
            {"name": "ipconfig1", "id": f"{rid}/ipConfigurations/ipconfig1", "properties": ipc}
        ],
        "dnsSettings": {"dnsServers": [], "appliedDnsServers": []},
        "enableAcceleratedNetworking": True,
        "enableIPForwarding": False,
        "primary": True,
        "vnetEncryptionSupported": False,
    }
    if links.get("nsg"):
        props["networkSecurityGroup"] = ref(links["nsg"])
    if links.get("vm"):
        props["virtualMachine"] = ref(links["vm"])
    body["properties"] = props
    return body


def disk(rid: str, location: str, size: int, vm: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Compute/disks", location, tags)
    if vm:
        body["managedBy"] = vm
    body["sku"] = {"name": "Premium_LRS", "tier": "Premium"}
    body["properties"] = {
        "osType": "Linux",
        "hyperVGeneration": "V2",
        "creationData": {"createOption": "FromImage"},
        "diskSizeGB": size,
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
        "provisioningState": OK,
        "diskState": "Attached" if vm else "Unattached",
    }
    return body


def vm(
    rid: str, location: str, size: str, disks: list[str], nics: list[str], tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.Compute/virtualMachines", location, tags)
    name = body["name"]
    os_disk, data = disks[0], disks[1:]
    body["properties"] = {
        "vmId": "",
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {
            "imageReference": {
                "publisher": "Canonical",
                "offer": "0001-com-ubuntu-server-jammy",
                "sku": "22_04-lts-gen2",
                "version": "latest",
            },
            "osDisk": {
                "osType": "Linux",
                "name": os_disk.rsplit("/", 1)[-1],
                "createOption": "FromImage",
                "caching": "ReadWrite",
                "managedDisk": {"storageAccountType": "Premium_LRS", "id": os_disk},
                "diskSizeGB": 30,
            },
            "dataDisks": [
                {
                    "lun": i,
                    "name": d.rsplit("/", 1)[-1],
                    "createOption": "Attach",
                    "caching": "ReadOnly",
                    "managedDisk": {"storageAccountType": "Premium_LRS", "id": d},
                    "diskSizeGB": 128,
                }
                for i, d in enumerate(data)
            ],
        },
        "osProfile": {"computerName": name, "adminUsername": "azureuser", "secrets": []},
        "networkProfile": {"networkInterfaces": [ref(n) for n in nics]},
        "provisioningState": OK,
    }
    return body
