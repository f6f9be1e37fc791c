"""The budget export over HTTP: the account's latest scan of the simulated Azure priced from the
simulator's Retail Prices API, as Cloudcraft's CSV and as XLSX."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import delete

from cloudcanvas.store.models import CachedPrice, PriceQuery
from tests.api.conftest import connect_production
from tests.api.test_scans import wait_scan
from tests.azure_env import PRODUCTION, READER, TENANT, settings_for

CLOUDCRAFT_HEADER = (
    "category,type,region,count,unitPrice,cost,instanceType,instanceSize,platform,role,engine,"
    "storage,dataGb,snapshots,volume,iops,memory,mRequests,computeDuration,readUnits,writeUnits,"
    "readConsistency,shards,putUnits,extendedRetention,emailsOut,requests,notifications,"
    "notificationType,cache,apiCalls,tier,instance"
)


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator, snapshot_wait_seconds=30.0))


@pytest.fixture
def scanned(client, make_api_user, api_db, simulator):
    with api_db.session() as session:  # each test starts with no cached price
        session.execute(delete(CachedPrice))
        session.execute(delete(PriceQuery))
    user = make_api_user()
    account = connect_production(client, user)
    scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    assert wait_scan(client, user, account["id"], scan["id"])["status"] == "succeeded"
    yield user, account
    simulator.clear_faults()


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_csv_starts_with_cloudcrafts_header_and_prices_the_scan(client, scanned, simulator):
    user, account = scanned
    simulator.reset_requests()
    response = client.get(
        f"/api/azure/account/{account['id']}/all/budget/csv", headers=user.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    header = response.content.decode().splitlines()[0]
    assert header.startswith(CLOUDCRAFT_HEADER + ",")
    assert header.split(",")[33:] == [
        "resourceId", "resourceName", "resourceGroup", "subscriptionId", "meter", "unit",
        "priceDate", "status", "reason", "currency", "period",
    ]  # fmt: skip
    rows = rows_of(response.content)
    priced = {row["type"] for row in rows if row["status"] == "priced" and float(row["cost"]) > 0}
    # What the sample Production subscription holds, each priced from the simulator's list.
    expected = {"azuresql", "azurepublicip", "azurevpngateway", "azurebastion", "azuresbnamespace"}
    assert expected <= priced, priced
    ip = next(row for row in rows if row["type"] == "azurepublicip")
    assert ip["tier"] == "Standard" and ip["count"] == "1"
    assert float(ip["cost"]) == pytest.approx(float(ip["unitPrice"]) * 730, rel=1e-3)
    assert ip["priceDate"] and ip["currency"] == "USD" and ip["period"] == "m"
    sql = next(row for row in rows if row["type"] == "azuresql")
    assert sql["engine"] == "sql" and sql["instanceSize"].endswith("vCore")
    assert all(
        row["unitPrice"] and not row["cost"] for row in rows if row["status"] == "usage-based"
    )
    assert all(row["reason"] for row in rows if row["status"] == "unpriced")
    assert response.headers["X-Prices-As-Of"]
    # Prices came from filtered lookups of the SKUs present, never the whole catalogue.
    lookups = [r for r in simulator.requests if r.route == "prices"]
    assert lookups and all("%24filter=" in r.query or "$filter=" in r.query for r in lookups)
    assert len(lookups) < 40


def test_currency_period_and_rate(client, scanned):
    user, account = scanned
    base = f"/api/azure/account/{account['id']}/eastus/budget/csv"
    usd = rows_of(client.get(base, headers=user.headers).content)
    eur = rows_of(client.get(base + "?currency=eur&period=y", headers=user.headers).content)
    usd_vm = next(r for r in usd if r["type"] == "azurepublicip")
    eur_vm = next(r for r in eur if r["resourceId"] == usd_vm["resourceId"])
    assert eur_vm["currency"] == "EUR" and eur_vm["period"] == "y"
    assert float(eur_vm["cost"]) == pytest.approx(float(usd_vm["cost"]) * 0.92 * 12, rel=1e-2)
    assert {r["region"] for r in usd} == {"eastus"}


@pytest.mark.parametrize(
    ("query", "word"),
    [("currency=BTC", "currency"), ("period=q", "period"), ("rate=list", "rate"),
     ("groupBy=color", "groupBy"), ("filter=(((", "filter")],
)  # fmt: skip
def test_bad_parameters_are_400_naming_the_parameter(client, scanned, query, word):
    user, account = scanned
    response = client.get(
        f"/api/azure/account/{account['id']}/all/budget/csv?{query}", headers=user.headers
    )
    assert response.status_code == 400 and word in response.json()["error"]
    bad_format = client.get(
        f"/api/azure/account/{account['id']}/all/budget/pdf", headers=user.headers
    )
    assert bad_format.status_code == 400 and "csv or xlsx" in bad_format.json()["error"]


def test_xlsx_has_subtotals_per_group_and_a_total(client, scanned):
    user, account = scanned
    url = f"/api/azure/account/{account['id']}/all/budget"
    rows = rows_of(client.get(f"{url}/csv", headers=user.headers).content)
    response = client.get(f"{url}/xlsx?groupBy=resourceGroup", headers=user.headers)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert ",".join(values[0][:33]) == CLOUDCRAFT_HEADER
    cost = values[0].index("cost")
    subtotals = [v for v in values if isinstance(v[0], str) and v[0].startswith("Subtotal")]
    groups = {r["resourceGroup"] for r in rows}
    assert len(subtotals) == len(groups)
    total = values[-1]
    assert total[0] == "Total (USD per month)"
    expected = sum(float(r["cost"]) for r in rows if r["cost"])
    assert total[cost] == pytest.approx(expected, abs=0.05)
    assert sum(s[cost] for s in subtotals) == pytest.approx(total[cost], abs=0.05)


def test_price_list_outage_uses_cached_prices_with_their_date(client, scanned, simulator):
    user, account = scanned
    url = f"/api/azure/account/{account['id']}/all/budget/csv"
    first = client.get(url, headers=user.headers)
    assert first.status_code == 200
    simulator.inject_fault("prices", status=503, count=1000)
    eur = client.get(url + "?currency=EUR", headers=user.headers)  # never fetched: nothing cached
    assert eur.status_code == 503 and eur.json()["code"] == "prices_unavailable"
    assert "CLOUDCANVAS_AZURE_PRICES_URL" in eur.json()["error"]
    again = client.get(url, headers=user.headers)  # USD cached: served, with the date
    assert again.status_code == 200
    assert rows_of(again.content) == rows_of(first.content)
    assert again.headers["X-Prices-As-Of"] == first.headers["X-Prices-As-Of"]
    diagram = client.get(f"/api/azure/account/{account['id']}/all/svg", headers=user.headers)
    assert diagram.status_code == 200 and b"<svg" in diagram.content  # diagrams unaffected


def test_a_budget_needs_a_scan_and_access(client, make_api_user, scanned):
    user, account = scanned
    stranger = make_api_user()
    hidden = client.get(
        f"/api/azure/account/{account['id']}/all/budget/csv", headers=stranger.headers
    )
    assert hidden.status_code == 404
    fresh = client.post(
        "/api/azure/account",
        headers=user.headers,
        json={
            "name": "Not scanned",
            "subscriptionId": PRODUCTION,
            "directoryId": TENANT,
            "applicationId": READER.app_id,
            "clientSecret": READER.secret,
        },
    ).json()
    response = client.get(f"/api/azure/account/{fresh['id']}/all/budget/csv", headers=user.headers)
    assert response.status_code == 404 and "no scan yet" in response.json()["error"]


# ---- a blueprint's budget, and the cost layer of every export ----

HAND_DRAWN = {"id": "hand", "type": "azurevm", "mapPos": [300, 300], "name": "drawn by hand"}


def _blueprint_of_snapshot(client, user, account, extra_nodes=()):
    """A blueprint made from the account's eastus snapshot document, plus nodes of our own."""
    document = client.get(
        f"/api/azure/account/{account['id']}/eastus/json", headers=user.headers
    ).json()
    document["data"]["nodes"] += list(extra_nodes)
    response = client.post("/api/blueprint", headers=user.headers, json=document)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_blueprints_budget_prices_the_resources_its_nodes_stand_for(client, scanned):
    user, account = scanned
    gone = dict(HAND_DRAWN, id="gone", name="deleted vm",
                resourceId=f"/subscriptions/{PRODUCTION}/resourceGroups/rg/providers/"
                "Microsoft.Compute/virtualMachines/deleted-vm")  # fmt: skip
    blueprint = _blueprint_of_snapshot(client, user, account, [HAND_DRAWN, gone])
    response = client.get(f"/api/blueprint/{blueprint['id']}/budget/csv", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.content.decode().splitlines()[0].startswith(CLOUDCRAFT_HEADER + ",")
    rows = rows_of(response.content)
    account_rows = rows_of(
        client.get(
            f"/api/azure/account/{account['id']}/eastus/budget/csv", headers=user.headers
        ).content
    )

    def charged(found):
        return sorted((r["resourceId"], r["meter"], r["cost"]) for r in found if r["cost"]
                      and float(r["cost"]) > 0)  # fmt: skip

    # The blueprint's blocks are the account's eastus resources: the same charges, to the cent.
    assert charged(rows) and charged(rows) == charged(account_rows)
    hand = next(r for r in rows if r["instance"] == "drawn by hand")
    assert hand["status"] == "unpriced" and "no Azure resource behind it" in hand["reason"]
    deleted = next(r for r in rows if r["instance"] == "deleted vm")
    assert deleted["status"] == "unpriced" and "not in the latest scan" in deleted["reason"]
    assert deleted["resourceId"] == gone["resourceId"] and not deleted["cost"]
    xlsx = client.get(
        f"/api/blueprint/{blueprint['id']}/budget/xlsx?currency=GBP&period=y",
        headers=user.headers,
    )
    assert xlsx.status_code == 200
    values = list(
        openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    )
    assert values[-1][0] == "Total (GBP per year)" and values[-1][values[0].index("cost")] > 0


@pytest.mark.parametrize(
    ("query", "word"),
    [("currency=XXX", "currency"), ("period=month", "period"), ("rate=cheap", "rate")],
)
def test_a_blueprints_budget_names_a_bad_parameter_and_needs_read_access(
    client, make_api_user, scanned, query, word
):
    user, account = scanned
    blueprint = _blueprint_of_snapshot(client, user, account)
    url = f"/api/blueprint/{blueprint['id']}/budget"
    bad = client.get(f"{url}/csv?{query}", headers=user.headers)
    assert bad.status_code == 400 and word in bad.json()["error"]
    assert client.get(f"{url}/pdf", headers=user.headers).status_code == 400
    stranger = make_api_user()
    assert client.get(f"{url}/csv", headers=stranger.headers).status_code == 404
    assert client.get("/api/blueprint/nope/budget/csv", headers=user.headers).status_code == 404


def test_a_live_blueprint_is_priced_from_its_accounts_latest_scan(client, scanned):
    user, account = scanned
    live = {"name": "Live", "liveAccount": {"id": account["id"], "type": "azure"}, "nodes": []}
    bp = client.post("/api/blueprint", headers=user.headers, json={"data": live}).json()
    empty = rows_of(
        client.get(f"/api/blueprint/{bp['id']}/budget/csv", headers=user.headers).content
    )
    assert empty == []  # no node yet: an empty budget, not an error
    scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    assert wait_scan(client, user, account["id"], scan["id"])["status"] == "succeeded"
    rows = rows_of(
        client.get(f"/api/blueprint/{bp['id']}/budget/csv", headers=user.headers).content
    )
    whole = rows_of(
        client.get(
            f"/api/azure/account/{account['id']}/all/budget/csv", headers=user.headers
        ).content
    )
    assert rows and sum(float(r["cost"]) for r in rows if r["cost"]) == pytest.approx(
        sum(float(r["cost"]) for r in whole if r["cost"]), abs=0.05
    )


def test_every_account_export_carries_the_cost_layer(client, scanned):
    user, account = scanned
    base = f"/api/azure/account/{account['id']}/eastus"
    rows = rows_of(client.get(f"{base}/budget/csv?currency=EUR", headers=user.headers).content)
    expected: dict[str, float] = {}
    for r in rows:
        if r["status"] == "priced":
            key = r["resourceId"].lower()
            expected[key] = expected.get(key, 0.0) + float(r["cost"])
    data = client.get(f"{base}/json?cost=true&currency=EUR", headers=user.headers).json()["data"]
    costs = {n["resourceId"].lower(): n["cost"] for n in data["nodes"]}
    for key, amount in expected.items():
        if key in costs:
            assert costs[key]["amount"] == pytest.approx(amount, abs=0.01), key
    assert data["cost"]["currency"] == "EUR" and data["cost"]["total"] > 0
    assert "Prices as of" in data["cost"]["note"]
    assert set(data["cost"]["groups"]) == {"region", "vnet", "resourceGroup", "subscription"}
    assert any(g["cost"] > 0 for g in data["groups"])
    svg = client.get(f"{base}/svg?cost=true&period=y", headers=user.headers)
    assert svg.status_code == 200 and b'class="cost-panel"' in svg.content
    assert b"Estimated cost per year (USD)" in svg.content and b"/yr</text>" in svg.content
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("mxGraph", b"<mxfile")):
        response = client.get(f"{base}/{fmt}?cost=true", headers=user.headers)
        assert response.status_code == 200 and response.content.startswith(magic), fmt
    drawio = client.get(f"{base}/mxGraph?cost=true", headers=user.headers).content
    assert b'id="cost-panel"' in drawio
    plain = client.get(f"{base}/svg", headers=user.headers).content
    assert b"cost-layer" not in plain
    # Several accounts in one diagram: the same layer over their union.
    estate = client.get(
        f"/api/azure/accounts/eastus/json?accounts={account['id']}&cost=true&currency=EUR",
        headers=user.headers,
    ).json()["data"]
    assert estate["cost"]["total"] == pytest.approx(data["cost"]["total"], abs=0.01)
    for query, word in (("cost=maybe", "cost"), ("cost=true&currency=BTC", "currency")):
        bad = client.get(f"{base}/svg?{query}", headers=user.headers)
        assert bad.status_code == 400 and word in bad.json()["error"], query


def test_a_blueprint_export_carries_the_cost_layer(client, scanned):
    user, account = scanned
    blueprint = _blueprint_of_snapshot(client, user, account, [HAND_DRAWN])
    url = f"/api/blueprint/{blueprint['id']}"
    data = client.get(f"{url}/json?cost=true&currency=GBP", headers=user.headers).json()
    hand = next(n for n in data["nodes"] if n["id"] == "hand")
    assert hand["cost"] == {"amount": None, "status": "unpriced"}
    assert any(n["cost"]["status"] == "priced" and n["cost"]["amount"] for n in data["nodes"])
    assert data["cost"]["currency"] == "GBP" and data["cost"]["unpriced"] >= 1
    svg = client.get(f"{url}/svg?cost=true", headers=user.headers)
    assert svg.status_code == 200 and b'class="cost-panel"' in svg.content
    assert client.get(f"{url}/png?cost=true", headers=user.headers).content.startswith(b"\x89PNG")
    assert (
        b"cost" not in client.get(f"{url}/json", headers=user.headers).content.split(b'"nodes"')[0]
    )


def test_exports_with_cost_are_drawn_when_no_price_can_be_had(client, scanned, simulator):
    user, account = scanned
    cached = client.get(f"/api/azure/account/{account['id']}/all/budget/csv", headers=user.headers)
    simulator.inject_fault("prices", status=503, count=1000)
    # USD is cached: the layer is drawn from the cache, with the prices' date.
    data = client.get(
        f"/api/azure/account/{account['id']}/all/json?cost=true", headers=user.headers
    ).json()["data"]
    day = cached.headers["X-Prices-As-Of"][:10]
    assert data["cost"]["total"] > 0 and f"Prices as of {day}" in data["cost"]["note"]
    response = client.get(
        f"/api/azure/account/{account['id']}/all/svg?cost=true&currency=CHF", headers=user.headers
    )
    assert response.status_code == 200 and b"<svg" in response.content  # the diagram is drawn
    assert b"No CHF prices are cached yet" in response.content  # and the panel says why
    assert b"CLOUDCANVAS_AZURE_PRICES_URL" in response.content


def test_reading_a_live_blueprint_is_enough_to_price_it(client, scanned, api_db):
    """A team member who may read the live blueprint, but not its account, gets its budget; a
    colleague outside the team gets a 404, as for the blueprint itself."""
    from cloudcanvas.identity import service as identity_service
    from cloudcanvas.store.models import User
    from tests.factories import make_team, make_user

    user, account = scanned
    with api_db.session() as session:
        org = session.get(User, user.user_id).organization
        reader, outsider = make_user(session, org, role="viewer"), make_user(session, org)
        team_id = make_team(session, org, reader).id
        keys = [
            identity_service.create_api_key(session, user=u, access="read")[1]
            for u in (reader, outsider)
        ]
    as_reader, as_outsider = ({"Authorization": f"Bearer {k}"} for k in keys)
    live = {"name": "Live", "liveAccount": {"id": account["id"], "type": "azure"}, "nodes": []}
    bp = client.post(
        "/api/blueprint",
        headers=user.headers,
        json={"data": live, "readAccess": [f"team/{team_id}"]},
    ).json()
    scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    assert wait_scan(client, user, account["id"], scan["id"])["status"] == "succeeded"
    own = f"/api/azure/account/{account['id']}/all/budget/csv"
    assert client.get(own, headers=as_reader).status_code == 404  # the account is not theirs
    response = client.get(f"/api/blueprint/{bp['id']}/budget/csv", headers=as_reader)
    assert response.status_code == 200, response.text
    rows = rows_of(response.content)
    assert rows and sum(float(r["cost"]) for r in rows if r["cost"]) > 0
    assert all(r["status"] != "unpriced" or "blueprint" not in r["reason"] for r in rows)
    hidden = client.get(f"/api/blueprint/{bp['id']}/budget/csv", headers=as_outsider)
    assert hidden.status_code == 404


def test_a_blueprints_budget_and_cost_layer_decode_through_the_apps_caches(
    client, scanned, api_db, api_settings
):
    """Pricing a blueprint reads the account's snapshot once per app, not on every request."""
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from cloudcanvas.app import create_app
    from cloudcanvas.inventory.rendering import caches_of
    from cloudcanvas.store.models import Snapshot

    user, account = scanned
    blueprint = _blueprint_of_snapshot(client, user, account, [HAND_DRAWN])
    with api_db.session() as session:
        query = select(Snapshot.content_hash).where(Snapshot.account_id == account["id"])
        hashes = set(session.scalars(query))
    for path in ("budget/csv", "svg?cost=true"):
        with TestClient(create_app(api_settings, database=api_db, schedule=False)) as fresh:
            inventories = caches_of(fresh.app.state).inventories  # type: ignore[attr-defined]
            assert not any(inventories.get((h,)) for h in hashes)
            url = f"/api/blueprint/{blueprint['id']}/{path}"
            assert fresh.get(url, headers=user.headers).status_code == 200
            assert any(inventories.get((h,)) for h in hashes), path
