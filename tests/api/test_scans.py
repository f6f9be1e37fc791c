"""Scans, snapshots and the diagram endpoint over HTTP, against the simulated Azure."""

import time
import xml.etree.ElementTree as ET

import pytest

from tests.azure_env import PRODUCTION, READER, settings_for


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator, snapshot_wait_seconds=30.0))


def wait_scan(client, user, account_id, scan_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scan = client.get(
            f"/api/azure/account/{account_id}/scans/{scan_id}", headers=user.headers
        ).json()
        if scan["status"] not in ("queued", "running"):
            return scan
        time.sleep(0.1)
    raise AssertionError("scan did not finish")


def test_scan_makes_a_snapshot_and_joins_a_running_scan(client, connected, simulator):
    user, account = connected
    first = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers)
    second = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers)
    assert first.status_code == 202 and {"id", "status", "startedAt"} <= set(first.json())
    if second.json()["status"] in ("queued", "running"):
        assert second.json()["id"] == first.json()["id"]  # joined, not a second scan
    scan = wait_scan(client, user, account["id"], first.json()["id"])
    assert scan["status"] == "succeeded", scan
    assert scan["counts"]["resources"] > 10 and scan["progress"]["requests"] >= 2
    scans = client.get(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()[
        "scans"
    ]
    assert scans[0]["id"] == scan["id"]
    listed = client.get("/api/azure/account", headers=user.headers).json()["accounts"][0]
    assert listed["lastScannedAt"] is not None


def test_snapshot_endpoint_renders_every_format(client, connected):
    user, account = connected
    base = f"/api/azure/account/{account['id']}/eastus"
    svg = client.get(f"{base}/svg", headers=user.headers)
    assert svg.status_code == 200, svg.text
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg") and b"<script" not in svg.content
    blueprint = client.get(f"{base}/json", headers=user.headers).json()
    ids = {n.get("resourceId") for n in blueprint["data"]["nodes"]}
    assert any(i and i.startswith(f"/subscriptions/{PRODUCTION}") for i in ids)
    assert client.get(f"{base}/png", headers=user.headers).content.startswith(b"\x89PNG")
    assert client.get(
        f"{base}/pdf?landscape=true&paperSize=A4", headers=user.headers
    ).content.startswith(b"%PDF")
    mx = ET.fromstring(client.get(f"{base}/mxGraph", headers=user.headers).content)
    assert mx.find(".//mxGraphModel") is not None
    two_d = client.get(f"{base}/svg?projection=2d&theme=dark&grid=false", headers=user.headers)
    assert two_d.status_code == 200 and two_d.content != svg.content


@pytest.mark.parametrize(
    ("path", "word"),
    [
        ("eastus/gif", "format"),
        ("East%20US/svg", "location"),
        ("eastus/svg?projection=3d", "projection"),
        ("eastus/svg?grid=maybe", "grid"),
        ("eastus/svg?scale=big", "scale"),
        ("eastus/svg?filter=type%3D%28", "filter"),
    ],
)
def test_bad_diagram_options_are_400(client, connected, path, word):
    user, account = connected
    response = client.get(f"/api/azure/account/{account['id']}/{path}", headers=user.headers)
    assert response.status_code == 400, response.text
    assert word in response.json()["error"].lower()


def test_still_processing_then_the_result(client, connected, simulator, api_settings):
    user, account = connected
    client.app.state.settings = api_settings.model_copy(update={"snapshot_wait_seconds": 0.2})
    simulator.set_latency(0.8)
    try:
        response = client.get(
            f"/api/azure/account/{account['id']}/eastus/json?fresh=true", headers=user.headers
        )
        assert response.status_code == 202
        assert response.json()["code"] == "STILL_PROCESSING" and response.json()["retry"] is True
        wait_scan(client, user, account["id"], response.json()["scanId"])
    finally:
        simulator.set_latency(0.0)
    done = client.get(f"/api/azure/account/{account['id']}/eastus/json", headers=user.headers)
    assert done.status_code == 200 and done.json()["data"]["nodes"]


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        ({"status": 503, "count": 200}, {"failed", "partial"}),
        ({"status": 503, "count": 2}, {"succeeded"}),
        ({"status": 429, "count": 3}, {"succeeded"}),
        ({"status": 429, "count": 3, "retry_after": 0.2}, {"succeeded"}),
    ],
    ids=["503-persistent", "503-twice", "429-without-retry-after", "429-with-retry-after"],
)
def test_faults_never_lose_the_last_good_snapshot(client, connected, simulator, fault, outcome):
    """Under 429s and 503s a scan completes, or ends with its failures named; either way the
    diagram keeps drawing a good snapshot."""
    user, account = connected
    good = client.get(f"/api/azure/account/{account['id']}/eastus/json", headers=user.headers)
    assert good.status_code == 200
    good_id = good.headers["X-Snapshot-Id"]
    simulator.inject_fault("resourcegraph", **fault)
    try:
        scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
        scan = wait_scan(client, user, account["id"], scan["id"], timeout=60)
    finally:
        simulator.clear_faults()
    assert scan["status"] in outcome, scan
    again = client.get(f"/api/azure/account/{account['id']}/eastus/json", headers=user.headers)
    assert again.status_code == 200
    if scan["status"] == "succeeded":
        assert scan["failures"] == [] and again.headers["X-Snapshot-Id"] == scan["snapshotId"]
    else:
        assert scan["failures"] and all(f["impact"] for f in scan["failures"])
        assert again.headers["X-Snapshot-Id"] == good_id


def test_diff_between_snapshots(client, connected):
    user, account = connected
    for _ in range(2):
        scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
        wait_scan(client, user, account["id"], scan["id"])
    diff = client.get(f"/api/azure/account/{account['id']}/diff", headers=user.headers).json()
    assert diff["from"] is not None and diff["counts"] == {"added": 0, "removed": 0, "changed": 0}
    snapshots = client.get(
        f"/api/azure/account/{account['id']}/snapshots", headers=user.headers
    ).json()
    assert len(snapshots["snapshots"]) >= 2 and snapshots["snapshots"][0]["resourceCount"] > 0


def test_expired_secret_stops_scans_with_its_message(client, connected, api_db):
    from cloudcanvas.store.models import AzureAccount

    user, account = connected
    with api_db.session() as session:
        row = session.get(AzureAccount, account["id"])
        row.status, row.status_message = "secret_expired", "The client secret expired; update it."
    response = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers)
    assert response.status_code == 409 and response.json()["code"] == "secret_expired"
    # a new secret makes it work again at once
    updated = client.put(
        f"/api/azure/account/{account['id']}",
        headers=user.headers,
        json={"clientSecret": READER.secret},
    )
    assert updated.json()["status"] == "ok"
    assert (
        client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).status_code
        == 202
    )


def test_an_unchanged_snapshot_is_rendered_once_per_options(client, connected, monkeypatch):
    from cloudcanvas.inventory import rendering

    user, account = connected
    base = f"/api/azure/account/{account['id']}/eastus/svg"
    assert client.get(base, headers=user.headers).status_code == 200
    calls = []
    from cloudcanvas.diagram import render as real

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(rendering, "render", counting)
    first = client.get(base, headers=user.headers)
    assert first.status_code == 200 and calls == []  # served from the cache
    dark = client.get(base + "?theme=dark", headers=user.headers)
    assert dark.status_code == 200 and len(calls) == 1 and dark.content != first.content


def test_an_expired_secret_serves_the_last_snapshot_and_says_why(client, connected, api_db):
    from cloudcanvas.store.models import AzureAccount

    user, account = connected
    base = f"/api/azure/account/{account['id']}/eastus/json"
    first = client.get(base, headers=user.headers)
    assert first.status_code == 200 and "X-Snapshot-Stale" not in first.headers
    with api_db.session() as session:
        session.get(AzureAccount, account["id"]).status = "secret_expired"
    again = client.get(base + "?fresh=true", headers=user.headers)
    assert again.status_code == 200
    assert again.headers["X-Snapshot-Stale"] == "secret_expired"
    assert again.headers["X-Snapshot-Id"] == first.headers["X-Snapshot-Id"]


def test_a_scan_refused_by_azure_marks_the_account_and_the_schedule_skips_it(
    client, connected, simulator, api_db
):
    """A scan told the app may not read (403) says so on the account; the schedule then waits."""
    from cloudcanvas.accounts import repository as account_repository
    from cloudcanvas.store.base import utcnow

    user, account = connected
    simulator.inject_fault("resourcegraph", status=403, count=10)
    try:
        scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers)
        done = wait_scan(client, user, account["id"], scan.json()["id"])
    finally:
        simulator.clear_faults()
    assert done["status"] == "failed", done
    listed = client.get(f"/api/azure/account/{account['id']}", headers=user.headers).json()
    assert listed["status"] == "missing_reader_role", listed
    assert "Reader" in listed["statusMessage"]
    with api_db.session() as session:
        due = account_repository.list_due_for_scan(session, utcnow())
        assert account["id"] not in {a.id for a in due}
    # Saving the credentials again re-checks them: the account is back and scanned again.
    updated = client.put(
        f"/api/azure/account/{account['id']}",
        headers=user.headers,
        json={"clientSecret": READER.secret},
    )
    assert updated.json()["status"] == "ok"


def test_two_apps_do_not_share_their_snapshot_caches(client, connected, api_settings, api_db):
    """The decoded snapshots and drawings belong to the app that made them (``app.state``)."""
    from fastapi.testclient import TestClient

    from cloudcanvas.app import create_app
    from cloudcanvas.inventory.rendering import caches_of

    user, account = connected
    svg = client.get(f"/api/azure/account/{account['id']}/eastus/svg", headers=user.headers)
    assert svg.status_code == 200, svg.text
    first = caches_of(client.app.state)
    content = _hash(api_db, svg.headers["X-Snapshot-Id"])
    assert first.renderings.get((content, "eastus", "svg", _opts())) is not None
    with TestClient(create_app(api_settings, database=api_db, schedule=False)) as other:
        second = caches_of(other.app.state)  # type: ignore[attr-defined]
        assert second is not first
        assert second.renderings.get((content, "eastus", "svg", _opts())) is None
        again = other.get(f"/api/azure/account/{account['id']}/eastus/svg", headers=user.headers)
        assert again.content == svg.content  # drawn afresh by the second app, the same bytes
        assert second.inventories.get((content,)) is not None
    assert first.inventories.get((content,)) is not None


def _hash(api_db, snapshot_id):
    from cloudcanvas.store.models import Snapshot

    with api_db.session() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        assert snapshot is not None
        return snapshot.content_hash


def _opts():
    from cloudcanvas.diagram.query import options_from_query

    return options_from_query({})
