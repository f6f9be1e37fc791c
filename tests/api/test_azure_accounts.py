"""``/api/azure/account`` over HTTP against the simulated Azure."""

import time

import pytest

from tests.azure_env import (
    DEVELOPMENT,
    GROUP_ONLY,
    PRODUCTION,
    READER,
    TENANT,
    WIZARD,
    settings_for,
)


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator))


def body(**changes):
    return {
        "name": "Production",
        "subscriptionId": PRODUCTION,
        "directoryId": TENANT,
        "applicationId": READER.app_id,
        "clientSecret": READER.secret,
    } | changes


def test_create_list_update_delete(client, make_api_user):
    user = make_api_user()
    created = client.post("/api/azure/account", headers=user.headers, json=body())
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["hint"] == READER.secret[:3] and account["source"] == "azure"
    assert account["status"] == "ok" and "clientSecret" not in account
    assert READER.secret not in created.text
    listed = client.get("/api/azure/account", headers=user.headers).json()["accounts"]
    assert [a["id"] for a in listed] == [account["id"]]
    etag = created.headers["ETag"]
    updated = client.put(
        f"/api/azure/account/{account['id']}",
        headers=user.headers | {"If-Match": etag},
        json={"name": "Prod"},
    )
    assert updated.status_code == 200 and updated.json()["name"] == "Prod"
    stale = client.put(
        f"/api/azure/account/{account['id']}",
        headers=user.headers | {"If-Match": etag},
        json={"name": "Nope"},
    )
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    assert (
        client.delete(f"/api/azure/account/{account['id']}", headers=user.headers).status_code
        == 204
    )
    assert client.get("/api/azure/account", headers=user.headers).json()["accounts"] == []
    assert (
        client.delete(f"/api/azure/account/{account['id']}", headers=user.headers).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "code", "word"),
    [
        ({"clientSecret": READER.secret_id}, "client_secret_is_id", "Value"),
        (
            {"clientSecret": "nope-nope-nope-nope-nope-nope-nope-1234"},
            "invalid_client_secret",
            "Value",
        ),
        ({"subscriptionId": DEVELOPMENT}, "subscription_not_found", DEVELOPMENT),
        (
            {"applicationId": GROUP_ONLY.app_id, "clientSecret": GROUP_ONLY.secret},
            "missing_reader_role",
            "Reader",
        ),
        ({"subscriptionId": "123"}, "invalid_request", "Subscription ID"),
        ({"name": "n" * 201}, "invalid_request", "name"),
    ],
)
def test_failed_checks_are_400_with_code_and_nothing_stored(
    client, make_api_user, changes, code, word
):
    user = make_api_user()
    response = client.post("/api/azure/account", headers=user.headers, json=body(**changes))
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code and word in response.json()["error"]
    assert client.get("/api/azure/account", headers=user.headers).json()["accounts"] == []


def test_check_endpoint_lists_subscriptions_and_stores_nothing(client, make_api_user):
    user = make_api_user()
    response = client.post(
        "/api/azure/account/check",
        headers=user.headers,
        json={
            "directoryId": TENANT,
            "applicationId": WIZARD.app_id,
            "clientSecret": WIZARD.secret,
            "stage": "subscription",
        },
    )
    assert response.status_code == 200, response.text
    names = {s["displayName"] for s in response.json()["subscriptions"]}
    assert {"Production", "Development", "Legacy"} <= names
    assert client.get("/api/azure/account", headers=user.headers).json()["accounts"] == []


def test_bulk_add_in_one_request(client, make_api_user):
    user = make_api_user()
    rows = [body(name="one"), body(name="two", clientSecret="bad-bad-bad-bad-bad-bad-bad-bad-bad")]
    response = client.post("/api/azure/account", headers=user.headers, json=rows)
    assert response.status_code == 200
    assert [(r["name"], r["ok"], r["code"]) for r in response.json()["results"]] == [
        ("one", True, None),
        ("two", False, "invalid_client_secret"),
    ]


def test_users_cannot_connect_and_viewers_cannot_edit(client, make_api_user):
    response = client.post(
        "/api/azure/account", headers=make_api_user(role="user").headers, json=body()
    )
    assert response.status_code == 403
    response = client.post(
        "/api/azure/account", headers=make_api_user(plan="free").headers, json=body()
    )
    assert response.status_code == 403 and response.json()["code"] == "plan_required"


def test_audit_log_names_changes_but_never_the_secret(client, make_api_user):
    user = make_api_user()
    account = client.post("/api/azure/account", headers=user.headers, json=body()).json()
    client.put(
        f"/api/azure/account/{account['id']}",
        headers=user.headers,
        json={"clientSecret": READER.secret, "name": "Renamed"},
    )
    events = client.get("/api/audit", headers=user.headers).json()["events"]
    assert [e["action"] for e in events][:2] == ["edit", "add"]
    assert events[0]["changes"]["clientSecret"] == "replaced"
    assert READER.secret not in str(events)
    assert client.get("/api/audit", headers=make_api_user(role="user").headers).status_code == 403


def test_the_directory_is_checked_before_any_secret(client, make_api_user):
    from tests.azure_env import UNKNOWN_GUID

    user = make_api_user()
    ok = client.post(
        "/api/azure/account/check",
        headers=user.headers,
        json={"directoryId": TENANT, "applicationId": READER.app_id, "stage": "directory"},
    )
    assert ok.status_code == 200 and ok.json()["ok"] is True
    unknown = client.post(
        "/api/azure/account/check",
        headers=user.headers,
        json={"directoryId": UNKNOWN_GUID, "applicationId": READER.app_id, "stage": "directory"},
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "directory_not_found"


def test_an_empty_name_becomes_the_subscription_display_name(client, make_api_user):
    user = make_api_user()
    response = client.post("/api/azure/account", headers=user.headers, json=body(name="  "))
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Production"  # as Azure names the subscription


def test_the_directory_check_says_what_was_checked(client, make_api_user):
    response = client.post(
        "/api/azure/account/check",
        headers=make_api_user().headers,
        json={"directoryId": TENANT, "applicationId": READER.app_id, "stage": "directory"},
    )
    body = response.json()
    assert [(s["stage"], s["ok"]) for s in body["stages"]] == [
        ("format", True),
        ("directory", True),
    ]
    assert body["message"] == (
        f"All checks passed. The IDs are well-formed. "
        f"The directory {TENANT} exists in Microsoft Entra ID."
    )


def finished(client, user, account_id, scan_id):
    """The scan once it is over (the inline runner runs it in a thread against the simulator)."""
    url = f"/api/azure/account/{account_id}/scans/{scan_id}"
    for _ in range(600):
        scan = client.get(url, headers=user.headers).json()
        if scan["status"] not in ("queued", "running"):
            return scan
        time.sleep(0.05)
    raise AssertionError(f"scan {scan_id} did not finish: {scan}")


def test_a_connected_account_is_scanned_at_once(client, make_api_user):
    user = make_api_user()
    created = client.post("/api/azure/account", headers=user.headers, json=body())
    assert created.status_code == 201, created.text
    account = created.json()
    scan_id = account["scanId"]
    assert created.headers["Link"] == (
        f'</api/azure/account/{account["id"]}/scans/{scan_id}>; rel="scan"'
    )
    scans = client.get(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    assert [(s["id"], s["trigger"]) for s in scans["scans"]] == [(scan_id, "api")]
    scan = finished(client, user, account["id"], scan_id)
    assert scan["status"] == "succeeded" and scan["counts"]["resources"] > 10, scan
    read = client.get(f"/api/azure/account/{account['id']}", headers=user.headers).json()
    assert read["lastScannedAt"] is not None and "scanId" not in read


def test_each_account_of_a_bulk_add_is_scanned_at_once(client, make_api_user):
    user = make_api_user()
    rows = [body(name="one"), body(name="two", clientSecret="bad-bad-bad-bad-bad-bad-bad-bad-bad")]
    results = client.post("/api/azure/account", headers=user.headers, json=rows).json()["results"]
    assert results[1]["scanId"] is None and results[1]["account"] is None
    account_id, scan_id = results[0]["account"]["id"], results[0]["scanId"]
    scan = finished(client, user, account_id, scan_id)
    assert scan["trigger"] == "api" and scan["status"] == "succeeded", scan
    assert scan["counts"]["resources"] > 10
