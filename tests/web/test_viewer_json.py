"""The viewer's JSON (a resource's details and connections, the edit page's subscription picker)
as its schemas build it, over HTTP on the real app, database and simulated Azure (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.accounts import service as account_service
from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount
from tests.azure_env import DEVELOPMENT, PRODUCTION, settings_for
from tests.factories import PASSWORD, connect_account, make_org, make_user
from tests.web.test_login_security import login


@pytest.fixture
def viewer(database_url: str, tmp_path: Path, simulator) -> Iterator[tuple[TestClient, str]]:
    db = Database.connect(database_url)
    settings = Settings(data_dir=tmp_path, secret_key="k", **settings_for(simulator))
    with db.session() as session:
        owner = make_user(session, make_org(session, plan="pro"), role="owner")
        account = connect_account(session, settings, owner)
        scan, _ = inventory_service.start_scan(session, account=account, actor=None)
        email, account_id, scan_id = owner.email, account.id, scan.id
    scan_job.run_scan(db, account_service.AzureContext.from_settings(settings), scan_id)
    app = create_app(settings, database=db, schedule=False)
    with TestClient(app, follow_redirects=False) as client:
        assert login(client, email, PASSWORD).status_code == 303
        yield client, account_id
    db.dispose()


def test_a_resource_answers_its_details_and_connections_as_json(viewer) -> None:
    client, account_id = viewer
    graph = client.get(f"/azure/accounts/{account_id}/diagram.svg")
    assert graph.status_code == 200, graph.text
    keys = [k for k in _keys(graph.text) if "/networkinterfaces/" in k]
    assert keys, "the simulated estate has network interfaces"
    url = f"/azure/accounts/{account_id}/resources"
    answer = client.get(url, params={"key": keys[0], "format": "json"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {
        "key", "resourceId", "name", "type", "armType", "subscriptionId", "resourceGroup",
        "location", "kind", "sku", "tags", "properties", "ipAddresses", "connections",
    }  # fmt: skip
    assert body["key"] == keys[0] and body["armType"] == "microsoft.network/networkinterfaces"
    assert body["subscriptionId"].lower() == PRODUCTION.lower()
    assert body["connections"], "a network interface is connected at least to its subnet"
    for connection in body["connections"]:
        assert set(connection) == {"kind", "direction", "key", "name", "type", "known"}
        assert connection["direction"] in ("in", "out")
    order = [(c["kind"], c["name"].lower(), c["key"]) for c in body["connections"]]
    assert order == sorted(order)
    panel = client.get(url, params={"key": keys[0]})
    assert panel.status_code == 200
    first = body["connections"][0]
    assert first["name"] in panel.text and first["kind"] in panel.text


def test_the_edit_page_lists_the_subscriptions_the_app_sees(viewer) -> None:
    client, account_id = viewer
    answer = client.get(f"/azure/accounts/{account_id}/subscriptions")
    assert answer.status_code == 200, answer.text
    subscriptions = answer.json()["subscriptions"]
    assert any(s["id"].lower() == PRODUCTION.lower() for s in subscriptions)
    assert all(set(s) == {"id", "name", "state"} for s in subscriptions)


def test_the_header_names_what_the_account_covers(viewer, database_url: str) -> None:
    client, account_id = viewer
    db = Database.connect(database_url)

    def header(subscription_ids: list[str], scope: str) -> str:
        with db.session() as session:
            account = session.get(AzureAccount, account_id)
            assert account is not None
            account.subscription_ids, account.scope = subscription_ids, scope
        page = client.get(f"/azure/accounts/{account_id}/diagram")
        assert page.status_code == 200, page.text
        found = re.search(r'<p class="cc-sub muted">(.*?) · scanned', page.text)
        assert found, "no header line"
        return found.group(1)

    production = PRODUCTION.lower()
    try:
        assert header([production], "") == f"Subscription <code>{production}</code>"
        many = header([production, DEVELOPMENT.lower()], "")
        assert many == f"Subscription <code>{production}</code> and 1 more"
        group = header([], "/providers/Microsoft.Management/managementGroups/mg-<b>")
        assert group == "Management group <code>mg-&lt;b&gt;</code>"
        assert header([], "all") == "Every subscription the app can read"
    finally:
        db.dispose()


def _keys(svg: str) -> list[str]:
    return [k.replace("&amp;", "&") for k in re.findall(r'data-key="([^"]+)"', svg)]
