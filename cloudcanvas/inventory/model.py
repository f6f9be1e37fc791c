"""The typed inventory: Azure resources keyed by lowercased ARM id, and the relations between them.

Everything here is plain data. ``normalize.build_inventory`` makes an ``Inventory`` from Resource
Graph rows, ``codec`` stores it, ``graph.to_graph`` turns it into what the diagram package draws and
``diff`` compares two of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

GLOBAL_LOCATION = "global"


@dataclass(frozen=True, slots=True)
class Resource:
    """One Azure resource (a subnet too, although Resource Graph returns subnets inside VNets)."""

    key: str  # lowercased ARM id: the identity; every reference is matched on it
    id: str  # the ARM id exactly as Azure returned it (for display and exports)
    name: str
    arm_type: str  # lowercase, "microsoft.compute/virtualmachines"
    component: str  # Cloudcraft component type id ("azurevm") or ours ("azurekeyvault")
    family: str  # compute, network, storage, database, web, security, containers, ...
    location: str  # Azure short name, lowercase without spaces ("westus"), or "global"
    subscription_id: str
    resource_group: str  # as written in the id (Resource Graph lowercases its own column)
    kind: str | None = None
    sku: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)  # key facts, display-ready
    ip_addresses: tuple[str, ...] = ()
    vnet: str | None = None  # key of the VNet the resource sits in (a VNet: its own key)
    subnet: str | None = None  # key of the subnet the resource sits in (a subnet: its own key)
    parent: str | None = None  # key of the ARM parent (subnet → VNet, SQL database → server)

    def __hash__(self) -> int:  # the key is the identity; the dict fields are not hashable
        return hash(self.key)

    @property
    def resource_group_key(self) -> str:
        """Lowercased id of the resource group, the key of ``Inventory.resource_groups``."""
        return f"/subscriptions/{self.subscription_id}/resourcegroups/{self.resource_group}".lower()


@dataclass(frozen=True, slots=True, order=True)
class Relation:
    """A directed relation between two resources of the inventory, both named by key."""

    source: str
    target: str
    kind: str  # see RELATION_KINDS


# What each relation kind means, source → target. docs/resource-types.md repeats this table.
RELATION_KINDS: dict[str, str] = {
    "contains": "ARM parent → child (VNet → subnet, namespace → queue, zone → link ...)",
    "attached": "NIC → the VM (or private endpoint) it is attached to",
    "subnet": "a resource → the subnet it sits in (NIC, private endpoint, gateway, pool ...)",
    "nsg": "NIC, subnet or scale set → its network security group",
    "route-table": "subnet → its route table",
    "nat-gateway": "subnet → its NAT gateway",
    "delegation": "subnet → the resource of the service it is delegated to",
    "public-ip": "NIC, gateway, Bastion, firewall, NAT gateway → its public IP",
    "frontend": "load balancer or application gateway → the public IP of a frontend",
    "backend": "load balancer or application gateway → a backend (NIC, VM, scale set, app ...)",
    "private-link": "private endpoint → the resource it connects to",
    "peering": "VNet ↔ VNet (one relation per pair, source < target)",
    "plan": "App Service app → its App Service plan",
    "vnet-integration": "App Service app → the subnet of its VNet integration",
    "database": "SQL server → database",
    "elastic-pool": "SQL database → its elastic pool",
    "disk": "managed disk → the VM it is attached to",
    "agent-pool": "AKS cluster → the subnet of an agent pool",
    "hosts": "container app environment → container app",
    "connection": "VPN connection → its gateways",
    "dns-link": "private DNS zone → a linked VNet",
    "workspace": "Application Insights → its Log Analytics workspace",
    "wan-hub": "Virtual WAN → one of its virtual hubs",
    "hub-connection": "virtual hub → a VNet connected to it (any subscription)",
    "hub-gateway": "virtual hub → its VPN gateway, ExpressRoute gateway or secured-hub firewall",
    "firewall-policy": "Azure Firewall → its firewall policy (Firewall Manager)",
    "child-policy": "parent firewall policy → a policy that inherits from it",
    "expressroute": "ExpressRoute gateway or connection → its ExpressRoute circuit",
    "private-link-service": "Private Link service → the load balancer frontend it exposes",
    "ddos-plan": "VNet → the DDoS protection plan that covers it",
    "next-hop": "route table → the firewall or appliance (NVA) its routes send traffic to",
}


@dataclass(slots=True)
class Inventory:
    """What a scan found: resources by key, their relations, and where they are contained."""

    resources: dict[str, Resource] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    subscriptions: dict[str, str] = field(default_factory=dict)  # subscription id → display name
    resource_groups: dict[str, str] = field(default_factory=dict)  # lowercased RG id → name

    def __len__(self) -> int:
        return len(self.resources)

    def counts_by_location(self) -> dict[str, int]:
        """Resource count per location, largest first (ties by name)."""
        counts = Counter(r.location for r in self.resources.values())
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def counts_by_type(self) -> dict[str, int]:
        """Resource count per ARM type, largest first (ties by name)."""
        counts = Counter(r.arm_type for r in self.resources.values())
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def counts_by_component(self) -> dict[str, int]:
        """Resource count per component id, largest first (ties by name)."""
        counts = Counter(r.component for r in self.resources.values())
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def locations(self) -> list[str]:
        """Every location that holds at least one resource, sorted."""
        return sorted({r.location for r in self.resources.values()})

    def relations_of(self, key: str) -> list[Relation]:
        """Every relation that starts or ends at ``key``."""
        return [rel for rel in self.relations if key in (rel.source, rel.target)]

    def containment(self) -> dict[str, dict[str, dict[str, list[str]]]]:
        """Subscription id → location → resource group key → sorted resource keys."""
        tree: dict[str, dict[str, dict[str, list[str]]]] = {}
        for res in self.resources.values():
            regions = tree.setdefault(res.subscription_id, {})
            groups = regions.setdefault(res.location, {})
            groups.setdefault(res.resource_group_key, []).append(res.key)
        for regions in tree.values():
            for groups in regions.values():
                for keys in groups.values():
                    keys.sort()
        return tree
