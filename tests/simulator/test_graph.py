"""Resource Graph through the official SDK: paging, scope, quota, and every KQL construct."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids
from tests.resource_graph import COLUMNS
from tests.simulator.sdk import arm_kwargs, async_credential, sync_credential


def graph(sim: Simulator, app: str = ids.WIZARD_APP_ID, secret: str = ids.WIZARD_SECRET, **kw: Any):
    return ResourceGraphClient(sync_credential(sim, app, secret, **kw), **arm_kwargs(sim, **kw))


def follow(request: QueryRequest, token: str) -> None:
    assert request.options is not None
    request.options.skip_token = token


def rows(
    sim: Simulator, query: str, subs: list[str] | None = None, **kw: Any
) -> list[dict[str, Any]]:
    """Every row of a query, following $skipToken like a scanner does."""
    client = graph(sim, **kw)
    request = QueryRequest(
        subscriptions=subs,
        query=query,
        options=QueryRequestOptions(result_format="objectArray", top=1000),
    )
    found: list[dict[str, Any]] = []
    while True:
        page = client.resources(request)
        found += page.data
        if not page.skip_token:
            return found
        follow(request, page.skip_token)


def test_resources_rows_carry_the_16_columns_with_lowercase_type_and_group(sim: Simulator) -> None:
    row = rows(sim, "Resources", [ids.PRODUCTION_ID])[0]
    assert list(row) == list(COLUMNS)
    assert row["type"] == row["type"].lower()
    assert row["resourceGroup"] == row["resourceGroup"].lower()
    assert row["tenantId"] == ids.TENANT_ID


def test_paging_across_three_pages_sync(sim: Simulator) -> None:
    client = graph(sim)
    query = "Resources | order by id asc | project id, name"
    request = QueryRequest(
        query=query, options=QueryRequestOptions(top=2, result_format="objectArray")
    )
    pages = []
    while True:
        page = client.resources(request)
        pages.append([r["id"] for r in page.data])
        if not page.skip_token:
            break
        follow(request, page.skip_token)
    everything = [i for p in pages for i in p]
    assert len(pages) >= 3
    assert everything == sorted(everything)
    assert len(everything) == len(set(everything)) == page.total_records


def test_paging_async(sim: Simulator) -> None:
    from azure.mgmt.resourcegraph.aio import ResourceGraphClient as AsyncGraph

    async def collect() -> list[str]:
        async with async_credential(sim) as cred, AsyncGraph(cred, **arm_kwargs(sim)) as client:
            options = QueryRequestOptions(top=3, result_format="objectArray")
            request = QueryRequest(query="Resources | project id", options=options)
            found: list[str] = []
            while True:
                page = await client.resources(request)
                found += [r["id"] for r in cast(list[dict[str, Any]], page.data)]
                if not page.skip_token:
                    return found
                follow(request, page.skip_token)

    assert len(asyncio.run(collect())) == len(rows(sim, "Resources | project id"))


def test_scope_is_requested_subscriptions_that_the_principal_can_read(sim: Simulator) -> None:
    reader = rows(
        sim, "Resources | project subscriptionId", app=ids.READER_APP_ID, secret=ids.READER_SECRET
    )
    assert {r["subscriptionId"] for r in reader} == {ids.PRODUCTION_ID}
    both = rows(
        sim, "Resources | project id, subscriptionId", [ids.DEVELOPMENT_ID, ids.PRODUCTION_ID]
    )
    assert {r["subscriptionId"] for r in both} == {ids.DEVELOPMENT_ID, ids.PRODUCTION_ID}
    asked = rows(
        sim,
        "Resources | project id",
        [ids.DEVELOPMENT_ID],
        app=ids.READER_APP_ID,
        secret=ids.READER_SECRET,
    )
    assert asked == []


def test_resource_containers_hold_subscriptions_and_groups(sim: Simulator) -> None:
    found = rows(sim, "ResourceContainers | project id, type, name", [ids.PRODUCTION_ID])
    types = {r["type"] for r in found}
    assert types == {
        "microsoft.resources/subscriptions",
        "microsoft.resources/subscriptions/resourcegroups",
    }
    assert {
        "id": f"/subscriptions/{ids.PRODUCTION_ID}",
        "type": "microsoft.resources/subscriptions",
        "name": "Production",
    } in found


def vnet_count(sim: Simulator) -> int:
    return sum(
        1 for r in sim.env.resources if r["type"].lower() == "microsoft.network/virtualnetworks"
    )


@pytest.mark.parametrize(
    ("where", "expect"),
    [
        (
            "type == 'microsoft.network/virtualnetworks'",
            lambda r: r["type"] == "microsoft.network/virtualnetworks",
        ),
        (
            "type =~ 'Microsoft.Network/virtualNetworks'",
            lambda r: r["type"] == "microsoft.network/virtualnetworks",
        ),
        ("type == 'Microsoft.Network/virtualNetworks'", lambda r: False),
        (
            "type != 'microsoft.network/virtualnetworks'",
            lambda r: r["type"] != "microsoft.network/virtualnetworks",
        ),
        ("location in ('eastus', 'nowhere')", lambda r: r["location"] == "eastus"),
        ("location in~ ('EASTUS')", lambda r: r["location"].lower() == "eastus"),
        ("name startswith 'VNET'", lambda r: r["name"].lower().startswith("vnet")),
        (
            "type =~ 'microsoft.network/virtualnetworks' or location == 'westeurope' and name startswith 'x'",
            lambda r: (
                r["type"] == "microsoft.network/virtualnetworks"
                or (r["location"] == "westeurope" and r["name"].lower().startswith("x"))
            ),
        ),
        (
            "(type =~ 'microsoft.network/virtualnetworks' or location == 'westeurope') and subscriptionId == '"
            + ids.DEVELOPMENT_ID
            + "'",
            lambda r: (
                (r["type"] == "microsoft.network/virtualnetworks" or r["location"] == "westeurope")
                and r["subscriptionId"] == ids.DEVELOPMENT_ID
            ),
        ),
    ],
)
def test_where_constructs(sim: Simulator, where: str, expect: Any) -> None:
    everything = rows(sim, "Resources | project id, name, type, location, subscriptionId")
    wanted = sorted(r["id"] for r in everything if expect(r))
    got = sorted(r["id"] for r in rows(sim, f"Resources | where {where} | project id"))
    assert got == wanted


def test_project_keeps_only_named_columns(sim: Simulator) -> None:
    row = rows(sim, "Resources | project name, location")[0]
    assert list(row) == ["name", "location"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("Resources | summarize count() by type", "summarize"),
        ("Resources | where name contains 'x'", "contains"),
        ("Resources | order by name desc", "order by name desc"),
        ("Resources | project id, properties.sku", "properties.sku"),
        ("SecurityResources", "SecurityResources"),
        ("Resources | where name !~ 'x'", "!~"),
    ],
)
def test_anything_else_is_a_400_naming_the_part(sim: Simulator, query: str, named: str) -> None:
    with pytest.raises(HttpResponseError) as info:
        rows(sim, query)
    error = info.value.error
    assert info.value.status_code == 400
    assert error is not None and error.code == "BadRequest"
    assert named in str(error.message)


def test_quota_headers_and_429_with_retry_after() -> None:
    with Simulator(graph_quota=(3, 2.0)) as own:
        client = graph(own, retry_total=0)
        request = QueryRequest(query="Resources | project id", options=QueryRequestOptions(top=5))
        seen: list[str] = []

        def hook(response: Any) -> None:
            seen.append(response.http_response.headers.get("x-ms-user-quota-remaining"))

        for _ in range(3):
            client.resources(request, raw_response_hook=hook)
        assert seen == ["2", "1", "0"]
        with pytest.raises(HttpResponseError) as info:
            client.resources(request)
        assert info.value.status_code == 429
        assert info.value.error is not None and info.value.error.code == "RateLimiting"
        assert info.value.response is not None
        headers = cast(Any, info.value.response).headers
        assert 1 <= int(headers["Retry-After"]) <= 2
        assert headers["x-ms-user-quota-resets-after"].startswith("00:00:0")
        # With retries on, the SDK waits Retry-After and gets through.
        assert graph(own).resources(request).count == 5


def test_skip_and_table_format(sim: Simulator) -> None:
    client = graph(sim)
    everything = rows(sim, "Resources | order by id asc | project id")
    options = QueryRequestOptions(skip=2, top=3, result_format="table")
    page = client.resources(
        QueryRequest(query="Resources | order by id asc | project id, name", options=options)
    )
    data = cast(dict[str, Any], page.data)
    assert [c["name"] for c in data["columns"]] == ["id", "name"]
    assert [r[0] for r in data["rows"]] == [r["id"] for r in everything[2:5]]


def test_without_id_there_is_no_skip_token_and_the_result_is_truncated(sim: Simulator) -> None:
    page = graph(sim).resources(
        QueryRequest(query="Resources | project name", options=QueryRequestOptions(top=2))
    )
    assert page.skip_token is None
    assert page.result_truncated == "true"
