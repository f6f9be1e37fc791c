"""Azure Advisor's cost recommendations through Resource Graph (``advisorresources``), read by
the real SDK pipeline from the simulator with the Reader role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudcanvas.azure import AzureEndpoints, Credentials
from cloudcanvas.azure.advisor import AdvisorUnavailable, read_savings, saving_of
from cloudcanvas.simulator import Environment, Simulator


@pytest.fixture(scope="module")
def demo_sim() -> Iterator[Simulator]:
    with Simulator(Environment.demo()) as sim:
        yield sim


def _access(sim: Simulator, secret: str | None = None) -> tuple[AzureEndpoints, Credentials]:
    env = Environment.demo()
    reader = env.principals[0]
    endpoints = AzureEndpoints(
        authority_host=sim.base_url,
        resource_manager=sim.base_url,
        ca_bundle=str(sim.ca_bundle),
        custom=True,
        timeout=10.0,
    )
    value = secret or reader.secrets[0].value
    return endpoints, Credentials(reader.tenant_id, reader.app_id, value, "")


def test_cost_recommendations_name_the_resources_and_the_savings(demo_sim: Simulator) -> None:
    env = Environment.demo()
    endpoints, creds = _access(demo_sim)
    subscription = env.subscriptions[0].subscription_id
    savings = read_savings(endpoints, creds, [subscription])
    vms = [
        r["id"]
        for r in env.resources
        if r["type"].lower().endswith("/virtualmachines")
        and r["id"].lower().startswith(f"/subscriptions/{subscription}")
    ]
    assert savings and len(savings) < len(vms)
    assert {s.resource_id for s in savings} <= set(vms)
    first = savings[0]
    assert first.monthly and first.monthly > 0 and first.currency == "USD"
    assert "Right-size" in first.problem and first.action == "resize to Standard_B2s"
    graph = [r for r in demo_sim.requests if r.route == "resourcegraph"]
    assert graph and graph[-1].status == 200


def test_a_wrong_secret_is_a_translated_failure_without_the_secret(demo_sim: Simulator) -> None:
    endpoints, creds = _access(demo_sim, secret="Wrong8Q~not-the-secret-0123456789abcdefgh")
    with pytest.raises(AdvisorUnavailable) as raised:
        read_savings(endpoints, creds, [Environment.demo().subscriptions[0].subscription_id])
    assert raised.value.failure.code == "invalid_client_secret"
    assert creds.client_secret not in str(raised.value.failure)


def test_only_cost_recommendations_count() -> None:
    row = {"id": "/subscriptions/s/x/providers/Microsoft.Advisor/recommendations/1"}
    assert saving_of(row | {"properties": {"category": "Security"}}) is None
    annual = saving_of(
        row
        | {
            "properties": {
                "category": "Cost",
                "extendedProperties": {"annualSavingsAmount": "120", "savingsCurrency": "EUR"},
            }
        }
    )
    assert annual is not None and annual.monthly == 10 and annual.currency == "EUR"
    assert annual.resource_id == "/subscriptions/s/x"
