"""Actual cost through the Cost Management Query API: with Cost Management Reader, the last 30
days by resource; with Reader alone, a denial that says how to grant the role."""

from __future__ import annotations

import pytest

from cloudcanvas.azure import AzureEndpoints, Credentials
from cloudcanvas.azure.costs import CostReadingDenied, read_actual_costs
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.costs import daily_cost
from tests.azure_env import PRODUCTION, READER, TENANT


def _endpoints(sim: Simulator) -> AzureEndpoints:
    return AzureEndpoints(
        authority_host=sim.base_url,
        resource_manager=sim.base_url,
        ca_bundle=str(sim.ca_bundle),
        custom=True,
        timeout=10.0,
    )


def test_reader_alone_is_told_how_to_grant_cost_reading(simulator: Simulator) -> None:
    creds = Credentials(TENANT, READER.app_id, READER.secret, PRODUCTION)
    with pytest.raises(CostReadingDenied, match="Cost Management Reader"):
        read_actual_costs(_endpoints(simulator), creds, PRODUCTION)


def test_with_cost_management_reader_the_last_30_days_by_resource(simulator: Simulator) -> None:
    # Granted at the root, so that revoking it leaves the principal's Reader on the subscription.
    scope = "/"
    simulator.grant_role(READER.object_id, scope, "Cost Management Reader")
    try:
        creds = Credentials(TENANT, READER.app_id, READER.secret, PRODUCTION)
        costs = read_actual_costs(_endpoints(simulator), creds, PRODUCTION)
    finally:
        simulator.revoke_role(READER.object_id, scope)
    env = Environment.sample()
    ip = next(
        r["id"]
        for r in env.resources
        if r["type"].lower().endswith("/publicipaddresses") and PRODUCTION in r["id"]
    )
    amount, currency = costs[ip.lower()]
    assert amount == pytest.approx(round(daily_cost(ip) * 30, 2)) and currency == "USD"
    assert all(PRODUCTION in rid for rid in costs)
