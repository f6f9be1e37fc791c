"""Resource Manager through the official SDK: subscriptions, permissions, role assignments, GETs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from azure.mgmt.resource.subscriptions import SubscriptionClient

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids
from tests.simulator.sdk import arm_kwargs, async_credential, sync_credential


def client(
    sim: Simulator, app: str = ids.WIZARD_APP_ID, secret: str = ids.WIZARD_SECRET, **kw: Any
):
    return SubscriptionClient(sync_credential(sim, app, secret), **arm_kwargs(sim, **kw))


def get(sim: Simulator, path: str, api: str = "2022-04-01", **kw: Any) -> Any:
    subs = client(sim, **kw)
    return subs.send_request(HttpRequest("GET", path, params={"api-version": api}))


def test_subscriptions_page_through_next_links_on_the_simulator(sim: Simulator) -> None:
    sim.reset_requests()
    found = {s.subscription_id: s.state for s in client(sim).subscriptions.list()}
    assert found == {
        ids.PRODUCTION_ID: "Enabled",
        ids.DEVELOPMENT_ID: "Enabled",
        ids.LEGACY_ID: "Disabled",
    }
    pages = [r for r in sim.requests if r.route == "subscriptions"]
    assert len(pages) == 2
    assert "$skiptoken" in pages[1].query


def test_reader_sees_only_its_subscription(sim: Simulator) -> None:
    subs = client(sim, ids.READER_APP_ID, ids.READER_SECRET)
    assert [s.display_name for s in subs.subscriptions.list()] == ["Production"]
    assert subs.subscriptions.get(ids.PRODUCTION_ID).state == "Enabled"


def test_subscription_state_changes_show(sim: Simulator) -> None:
    sim.set_subscription_state(ids.DEVELOPMENT_ID, "Warned")
    try:
        assert client(sim).subscriptions.get(ids.DEVELOPMENT_ID).state == "Warned"
    finally:
        sim.set_subscription_state(ids.DEVELOPMENT_ID, "Enabled")


def test_async_subscription_client_pages(sim: Simulator) -> None:
    from azure.mgmt.resource.subscriptions.aio import SubscriptionClient as AsyncClient

    async def names() -> list[str]:
        async with async_credential(sim) as cred, AsyncClient(cred, **arm_kwargs(sim)) as subs:
            return [str(s.display_name) async for s in subs.subscriptions.list()]

    assert asyncio.run(names()) == ["Production", "Development", "Legacy"]


def test_reader_permissions_are_read_only(sim: Simulator) -> None:
    response = get(
        sim, f"/subscriptions/{ids.PRODUCTION_ID}/providers/Microsoft.Authorization/permissions"
    )
    assert response.status_code == 200
    assert response.json()["value"] == [
        {"actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": []}
    ]
    assert int(response.headers["x-ms-ratelimit-remaining-subscription-reads"]) > 0


def test_contributor_and_owner_permissions() -> None:
    with Simulator() as own:
        scope = f"/subscriptions/{ids.DEVELOPMENT_ID}"
        own.grant_role(ids.READER_OBJECT_ID, scope, "Contributor")
        path = f"{scope}/providers/Microsoft.Authorization/permissions"
        perms = get(own, path, app=ids.READER_APP_ID, secret=ids.READER_SECRET).json()["value"]
        assert perms[0]["actions"] == ["*"]
        assert "Microsoft.Authorization/*/Write" in perms[0]["notActions"]
        own.revoke_role(ids.READER_OBJECT_ID, scope)
        own.grant_role(ids.READER_OBJECT_ID, scope, "Owner")
        perms = get(own, path, app=ids.READER_APP_ID, secret=ids.READER_SECRET).json()["value"]
        assert perms == [
            {"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}
        ]


def test_no_role_means_authorization_failed(sim: Simulator) -> None:
    path = f"/subscriptions/{ids.DEVELOPMENT_ID}/providers/Microsoft.Authorization/permissions"
    response = get(sim, path, app=ids.READER_APP_ID, secret=ids.READER_SECRET)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "AuthorizationFailed"
    assert ids.READER_OBJECT_ID in error["message"]


def test_revoked_role_hides_the_subscription() -> None:
    with Simulator() as own:
        own.revoke_role(ids.READER_OBJECT_ID, f"/subscriptions/{ids.PRODUCTION_ID}")
        subs = client(own, ids.READER_APP_ID, ids.READER_SECRET)
        assert list(subs.subscriptions.list()) == []


def test_role_assignments_filter_by_principal_and_scope(sim: Simulator) -> None:
    path = f"/subscriptions/{ids.PRODUCTION_ID}/providers/Microsoft.Authorization/roleAssignments"
    subs = client(sim)
    request = HttpRequest(
        "GET",
        path,
        params={
            "api-version": "2022-04-01",
            "$filter": f"atScope() and assignedTo('{ids.READER_OBJECT_ID}')",
        },
    )
    value = subs.send_request(request).json()["value"]
    assert len(value) == 1
    assert value[0]["properties"]["principalId"] == ids.READER_OBJECT_ID
    assert value[0]["properties"]["roleDefinitionId"].endswith(
        "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    )
    request = HttpRequest(
        "GET",
        path,
        params={"api-version": "2022-04-01", "$filter": f"principalId eq '{ids.WIZARD_OBJECT_ID}'"},
    )
    assert [a["properties"]["scope"] for a in subs.send_request(request).json()["value"]] == [
        f"/subscriptions/{ids.PRODUCTION_ID}"
    ]


def test_any_resource_by_id_and_groups(sim: Simulator) -> None:
    resource = sim.env.resources[0]
    response = get(sim, resource["id"], api="2024-05-01")
    assert response.status_code == 200
    assert response.json()["id"] == resource["id"]
    groups = get(sim, f"/subscriptions/{ids.PRODUCTION_ID}/resourcegroups", api="2021-04-01").json()
    assert groups["value"]


def test_missing_resource_is_404_and_missing_api_version_is_400(sim: Simulator) -> None:
    rid = f"/subscriptions/{ids.PRODUCTION_ID}/resourceGroups/nope/providers/Microsoft.Network/virtualNetworks/x"
    assert get(sim, rid).status_code == 404
    subs = client(sim)
    response = subs.send_request(HttpRequest("GET", f"/subscriptions/{ids.PRODUCTION_ID}"))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MissingApiVersionParameter"


def test_resource_in_unreadable_subscription_is_403_via_sdk_error(sim: Simulator) -> None:
    subs = client(sim, ids.READER_APP_ID, ids.READER_SECRET)
    rid = next(r["id"] for r in sim.env.resources if ids.DEVELOPMENT_ID in r["id"])
    response = subs.send_request(HttpRequest("GET", rid, params={"api-version": "2024-05-01"}))
    with pytest.raises(HttpResponseError) as info:
        response.raise_for_status()
    assert info.value.status_code == 403


def test_resource_groups_of_an_unreadable_subscription_are_forbidden(sim: Simulator) -> None:
    path = f"/subscriptions/{ids.DEVELOPMENT_ID}/resourcegroups"
    response = get(sim, path, api="2021-04-01", app=ids.READER_APP_ID, secret=ids.READER_SECRET)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "AuthorizationFailed"


def test_roles_on_one_group_only_show_that_group() -> None:
    with Simulator() as own:
        group = next(g for g in own.env.resource_groups if ids.DEVELOPMENT_ID in g.id)
        own.grant_role(ids.READER_OBJECT_ID, group.id)
        path = f"/subscriptions/{ids.DEVELOPMENT_ID}/resourcegroups"
        body = get(
            own, path, api="2021-04-01", app=ids.READER_APP_ID, secret=ids.READER_SECRET
        ).json()
        assert [g["id"] for g in body["value"]] == [group.id]
        perms = f"/subscriptions/{ids.DEVELOPMENT_ID}/providers/Microsoft.Authorization/permissions"
        assert (
            get(own, perms, app=ids.READER_APP_ID, secret=ids.READER_SECRET).json()["value"] == []
        )
