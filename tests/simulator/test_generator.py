"""The generator: deterministic, exact sizes, realistic shapes whose ids refer to each other."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from cloudcanvas.simulator import Environment, generate_environment

_REF = re.compile(r"^/subscriptions/[^/]+/resource[gG]roups/")


@pytest.fixture(scope="module")
def env() -> Environment:
    return generate_environment(resources=3000, subscriptions=3, principals=2, seed=11)


def references(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, id) for every {"id": ...} reference nested inside a resource body."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and k in (
                "id",
                "managedBy",
                "serverFarmId",
                "virtualNetworkSubnetId",
                "vnetSubnetID",
                "delegatedSubnetResourceId",
                "privateLinkServiceId",
            ):
                yield k if k != "id" else key, v
            else:
                yield from references(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from references(item, key)


def known_ids(env: Environment) -> set[str]:
    ids: set[str] = set()
    for r in env.resources:
        ids.add(r["id"].lower())
        for _, rid in references(r):
            if rid.lower().startswith(r["id"].lower() + "/"):
                ids.add(rid.lower())  # a child object defined inside its parent
    return ids


def test_same_seed_same_environment() -> None:
    a = generate_environment(resources=500, subscriptions=2, seed=5)
    b = generate_environment(resources=500, subscriptions=2, seed=5)
    c = generate_environment(resources=500, subscriptions=2, seed=6)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()


@pytest.mark.parametrize("size", [1, 37, 500, 2001])
def test_exact_resource_count(size: int) -> None:
    assert len(generate_environment(resources=size, seed=2).resources) == size


def test_ids_are_unique_and_every_reference_points_at_something_real(env: Environment) -> None:
    ids = [r["id"].lower() for r in env.resources]
    assert len(ids) == len(set(ids))
    known = known_ids(env)
    dangling = [
        (k, rid)
        for r in env.resources
        for k, rid in references(r)
        if _REF.match(rid) and "/securityRules/" not in rid and rid.lower() not in known
    ]
    assert dangling == []


def test_references_use_real_azure_casing_quirks(env: Environment) -> None:
    refs = [
        rid for r in env.resources for _, rid in references(r) if rid.lower() != r["id"].lower()
    ]
    assert any("/resourcegroups/" in rid for rid in refs)
    assert any(re.search(r"/resourceGroups/RG-[A-Z0-9-]+/", rid) for rid in refs)


def test_topology_has_the_expected_kinds(env: Environment) -> None:
    kinds = Counter(r["type"] for r in env.resources)
    for kind in (
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Compute/disks",
        "Microsoft.Network/loadBalancers",
        "Microsoft.Network/applicationGateways",
        "Microsoft.Network/virtualNetworkGateways",
        "Microsoft.Network/bastionHosts",
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Web/serverfarms",
        "Microsoft.Web/sites",
        "Microsoft.Sql/servers",
        "Microsoft.Sql/servers/databases",
        "Microsoft.ContainerService/ManagedClusters",
        "Microsoft.Compute/virtualMachineScaleSets",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.Network/natGateways",
        "Microsoft.Network/routeTables",
    ):
        assert kinds[kind] > 0, kind
    assert {r["location"] for r in env.resources} >= {"eastus", "westeurope", "global"}
    assert {r.get("kind") for r in env.resources if r["type"] == "Microsoft.Web/sites"} == {
        "app",
        "functionapp",
    }


def test_hub_and_spoke_peerings_go_both_ways(env: Environment) -> None:
    vnets = {
        r["id"].lower(): r
        for r in env.resources
        if r["type"] == "Microsoft.Network/virtualNetworks"
    }
    hubs = [v for v in vnets.values() if v["name"].startswith("vnet-hub-")]
    assert hubs
    for hub in hubs:
        for peering in hub["properties"]["virtualNetworkPeerings"]:
            spoke = vnets[peering["properties"]["remoteVirtualNetwork"]["id"].lower()]
            back = [
                p["properties"]["remoteVirtualNetwork"]["id"].lower()
                for p in spoke["properties"]["virtualNetworkPeerings"]
            ]
            assert back == [hub["id"].lower()]


def test_disks_are_managed_by_their_vm_and_nics_point_back(env: Environment) -> None:
    vms = {
        r["id"].lower() for r in env.resources if r["type"] == "Microsoft.Compute/virtualMachines"
    }
    disks = [r for r in env.resources if r["type"] == "Microsoft.Compute/disks"]
    assert disks and all(d["managedBy"].lower() in vms for d in disks)
    nics = [
        r
        for r in env.resources
        if r["type"] == "Microsoft.Network/networkInterfaces"
        and "virtualMachine" in r["properties"]
    ]
    assert nics and all(n["properties"]["virtualMachine"]["id"].lower() in vms for n in nics)


def test_environment_round_trips_through_json(tmp_path: Any, env: Environment) -> None:
    path = tmp_path / "env.json"
    env.to_file(path)
    assert Environment.from_file(path).to_dict() == env.to_dict()


def test_demo_file_matches_the_generator() -> None:
    from cloudcanvas.simulator.generator import demo_environment

    demo = Environment.demo()
    assert len(demo.subscriptions) == 2
    assert len({r["location"] for r in demo.resources}) >= 3
    assert demo.to_dict() == demo_environment().to_dict()


def test_sample_principals_match_the_documented_access() -> None:
    from cloudcanvas.simulator import sample as ids

    env = Environment.sample()
    assert [p.display_name for p in env.principals] == ["cloudcanvas-reader", "cloudcanvas-wizard"]
    assert env.principals[0].app_id == ids.READER_APP_ID
    assert env.principals[0].secret == ids.READER_SECRET
    assert [s.state for s in env.subscriptions] == ["Enabled", "Enabled", "Disabled"]
    assert 30 <= len(env.resources) <= 60


def test_the_demo_s_second_principal_reads_a_subscription_of_its_own() -> None:
    from cloudcanvas.simulator.report import principal_summaries

    demo = Environment.demo()
    first, second = principal_summaries(demo)[:2]
    production, development = demo.subscriptions[0], demo.subscriptions[1]
    assert any(production.subscription_id in s for s in first["subscriptions"])
    assert second["subscriptions"] == [f"{development.subscription_id} (Development, Enabled)"]
