"""Seeded generator of realistic Azure topologies (placeholder: replaced by the full generator)."""

from __future__ import annotations

from cloudcanvas.simulator.environment import Environment, ResourceGroup


def add_topology(
    env: Environment, subscription_id: str, regions: tuple[str, ...], *, seed: int, size: str
) -> None:
    for region in regions:
        rg = f"/subscriptions/{subscription_id}/resourceGroups/rg-network-{region}"
        env.resource_groups.append(ResourceGroup(rg, region))
        env.resources.append(
            {
                "id": f"{rg}/providers/Microsoft.Network/virtualNetworks/vnet-hub-{region}",
                "name": f"vnet-hub-{region}",
                "type": "Microsoft.Network/virtualNetworks",
                "location": region,
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": []},
            }
        )


def generate_environment(
    resources: int = 200,
    subscriptions: int = 2,
    principals: int = 2,
    regions: tuple[str, ...] = ("eastus", "westeurope"),
    seed: int = 1,
) -> Environment:
    return Environment.sample()
