"""The viewer's JSON (a resource's details and connections, the edit page's subscription picker)
as its schemas build it, over HTTP on the real app, database and simulated Azure (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount
from tests.azure_env import DEVELOPMENT, PRODUCTION
from tests.web.conftest import scanned_account, signed_in


@pytest.fixture
def viewer(web_settings: Settings, web_db: Database) -> Iterator[tuple[TestClient, str]]:
    email, account_id = scanned_account(web_settings, web_db)
    with signed_in(web_settings, web_db, email) as client:
        yield client, account_id


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
