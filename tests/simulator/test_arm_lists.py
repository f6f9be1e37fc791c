"""Per-type and child lists: the one-call-per-type strategy the scan benchmark compares with."""

from typing import Any

from azure.core.rest import HttpRequest
from azure.mgmt.resource.subscriptions import SubscriptionClient

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids
from tests.simulator.sdk import arm_kwargs, sync_credential


def get_all(client: SubscriptionClient, path: str) -> list[dict[str, Any]]:
    items, url = [], path
    while url:
        response = client.send_request(
            HttpRequest("GET", url, params={"api-version": "2023-01-01"})
        )
        response.raise_for_status()
        body = response.json()
        items += body["value"]
        url = body.get("nextLink")
    return items


def test_list_by_type_and_children(sim: Simulator) -> None:
    client = SubscriptionClient(sync_credential(sim), **arm_kwargs(sim))
    sub = f"/subscriptions/{ids.PRODUCTION_ID}"
    vnets = get_all(client, f"{sub}/providers/Microsoft.Network/virtualNetworks")
    expected = [
        r
        for r in sim.env.resources
        if r["type"].lower() == "microsoft.network/virtualnetworks"
        and r["id"].lower().startswith(sub.lower())
    ]
    assert {v["id"] for v in vnets} == {r["id"] for r in expected} and vnets
    subnets = get_all(client, f"{vnets[0]['id']}/subnets")
    assert [s["name"] for s in subnets] == [s["name"] for s in vnets[0]["properties"]["subnets"]]
    servers = [r for r in sim.env.resources if r["type"].lower() == "microsoft.sql/servers"]
    if servers:
        databases = get_all(client, f"{servers[0]['id']}/databases")
        assert all(d["id"].lower().startswith(servers[0]["id"].lower() + "/") for d in databases)
