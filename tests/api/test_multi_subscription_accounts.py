"""Accounts over several subscriptions through the HTTP API: create, check, scan, draw."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.config import Settings
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.estate import generate_estate
from tests.api.conftest import ApiUser
from tests.azure_env import settings_for

SUBSCRIPTIONS = 5
MG = "/providers/Microsoft.Management/managementGroups/mg-contoso"


@pytest.fixture(scope="module")
def estate() -> Environment:
    return generate_estate(SUBSCRIPTIONS, workloads=1, seed=11)


@pytest.fixture(scope="module")
def estate_sim(estate: Environment) -> Iterator[Simulator]:
    with Simulator(Environment.from_dict(estate.to_dict())) as running:
        yield running


@pytest.fixture
def api_settings(tmp_path: Any, estate_sim: Simulator) -> Settings:
    base = Settings(data_dir=tmp_path, secret_key="api-test-key", api_rate_limit="1000/10s")
    return base.model_copy(update=settings_for(estate_sim, snapshot_wait_seconds=30.0))


def body(estate: Environment, principal: int = 0, **fields: Any) -> dict[str, Any]:
    p = estate.principals[principal]
    return {
        "name": "Tenant",
        "directoryId": p.tenant_id,
        "applicationId": p.app_id,
        "clientSecret": p.secret,
        **fields,
    }


def scan(client: TestClient, user: ApiUser, account_id: str) -> dict[str, Any]:
    started = client.post(f"/api/azure/account/{account_id}/scans", headers=user.headers).json()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        got = client.get(
            f"/api/azure/account/{account_id}/scans/{started['id']}", headers=user.headers
        ).json()
        if got["status"] not in ("queued", "running"):
            return dict(got)
        time.sleep(0.1)
    raise AssertionError("scan did not finish")


def test_management_group_account_scans_every_subscription(
    client: TestClient, make_api_user: Any, estate: Environment
) -> None:
    user = make_api_user()
    made = client.post("/api/azure/account", headers=user.headers, json=body(estate, scope=MG))
    assert made.status_code == 201, made.text
    account = made.json()
    assert account["scope"] == MG
    ids = [s.subscription_id.lower() for s in estate.subscriptions]
    assert account["subscriptionId"] in ids  # the first, for Cloudcraft's clients
    assert estate.principals[0].secret not in made.text
    done = scan(client, user, account["id"])
    assert done["status"] == "succeeded", done
    assert done["counts"]["resources"] >= len(estate.resources)
    blueprint = client.get(
        f"/api/azure/account/{account['id']}/eastus/json", headers=user.headers
    ).json()
    drawn = {
        n["resourceId"].split("/")[2].lower()
        for n in blueprint["data"]["nodes"]
        if n.get("resourceId")
    }
    assert len(drawn & set(ids)) >= SUBSCRIPTIONS - 1  # every subscription with eastus resources


def test_listed_subscriptions_and_all(
    client: TestClient, make_api_user: Any, estate: Environment
) -> None:
    user = make_api_user()
    ids = [s.subscription_id for s in estate.subscriptions]
    made = client.post(
        "/api/azure/account",
        headers=user.headers,
        json=body(estate, subscriptionId=ids[0], subscriptionIds=ids[1:3]),
    )
    assert made.status_code == 201, made.text
    assert made.json()["subscriptionIds"] == [i.lower() for i in ids[:3]]
    assert made.json()["scope"] is None
    every = client.post("/api/azure/account", headers=user.headers, json=body(estate, scope="all"))
    assert every.status_code == 201, every.text
    assert every.json()["scope"] == "all"
    # editing the list back to one subscription
    edited = client.put(
        f"/api/azure/account/{made.json()['id']}",
        headers=user.headers,
        json={"subscriptionIds": []},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["subscriptionIds"] == [ids[0].lower()]


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        ({"scope": "everything"}, "invalid_request", "scope"),
        ({"scope": MG, "_principal": 1}, "missing_reader_role", "mg-contoso"),
        (
            {"subscriptionIds": ["not-a-guid"], "subscriptionId": None},
            "invalid_request",
            "not-a-guid",
        ),
        ({}, "invalid_request", "subscriptionId"),
    ],
)
def test_bad_scopes_are_400_naming_what_to_fix(
    client: TestClient,
    make_api_user: Any,
    estate: Environment,
    fields: dict[str, Any],
    code: str,
    words: str,
) -> None:
    user = make_api_user()
    principal = fields.pop("_principal", 0)
    if fields.get("subscriptionId", "") is None:
        fields["subscriptionId"] = estate.subscriptions[0].subscription_id
    answer = client.post(
        "/api/azure/account", headers=user.headers, json=body(estate, principal, **fields)
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code and words in answer.json()["error"]
    assert client.get("/api/azure/account", headers=user.headers).json()["accounts"] == []


def test_a_listed_subscription_the_app_cannot_read_is_named(
    client: TestClient, make_api_user: Any, estate: Environment
) -> None:
    user = make_api_user()
    ids = [s.subscription_id for s in estate.subscriptions]
    answer = client.post(
        "/api/azure/account",
        headers=user.headers,
        json=body(estate, 1, subscriptionId=ids[2], subscriptionIds=[ids[0]]),
    )
    assert answer.status_code == 400
    assert ids[0] in answer.json()["error"]


def test_several_accounts_in_one_diagram_draw_relations_across_them(
    client: TestClient, make_api_user: Any, estate: Environment
) -> None:
    """Account A reads the hub's subscriptions, account B two landing zones (another app): each
    scan leaves the peering to the other's VNet unresolved; the union draws it."""
    user = make_api_user()
    ids = [s.subscription_id for s in estate.subscriptions]
    hub = client.post(
        "/api/azure/account",
        headers=user.headers,
        json=body(estate, 0, subscriptionId=ids[0], subscriptionIds=[ids[1]]),
    ).json()
    spokes = client.post(
        "/api/azure/account",
        headers=user.headers,
        json=body(estate, 1, subscriptionId=ids[2], subscriptionIds=[ids[3]]),
    ).json()
    for account in (hub, spokes):
        assert scan(client, user, account["id"])["status"] == "succeeded"
    one = client.get(f"/api/azure/account/{hub['id']}/eastus/json", headers=user.headers).json()
    both = client.get(
        f"/api/azure/accounts/eastus/json?accounts={hub['id']},{spokes['id']}&groupBy=subscription,infrastructure",
        headers=user.headers,
    )
    assert both.status_code == 200, both.text
    data = both.json()["data"]
    subs = {n["resourceId"].split("/")[2].lower() for n in data["nodes"] if n.get("resourceId")}
    assert {i.lower() for i in ids[:4]} <= subs
    assert len(data["nodes"]) > len(one["data"]["nodes"])
    by_uuid = {n["id"]: n.get("resourceId", "") for n in data["nodes"] + data["groups"]}
    crossing = [
        e
        for e in data["edges"]
        if e["kind"] in ("peering", "private-link")
        and by_uuid.get(e["from"], "").split("/")[2:3] != by_uuid.get(e["to"], "").split("/")[2:3]
    ]
    kinds = {e["kind"] for e in crossing}
    assert {"peering", "private-link"} <= kinds, kinds
    assert both.headers["X-Snapshot-Id"].count(",") == 1


def test_several_accounts_errors(
    client: TestClient, make_api_user: Any, estate: Environment
) -> None:
    user, stranger = make_api_user(), make_api_user()
    ids = [s.subscription_id for s in estate.subscriptions]
    made = client.post(
        "/api/azure/account", headers=user.headers, json=body(estate, subscriptionId=ids[0])
    ).json()
    missing = client.get("/api/azure/accounts/all/svg", headers=user.headers)
    assert missing.status_code == 400 and "accounts" in missing.json()["error"]
    unscanned = client.get(
        f"/api/azure/accounts/all/svg?accounts={made['id']}", headers=user.headers
    )
    assert unscanned.status_code == 400 and unscanned.json()["code"] == "no_snapshot"
    hidden = client.get(
        f"/api/azure/accounts/all/svg?accounts={made['id']}", headers=stranger.headers
    )
    assert hidden.status_code == 404
