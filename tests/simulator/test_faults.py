"""Injected faults and the /_simulator control API, seen through the official SDK."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import requests
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.mgmt.resource.subscriptions import SubscriptionClient
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids
from tests.simulator.sdk import arm_kwargs, async_credential, sync_credential

QUERY = QueryRequest(query="Resources | project id", options=QueryRequestOptions(top=5))


def graph(sim: Simulator, **kw: Any) -> ResourceGraphClient:
    return ResourceGraphClient(sync_credential(sim), **arm_kwargs(sim, **kw))


def control(sim: Simulator, method: str, path: str, **body: Any) -> Any:
    response = requests.request(
        method,
        f"{sim.base_url}/_simulator/{path}",
        json=body or None,
        verify=str(sim.ca_bundle),
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def test_graph_429_with_retry_after_is_retried_by_the_sdk(sim: Simulator) -> None:
    client = graph(sim)
    client.resources(QUERY)  # token first, so the log below holds only the query
    sim.reset_requests()
    sim.inject_fault("resourcegraph", status=429, retry_after=1)
    assert client.resources(QUERY).count == 5
    assert [r.status for r in sim.requests] == [429, 200]


def test_graph_429_without_retry_after_reaches_the_caller(sim: Simulator) -> None:
    client = graph(sim)
    sim.inject_fault("resourcegraph", status=429)
    with pytest.raises(HttpResponseError) as info:
        client.resources(QUERY)
    assert info.value.status_code == 429
    assert client.resources(QUERY).count == 5


def test_503_on_subscriptions_is_retried_and_then_succeeds(sim: Simulator) -> None:
    subs = SubscriptionClient(sync_credential(sim), **arm_kwargs(sim))
    sim.inject_fault("subscriptions", status=503, count=2)
    assert len(list(subs.subscriptions.list())) == 3


def test_503_with_no_retries_left_is_an_error(sim: Simulator) -> None:
    subs = SubscriptionClient(sync_credential(sim), **arm_kwargs(sim, retry_total=0))
    subs.subscriptions.get(ids.PRODUCTION_ID)
    sim.inject_fault("*", status=503)
    with pytest.raises(HttpResponseError) as info:
        subs.subscriptions.get(ids.PRODUCTION_ID)
    assert info.value.status_code == 503


def test_token_endpoint_fault_is_retried_by_azure_identity(sim: Simulator) -> None:
    sim.inject_fault("token", status=503)
    assert sync_credential(sim).get_token("https://management.azure.com/.default").token


def test_timeout_makes_a_short_timeout_client_give_up_without_blocking_others(
    sim: Simulator,
) -> None:
    slow = SubscriptionClient(
        sync_credential(sim), **arm_kwargs(sim, retry_total=0, read_timeout=0.5)
    )
    slow.subscriptions.get(ids.PRODUCTION_ID)
    sim.inject_fault("subscriptions", timeout=True)
    with pytest.raises((ServiceResponseError, ServiceRequestError)):
        slow.subscriptions.get(ids.PRODUCTION_ID)
    other = SubscriptionClient(sync_credential(sim), **arm_kwargs(sim))
    assert other.subscriptions.get(ids.PRODUCTION_ID).display_name == "Production"


def test_async_clients_see_faults_too(sim: Simulator) -> None:
    from azure.mgmt.resourcegraph.aio import ResourceGraphClient as AsyncGraph

    async def query() -> int:
        async with async_credential(sim) as cred, AsyncGraph(cred, **arm_kwargs(sim)) as client:
            await client.resources(QUERY)
            sim.inject_fault("resourcegraph", status=429, retry_after=1)
            return int((await client.resources(QUERY)).count)

    assert asyncio.run(query()) == 5


def test_control_api_faults_latency_and_request_log(sim: Simulator) -> None:
    control(sim, "POST", "faults", route="permissions", status=503, count=1)
    assert control(sim, "GET", "faults")["faults"][0]["route"] == "permissions"
    control(sim, "DELETE", "faults")
    assert control(sim, "GET", "faults")["faults"] == []
    assert control(sim, "POST", "latency", seconds=0.01) == {"seconds": 0.01}
    control(sim, "POST", "latency", seconds=0)
    control(sim, "DELETE", "requests")
    graph(sim).resources(QUERY)
    log = control(sim, "GET", "requests")["requests"]
    assert [r["route"] for r in log][-1] == "resourcegraph"
    assert log[-1]["appId"] == ids.WIZARD_APP_ID


def test_control_api_rejects_unknown_routes(sim: Simulator) -> None:
    response = requests.post(
        f"{sim.base_url}/_simulator/faults",
        json={"route": "nope"},
        verify=str(sim.ca_bundle),
        timeout=5,
    )
    assert response.status_code == 400
    assert "unknown route" in response.json()["error"]["message"]


def test_control_api_secrets_roles_and_states() -> None:
    with Simulator() as own:
        control(own, "POST", f"secrets/{ids.READER_APP_ID}/expire")
        with pytest.raises(ClientAuthenticationError) as info:
            sync_credential(own, ids.READER_APP_ID, ids.READER_SECRET, retry_total=0).get_token(
                "https://management.azure.com/.default"
            )
        assert re.search(r"AADSTS7000222", str(info.value))
        secret = control(own, "POST", f"secrets/{ids.READER_APP_ID}/rotate")["secret"]
        scope = f"/subscriptions/{ids.DEVELOPMENT_ID}"
        control(own, "POST", "roles", objectId=ids.READER_OBJECT_ID, scope=scope, role="Reader")
        control(own, "POST", f"subscriptions/{ids.DEVELOPMENT_ID}/state", state="Warned")
        subs = SubscriptionClient(
            sync_credential(own, ids.READER_APP_ID, secret), **arm_kwargs(own)
        )
        assert {s.display_name: s.state for s in subs.subscriptions.list()} == {
            "Production": "Enabled",
            "Development": "Warned",
        }
        control(own, "DELETE", "roles", objectId=ids.READER_OBJECT_ID, scope=scope)
        assert [s.display_name for s in subs.subscriptions.list()] == ["Production"]
        summary = control(own, "GET", "environment")
        assert secret not in str(summary)
