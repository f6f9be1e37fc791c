"""The whole estate in the viewer: one account over a tenant of six subscriptions (read through
its management group from the simulated Azure), grouped by subscription, in isometric and in 2D.
Every subscription is a labelled group, and the hub's peerings reach the other subscriptions. A
larger tenant, fitted, is the semantic-zoom overview: a summary tile per group. The screenshots are
those of docs/diagrams.md; each viewport is shaped like its drawing, so that the fit is as large as
a wide screen allows."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.jobs import scan_job
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.estate import generate_estate
from cloudcanvas.simulator.graph import container_rows, resource_rows
from cloudcanvas.store.models import AzureAccount, User
from tests.azure_env import settings_for
from tests.browser import login, screenshot
from tests.factories import PASSWORD, actor, add_snapshot, make_org, make_user
from tests.live import LiveServer, start_live_server

pytestmark = pytest.mark.browser

ESTATE = generate_estate(6, workloads=2, seed=3)
SCOPE = "/providers/Microsoft.Management/managementGroups/mg-contoso"
EMAIL = "tenant@example.com"

# The peerings whose two ends lie in different subscriptions: (from, to) subscription ids, read
# from the ARM ids the drawing carries on each end.
PEERINGS_ACROSS = """() => {
  const sub = (id) => {
    const el = document.getElementById(id);
    const key = el ? (el.dataset.key || '') : '';
    const m = key.match(/\\/subscriptions\\/([^/]+)/i);
    return m ? m[1].toLowerCase() : null;
  };
  return [...document.querySelectorAll('#cc-diagram [data-kind=peering]')]
    .map(e => [sub(e.dataset.from), sub(e.dataset.to)])
    .filter(([a, b]) => a && b && a !== b);
}"""

# The subscription groups' labels on screen (the viewer draws group labels in a layer of their
# own): their text and height in pixels, for those drawn and not hidden.
SUBSCRIPTION_LABELS = """() => [...document.querySelectorAll(
    '#cc-group-labels text[data-kind=subscription]')].map(text => {
  const box = text.getBoundingClientRect();
  const shown = getComputedStyle(text).display !== 'none' && box.width > 0;
  return shown ? [text.textContent, box.height] : null;
}).filter(Boolean)"""


# The tiles' texts on screen (drawn for the tiles in view that are large enough to read).
TILE_TEXT = """() => [...document.querySelectorAll('#cc-tile-text text')]
  .filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent)"""

# For each subscription plate's outline: whether every side is horizontal or vertical.
PLATES_SQUARE = """() => [...document.querySelectorAll(
    '#cc-diagram g.group[data-kind=subscription] > polygon')].map(p => {
  const pts = p.getAttribute('points').trim().split(/\\s+/).map(xy => xy.split(',').map(Number));
  return pts.every(([x, y], i) => {
    const [nx, ny] = pts[(i + 1) % pts.length];
    return x === nx || y === ny;
  });
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """cloudcanvas whose Azure is a simulated tenant of six subscriptions."""
    with Simulator(Environment.from_dict(ESTATE.to_dict())) as sim:
        live = start_live_server(tmp_path_factory.mktemp("tenant"), **settings_for(sim))
        try:
            yield live
        finally:
            live.stop()


@pytest.fixture(scope="module")
def tenant_account(server: LiveServer) -> str:
    """An account over the management group, connected and scanned; its id."""
    azure = account_service.AzureContext.from_settings(server.settings)
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=EMAIL)
        account = _connect(s, server, owner.id, "Contoso tenant")
        scan, _ = inventory_service.start_scan(s, account=account, actor=None)
        account_id, scan_id = account.id, scan.id
    scan_job.run_scan(server.db, azure, scan_id)  # the job itself, run here to its end
    with server.db.session() as s:
        done = inventory_repository.get_scan(s, scan_id)
        assert done is not None and not done.active, "the scan did not finish"
        assert not done.failures and done.snapshot_id, done.failures
    return account_id


def _connect(s: Session, server: LiveServer, owner_id: str, name: str) -> AzureAccount:
    """An account over the tenant's management group, checked against the simulated Azure."""
    reader = ESTATE.principals[0]
    owner = s.get(User, owner_id)
    assert owner is not None
    data = AccountCreate.model_validate(
        {
            "name": name,
            "scope": SCOPE,
            "directoryId": reader.tenant_id,
            "applicationId": reader.app_id,
            "clientSecret": reader.secret,
        }
    )
    azure = account_service.AzureContext.from_settings(server.settings)
    return account_service.create_account(s, actor=actor(s, owner), data=data, azure=azure)


def _drawn(page: Page) -> None:
    expect(page.locator("#cc-loading")).to_be_hidden(timeout=30_000)
    page.wait_for_timeout(400)  # the view rests: labels shown for the level of detail


def _check_tenant_drawing(page: Page, projection: str) -> None:
    """What a reader of the overview checks: every subscription a labelled group, and the hub's
    peerings drawn across subscriptions to every other one."""
    expect(page.locator("#cc-diagram")).to_have_attribute("data-projection", projection)
    names = {s.display_name for s in ESTATE.subscriptions}
    groups = page.locator("#cc-diagram g.group[data-kind=subscription]")
    expect(groups).to_have_count(len(names))
    labels = page.evaluate(SUBSCRIPTION_LABELS)
    assert {text for text, _ in labels} == names
    assert min(height for _, height in labels) >= 10  # readable, however far out the fit is
    hub = ESTATE.subscriptions[0].subscription_id.lower()  # Connectivity
    across = page.evaluate(PEERINGS_ACROSS)
    reached = {b if a == hub else a for a, b in across}
    assert all(hub in pair for pair in across)
    assert reached == {s.subscription_id.lower() for s in ESTATE.subscriptions[1:]}
    for kind in ("private-link", "hub-connection"):
        assert page.locator(f"#cc-diagram [data-kind={kind}]").count() > 0, kind


def test_a_tenant_grouped_by_subscription_in_isometric_and_2d(
    page: Page, server: LiveServer, tenant_account: str
) -> None:
    page.set_viewport_size({"width": 2400, "height": 1300})
    login(page, server.url, EMAIL, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{tenant_account}/diagram")
    _drawn(page)
    # The header names what the account covers, not the first subscription alone.
    expect(page.locator(".cc-sub")).to_contain_text("Management group mg-contoso")
    page.select_option("#cc-group", "subscription,infrastructure")
    expect(page.locator("#cc-diagram g.group[data-kind=subscription]").first).to_be_attached()
    _drawn(page)
    assert "groupBy=subscription%2Cinfrastructure" in page.url  # the view can be shared
    _check_tenant_drawing(page, "isometric")
    assert set(page.evaluate(PLATES_SQUARE)) == {False}  # rhombi seen at an angle
    screenshot(page, "tenant-overview-isometric")

    page.set_viewport_size({"width": 1600, "height": 1700})
    page.click("label:has(input[name=projection][value='2d'])")
    _drawn(page)
    page.click("button[data-fit]")
    _drawn(page)
    _check_tenant_drawing(page, "2d")
    assert set(page.evaluate(PLATES_SQUARE)) == {True}  # rectangles seen from above
    screenshot(page, "tenant-overview-2d")


LARGE = generate_estate(24, workloads=2, seed=5)
LARGE_EMAIL = "large-tenant@example.com"


@pytest.fixture(scope="module")
def large_tenant(server: LiveServer) -> str:
    """An account over the management group whose latest snapshot is a tenant of 24 subscriptions
    (larger than the simulated one, stored as the large-estate tests store theirs); its id."""
    inventory = build_inventory(resource_rows(LARGE), container_rows(LARGE))
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=LARGE_EMAIL)
        account = _connect(s, server, owner.id, "Contoso, 24 subscriptions")
        add_snapshot(s, account.id, inventory, "tenant")
        return account.id


def test_a_large_tenant_fitted_is_an_overview_of_summary_tiles(
    page: Page, server: LiveServer, large_tenant: str
) -> None:
    """Two dozen subscriptions: fitted, the blocks would be dots; each group is a summary tile."""
    page.set_viewport_size({"width": 1800, "height": 1500})
    login(page, server.url, LARGE_EMAIL, PASSWORD)
    view = "groupBy=subscription,infrastructure&projection=2d"
    page.goto(f"{server.url}/azure/accounts/{large_tenant}/diagram?{view}")
    _drawn(page)
    expect(page.locator("#cc-viewer")).to_have_attribute("data-lod", "overview")
    subscriptions = page.locator("#cc-diagram g.group[data-kind=subscription]")
    expect(subscriptions).to_have_count(len(LARGE.subscriptions))
    # Fitted, each subscription's plate is named on screen, large enough to read (its own label
    # would be under 4 px): a map of the tenant, not a field of unnamed plates.
    labels = page.evaluate(SUBSCRIPTION_LABELS)
    assert {text for text, _ in labels} == {s.display_name for s in LARGE.subscriptions}
    assert min(height for _, height in labels) >= 10
    expect(page.locator("#cc-diagram .tile").first).to_be_visible()
    # Every resource drawn as a block is counted in exactly one tile.
    counted = page.evaluate(
        "() => [...document.querySelectorAll('#cc-diagram .tile')]"
        ".reduce((sum, t) => sum + Number(t.dataset.count), 0)"
    )
    assert counted == page.locator("#cc-diagram g.resource").count()
    # The tiles large enough to read say what they hold.
    shown = page.evaluate(TILE_TEXT)
    assert any(re.search(r"^vnet-.*\d+ resources\d+ network", text) for text in shown)
    screenshot(page, "tenant-overview-tiles")
