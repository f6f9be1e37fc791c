"""The price cache against the simulator's Retail Prices API: filtered lookups for what a scan
found, refreshes that replace (never duplicate), the daily refresh, and outages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from cloudcanvas.config import Settings
from cloudcanvas.cost import service as cost_service
from cloudcanvas.cost.pricing import charges_of, price_resources
from cloudcanvas.inventory.codec import encode_inventory
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.jobs import tasks
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.graph import container_rows, resource_rows
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, CachedPrice, PriceQuery, Snapshot
from tests.factories import connect_account


@pytest.fixture(scope="module")
def demo() -> Inventory:
    env = Environment.demo()
    return build_inventory(resource_rows(env), container_rows(env))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


def _clear_prices(database: Database) -> None:
    with database.session() as session:
        session.execute(delete(CachedPrice))
        session.execute(delete(PriceQuery))


@pytest.fixture
def with_snapshot(database: Database, azure_settings: Settings, demo: Inventory) -> Iterator[str]:
    """A connected account whose latest snapshot is the demo estate; no price cached."""
    _clear_prices(database)
    data = encode_inventory(demo)
    with database.session() as session:
        account = connect_account(session, azure_settings, name="Demo")
        session.add(
            Snapshot(
                account_id=account.id,
                content_hash=hashlib.sha256(data).hexdigest(),
                data=data,
                resource_count=len(demo),
            )
        )
        account_id = account.id
    yield account_id
    with database.session() as session:
        session.execute(delete(AzureAccount).where(AzureAccount.id == account_id))
    _clear_prices(database)


def _count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(CachedPrice)) or 0)


def test_refresh_looks_up_only_the_skus_found_and_replaces(
    database, azure_settings, simulator, with_snapshot, demo
):
    simulator.reset_requests()
    with database.session() as session:
        done = cost_service.refresh_prices(session, settings=azure_settings)
    assert done.error is None and done.meters > 0
    lookups = [r for r in simulator.requests if r.route == "prices"]
    assert len(lookups) == done.requests == done.lookups  # one page per filtered lookup
    assert all("filter" in r.query and "currencyCode=USD" in r.query for r in lookups)
    assert done.lookups < len(charges_of(demo.resources.values()))  # SKUs batched per query
    stored = _count(database)
    with database.session() as session:
        cost_service.refresh_prices(session, settings=azure_settings)
    assert _count(database) == stored  # replaced, not duplicated
    with database.session() as session:
        table = cost_service.price_table(session, currency="USD", regions=demo.locations())
        lines = price_resources(demo.resources.values(), table)
    statuses = {line.status for line in lines}
    assert statuses >= {"priced", "usage-based"}
    vm = next(line for line in lines if line.resource.arm_type.endswith("/virtualmachines"))
    assert vm.status == "priced" and vm.cost > 0


def test_an_outage_keeps_the_cached_prices(database, azure_settings, simulator, with_snapshot):
    with database.session() as session:
        cost_service.refresh_prices(session, settings=azure_settings)
    stored = _count(database)
    simulator.inject_fault("prices", status=503, count=1000)
    try:
        with database.session() as session:
            done = cost_service.refresh_prices(session, settings=azure_settings)
    finally:
        simulator.clear_faults()
    assert done.error is not None and "503" in done.error
    assert _count(database) == stored


def test_the_scheduler_refreshes_once_a_day(database, azure_settings, with_snapshot):
    tasks._last_price_attempt.clear()
    assert tasks.refresh_prices_if_due(database, azure_settings) is True
    assert _count(database) > 0
    tasks._last_price_attempt.clear()
    assert tasks.refresh_prices_if_due(database, azure_settings) is False  # fresh: not due
    off = azure_settings.model_copy(update={"prices_refresh_interval": "0"})
    assert tasks.refresh_prices_if_due(database, off) is False


def test_the_viewer_layer_totals_groups_top_and_advisor_savings(
    database, azure_settings, with_snapshot, demo
):
    from cloudcanvas.azure.advisor import Saving

    vm = next(r for r in demo.resources.values() if r.arm_type.endswith("/virtualmachines"))
    saving = Saving(vm.id, "Right-size", "Resize", 35.0, "USD", "resize to Standard_B2s")
    with database.session() as session:
        budget = cost_service.budget(
            session, settings=azure_settings, resources=list(demo.resources.values())
        )
    layer: dict[str, Any] = cost_service.layer_of(
        budget, savings={vm.key: saving, "/not/in/view": saving}
    )
    assert layer["total"] == pytest.approx(sum(layer["costs"].values()), abs=0.5)
    for totals in layer["groups"].values():
        assert sum(totals.values()) == pytest.approx(layer["total"], abs=0.5)
    top = layer["top"]
    assert len(top) == 10 and top[0]["cost"] >= top[-1]["cost"] > 0
    assert [s["key"] for s in layer["savings"]] == [vm.key]  # only what the view holds
    assert layer["savings"][0]["monthly"] == 35.0 and layer["pricesAsOf"]
