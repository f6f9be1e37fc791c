"""Seeded generator of realistic Azure topologies: hub-and-spoke networks and their workloads."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from cloudcanvas.simulator import shapes as s
from cloudcanvas.simulator import shapes_edge as e
from cloudcanvas.simulator.environment import (
    SECRET_ALPHABET,
    Environment,
    Principal,
    ResourceGroup,
    RoleAssignment,
    Secret,
    Subscription,
    Tenant,
    parse_time,
)
from cloudcanvas.simulator.workloads import WORKLOADS, Spoke

JSON = dict[str, Any]
SIZES = {"tiny": 0, "small": 2, "medium": 6}
APPS = ("shop", "crm", "billing", "search", "portal", "ledger", "media", "iot", "hr", "api")
ENVS = ("prod", "dev", "test")
OWNERS = ("platform@contoso.com", "payments@contoso.com", "data@contoso.com", "web@contoso.com")


@dataclass
class Builder:
    """Adds resources of one subscription to an environment, deterministically from its rng."""

    env: Environment
    rng: random.Random
    sub: str
    tenant: str
    resources: list[JSON] = field(default_factory=list)
    groups: list[ResourceGroup] = field(default_factory=list)
    spokes: int = 0

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def group(self, name: str, location: str, tags: dict[str, str]) -> str:
        rid = f"/subscriptions/{self.sub}/resourceGroups/{name}"
        self.groups.append(ResourceGroup(rid, location, dict(tags)))
        return rid

    def rid(self, group: str, kind: str, name: str) -> str:
        return f"{group}/providers/{kind}/{name}"

    def ref(self, rid: str) -> str:
        """The id as another resource quotes it: real Azure is inconsistent about casing."""
        roll = self.rng.random()
        parts = rid.split("/")
        if roll < 0.25 and len(parts) > 4:
            parts[4] = parts[4].upper()
        elif roll < 0.4 and len(parts) > 3:
            parts[3] = "resourcegroups"
        elif roll < 0.45 and len(parts) > 6:
            parts[6] = parts[6].lower()
        return "/".join(parts)

    def ip(self, prefix: str) -> str:
        a, b = prefix.split(".")[:2]
        return f"{a}.{b}.{self.rng.randint(0, 15)}.{self.rng.randint(4, 250)}"

    def public_ip(self) -> str:
        return (
            f"20.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        )

    def tags(self, app: str, stage: str) -> dict[str, str]:
        if self.rng.random() < 0.15:
            return {}
        return {"env": stage, "owner": self.rng.choice(OWNERS), "app": app}

    def commit_to(self, env: Environment) -> None:
        env.resources.extend(self.resources)
        env.resource_groups.extend(self.groups)
        self.resources, self.groups = [], []


def add_hub(b: Builder, region: str) -> str:
    """A hub VNet with gateway, Bastion and shared subnets; returns the hub VNet id."""
    tags = {"env": "prod", "owner": "platform@contoso.com", "app": "connectivity"}
    rg = b.group(f"rg-network-hub-{region}", region, tags)
    vnet_id = b.rid(rg, "Microsoft.Network/virtualNetworks", f"vnet-hub-{region}")
    nsg_id = b.rid(rg, "Microsoft.Network/networkSecurityGroups", f"nsg-hub-shared-{region}")
    gw_pip = b.rid(rg, "Microsoft.Network/publicIPAddresses", f"pip-vpngw-{region}")
    bas_pip = b.rid(rg, "Microsoft.Network/publicIPAddresses", f"pip-bastion-{region}")
    gw_id = b.rid(rg, "Microsoft.Network/virtualNetworkGateways", f"vpngw-hub-{region}")
    bas_id = b.rid(rg, "Microsoft.Network/bastionHosts", f"bas-hub-{region}")
    subnets = [
        s.subnet(vnet_id, "GatewaySubnet", "10.0.0.0/27"),
        s.subnet(vnet_id, "AzureBastionSubnet", "10.0.0.64/26"),
        s.subnet(vnet_id, "AzureFirewallSubnet", "10.0.1.0/26"),
        s.subnet(vnet_id, "snet-shared", "10.0.2.0/24", nsg=b.ref(nsg_id)),
    ]
    b.resources += [
        s.vnet(vnet_id, region, "10.0.0.0/16", subnets, tags),
        s.nsg(nsg_id, region, [22, 443], tags),
        s.public_ip(gw_pip, region, b.public_ip(), f"{gw_id}/ipConfigurations/gwipconfig1", tags),
        s.public_ip(
            bas_pip, region, b.public_ip(), f"{bas_id}/bastionHostIpConfigurations/IpConf", tags
        ),
        e.vpn_gateway(
            gw_id, region, b.ref(f"{vnet_id}/subnets/GatewaySubnet"), b.ref(gw_pip), tags
        ),
        e.bastion(
            bas_id, region, b.ref(f"{vnet_id}/subnets/AzureBastionSubnet"), b.ref(bas_pip), tags
        ),
    ]
    return vnet_id


def add_spoke(b: Builder, region: str, hub: JSON | None, workloads: int) -> None:
    """A spoke VNet peered to the hub, with its NSGs, route table, NAT gateway and workloads."""
    b.spokes += 1
    app = b.rng.choice(APPS)
    stage = b.rng.choice(ENVS)
    name = f"{app}-{stage}-{b.spokes:03d}"
    spoke = Spoke.create(b, region, name, app, stage)
    for k in range(workloads):
        spoke.unit = name if k == 0 else f"{name}-{k + 1}"
        b.rng.choice(WORKLOADS)(b, spoke)
    if hub is not None:
        spoke.vnet["properties"]["virtualNetworkPeerings"].append(
            s.peering(spoke.vnet["id"], f"peer-to-hub-{region}", b.ref(hub["id"]), False)
        )
        hub["properties"]["virtualNetworkPeerings"].append(
            s.peering(hub["id"], f"peer-to-{name}", b.ref(spoke.vnet["id"]), True)
        )


def add_topology(
    env: Environment, subscription_id: str, regions: tuple[str, ...], *, seed: int, size: str
) -> None:
    """A fixed-size topology for one subscription: a hub per region and `size` spokes."""
    sub = env.subscription(subscription_id)
    b = Builder(env, random.Random(seed), subscription_id, sub.tenant_id if sub else "")
    for region in regions:
        if SIZES[size] == 0:
            add_spoke(b, region, None, 0)
            continue
        hub_id = add_hub(b, region)
        hub = next(r for r in b.resources if r["id"] == hub_id)
        for _ in range(SIZES[size]):
            add_spoke(b, region, hub, 1)
    b.commit_to(env)


def _filler(b: Builder, region: str, n: int) -> None:
    """Single standalone resources, to land on an exact resource count."""
    rg = f"/subscriptions/{b.sub}/resourceGroups/rg-shared-{region}"
    if not any(g.id == rg for g in b.env.resource_groups):
        b.group(f"rg-shared-{region}", region, {"env": "prod"})
    for i in range(n):
        roll = i % 3
        if roll == 0:
            rid = b.rid(
                rg, "Microsoft.Storage/storageAccounts", f"stshared{region[:6]}{b.guid()[:8]}"
            )
            b.resources.append(
                s.base(rid, "Microsoft.Storage/storageAccounts", region, {"env": "prod"})
            )
            b.resources[-1].update(
                kind="StorageV2", sku={"name": "Standard_LRS", "tier": "Standard"}
            )
            b.resources[-1]["properties"] = {
                "provisioningState": "Succeeded",
                "primaryLocation": region,
            }
        elif roll == 1:
            rid = b.rid(rg, "Microsoft.Network/dnszones", f"zone{b.guid()[:8]}.contoso.com")
            b.resources.append(e.dns_zone(rid, {"env": "prod"}))
        else:
            rid = b.rid(rg, "Microsoft.Network/networkSecurityGroups", f"nsg-unused-{b.guid()[:8]}")
            b.resources.append(s.nsg(rid, region, [443], {"env": "test"}))


def generate_environment(
    resources: int = 200,
    subscriptions: int = 2,
    principals: int = 2,
    regions: tuple[str, ...] = ("eastus", "westeurope"),
    seed: int = 1,
) -> Environment:
    """A seeded environment with exactly `resources` resources spread over subscriptions/regions."""
    rng = random.Random(seed)
    env = _identities(rng, subscriptions, principals)
    pairs = [(sub, region) for sub in env.subscriptions for region in regions]
    builders = {
        sub.subscription_id: Builder(
            env, random.Random(rng.getrandbits(64)), sub.subscription_id, sub.tenant_id
        )
        for sub in env.subscriptions
    }
    hubs: dict[tuple[str, str], JSON] = {}
    turn = 0
    while pairs:
        sub, region = pairs[turn % len(pairs)]
        b = builders[sub.subscription_id]
        before = len(env.resources)
        if (sub.subscription_id, region) not in hubs:
            hub_id = add_hub(b, region)
            hubs[(sub.subscription_id, region)] = next(r for r in b.resources if r["id"] == hub_id)
        add_spoke(b, region, hubs[(sub.subscription_id, region)], b.rng.randint(1, 3))
        if before + len(b.resources) > resources:
            _rollback(b, hubs, sub.subscription_id, region)
            break
        b.commit_to(env)
        turn += 1
    sub, region = env.subscriptions[0], regions[0]
    if resources > len(env.resources):
        b = builders[sub.subscription_id]
        _filler(b, region, resources - len(env.resources))
        b.commit_to(env)
    return env


def _rollback(b: Builder, hubs: dict[tuple[str, str], JSON], sub: str, region: str) -> None:
    """Drop the uncommitted spoke; undo its peering on an already committed hub."""
    hub = hubs.get((sub, region))
    if hub is not None and hub not in b.resources:
        peerings = hub["properties"]["virtualNetworkPeerings"]
        if peerings:
            peerings.pop()
    if hub is not None and hub in b.resources:
        del hubs[(sub, region)]
    b.resources, b.groups = [], []


def _identities(rng: random.Random, subscriptions: int, principals: int) -> Environment:
    def guid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    tenant = Tenant(guid(), "Contoso", ["contoso.onmicrosoft.com"])
    env = Environment(tenants=[tenant])
    names = ("Production", "Development", "Test", "Shared Services", "Sandbox", "Data Platform")
    for i in range(subscriptions):
        label = names[i] if i < len(names) else f"Subscription {i + 1}"
        env.subscriptions.append(Subscription(guid(), tenant.id, label))
    for i in range(principals):
        secret = _secret(rng)
        name = "cloudcanvas-reader" if i == 0 else f"cloudcanvas-app-{i + 1}"
        expires = parse_time("2030-01-01T00:00:00Z")
        env.principals.append(
            Principal(tenant.id, guid(), guid(), name, [Secret(guid(), secret, expires)])
        )
    for i, p in enumerate(env.principals):
        scoped = env.subscriptions if i == 0 else env.subscriptions[(i - 1) % subscriptions :][:1]
        for sub in scoped:
            env.role_assignments.append(RoleAssignment(p.object_id, sub.id, "Reader"))
    return env


def _secret(rng: random.Random) -> str:
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    head = "".join(rng.choice(alnum) for _ in range(3)) + rng.choice("0123456789")
    return head + "Q~" + "".join(rng.choice(SECRET_ALPHABET) for _ in range(34))


DEMO_ARGS: JSON = {
    "resources": 400,
    "subscriptions": 2,
    "principals": 2,
    "regions": ("eastus", "westeurope", "southeastasia"),
    "seed": 2024,
}


def demo_environment() -> Environment:
    """What environments/demo.json holds: `python -m cloudcanvas.simulator.make_demo` rewrites it.

    The demo connects the first subscription (Production) with the first principal; the second
    principal, printed for the Add wizard, reads the second subscription (Development) only, so
    walking the wizard with it connects something new.
    """
    env = generate_environment(**DEMO_ARGS)
    second, own = env.principals[1], env.subscriptions[1]
    env.role_assignments = [a for a in env.role_assignments if a.principal_id != second.object_id]
    env.role_assignments.append(RoleAssignment(second.object_id, own.id, "Reader"))
    return env
