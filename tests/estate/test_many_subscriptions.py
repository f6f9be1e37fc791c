"""1,500 subscriptions under one principal: Resource Graph requests stay at ceil(N/1000) batches
per query, whatever the scope (real SDK against the simulator)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest

from cloudcanvas.azure import AzureEndpoints, Credentials
from cloudcanvas.azure.scanner import BATCH_SIZE, scan_subscriptions
from cloudcanvas.azure.scope import target_of
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.environment import ManagementGroup, RoleAssignment
from cloudcanvas.simulator.generator import _identities

COUNT = 1500
MG = "/providers/Microsoft.Management/managementGroups/mg-all"


@pytest.fixture(scope="module")
def env() -> Environment:
    env = _identities(random.Random(3), COUNT, 1)
    env.management_groups = [
        ManagementGroup("mg-all", "All", None, [s.subscription_id for s in env.subscriptions])
    ]
    env.role_assignments = [
        RoleAssignment(env.principals[0].object_id, env.management_groups[0].id)
    ]
    for i, sub in enumerate(env.subscriptions[::50]):
        env.resources.append(
            {
                "id": f"/subscriptions/{sub.subscription_id}/resourceGroups/rg/providers/"
                f"Microsoft.Network/virtualNetworks/vnet-{i}",
                "name": f"vnet-{i}",
                "type": "Microsoft.Network/virtualNetworks",
                "location": "eastus",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
            }
        )
    env.add_missing_groups()
    return env


@pytest.fixture(scope="module")
def sim(env: Environment) -> Iterator[Simulator]:
    with Simulator(env, graph_quota=(100, 5.0)) as running:
        yield running


@pytest.fixture
def endpoints(sim: Simulator) -> AzureEndpoints:
    sim.reset_quota()
    sim.reset_requests()
    return AzureEndpoints(sim.base_url, sim.base_url, str(sim.ca_bundle), custom=True, timeout=30)


def creds(env: Environment) -> Credentials:
    p = env.principals[0]
    return Credentials(p.tenant_id, p.app_id, p.secret)


@pytest.mark.parametrize("scope", ["list", "all", MG])
def test_requests_do_not_grow_with_subscriptions(
    env: Environment, endpoints: AzureEndpoints, sim: Simulator, scope: str
) -> None:
    ids = [s.subscription_id for s in env.subscriptions] if scope == "list" else []
    target = target_of(endpoints, creds(env), ids, None if scope == "list" else scope)
    result = scan_subscriptions(endpoints, creds(env), target)
    assert not result.failures, result.failures
    assert len(result.resources) == COUNT // 50
    subscriptions = [
        r for r in result.containers if r["type"] == "microsoft.resources/subscriptions"
    ]
    assert len(subscriptions) == COUNT
    graph = [r for r in sim.requests if r.route == "resourcegraph"]
    containers_pages = math.ceil(len(result.containers) / 1000)
    if scope == MG:  # one query per management group: 1 page of resources + container pages
        assert len(graph) == 1 + containers_pages
    else:  # one query per 1,000 subscriptions
        batches = math.ceil(COUNT / BATCH_SIZE)
        assert len(graph) <= batches + containers_pages + batches
        assert len(graph) >= 2 * batches
