"""A browser scans an account from its scan page: Scan now, progress, the result, counts per region
and type, failures with their impact when Azure fails, what changed, and an expired secret."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.codec import decode_inventory, encode_inventory, location_index
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import Snapshot
from tests.browser import login, screenshot
from tests.factories import PASSWORD, connect_account, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def connect(server: LiveServer, email: str, name: str = "Production") -> str:
    """An owner and an account connected through the service, not scanned yet."""
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=email)
        return connect_account(s, server.settings, owner, name=name).id


def scan_now(page: Page, click: bool = True) -> None:
    if click:
        page.click("#scan-now")
    expect(page.locator("#scan-live")).to_have_attribute(
        "data-status", re.compile("succeeded|partial|failed"), timeout=60_000
    )


def test_scan_now_shows_progress_result_counts_and_changes(page: Page, server, simulator) -> None:
    account_id = connect(server, "scanner@example.com")
    login(page, server.url, "scanner@example.com", PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/scans")
    expect(page.locator("#scan-live")).to_contain_text("not been scanned yet")
    simulator.inject_fault("resourcegraph", status=429, retry_after=2.0, count=1)  # a slow scan
    try:
        page.click("#scan-now")
        expect(page.locator("#scan-live")).to_have_attribute(
            "data-status", re.compile("queued|running")
        )
        expect(page.locator("#scan-live .cc-progress")).to_be_visible()
        for stat in ("pages", "resources", "requests", "elapsed"):
            expect(page.locator(f"#scan-live [data-stat={stat}]")).to_be_visible()
        scan_now(page, click=False)
    finally:
        simulator.clear_faults()
    live = page.locator("#scan-live")
    expect(live.locator("[data-testid=scan-status]")).to_have_text("succeeded")
    resources = int(live.locator("[data-stat=resources]").inner_text())
    assert resources > 10
    assert int(live.locator("[data-stat=requests]").inner_text()) >= 2
    regions = page.locator("#region-counts tbody tr")
    assert regions.count() >= 1
    assert "eastus" in page.locator("#region-counts").inner_text()
    assert sum(int(n) for n in page.locator("#region-counts td.num").all_inner_texts()) == resources
    assert "microsoft.network/virtualnetworks" in page.locator("#type-counts").inner_text()
    expect(page.locator("#changes")).to_contain_text("First snapshot")
    expect(page.locator("#scan-history tbody tr")).to_have_count(1)

    # A later snapshot in which one resource went away and another was retagged.
    with server.db.session() as s:
        account = account_repository.get(s, account_id)
        latest = inventory_service.latest_snapshot(s, account)
        inventory = decode_inventory(latest.data)  # a copy of its own, not the shared cache's
        keys = sorted(k for k, r in inventory.resources.items() if r.component == "azurensg")
        gone = inventory.resources.pop(keys[0])
        retagged = inventory.resources[keys[1]]
        tags = retagged.tags | {"owner": "<team-b>"}
        inventory.resources[keys[1]] = replace(retagged, tags=tags)
        data = encode_inventory(inventory)
        s.add(
            Snapshot(
                account_id=account_id,
                created_at=utcnow(),
                resource_count=len(inventory),
                location_index=location_index(inventory),
                type_counts=inventory.counts_by_type(),
                content_hash="changed-" + latest.content_hash[:40],
                data=data,
            )
        )
    page.reload()
    changes = page.locator("#changes")
    expect(changes.locator("[data-count=removed]")).to_have_text("1 removed")
    expect(changes.locator("[data-count=changed]")).to_contain_text("changed")
    assert gone.name in changes.locator("#changes-removed").inner_text()
    changed = changes.locator("#changes-changed").inner_text()
    assert retagged.name in changed and "owner=<team-b>" in changed and "tags" in changed
    screenshot(page, "scan-page")
    page.click("text=All changes")
    expect(page).to_have_url(re.compile("/changes$"))
    assert gone.name in page.locator("#changes-removed").inner_text()


def test_failures_are_listed_with_their_impact(page: Page, server, simulator) -> None:
    account_id = connect(server, "faults@example.com", "Flaky")
    login(page, server.url, "faults@example.com", PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/scans")
    simulator.inject_fault("resourcegraph", status=503, count=200)
    try:
        scan_now(page)
    finally:
        simulator.clear_faults()
    live = page.locator("#scan-live")
    expect(live.locator("[data-testid=scan-status]")).to_have_text(re.compile("failed|partial"))
    failures = live.locator(".cc-failures li")
    assert failures.count() >= 1
    text = failures.first.inner_text()
    assert "503" in text and "Impact:" in text and "missing from the diagram" in text
    screenshot(page, "scan-failures")
    page.goto(f"{server.url}/azure/accounts/{account_id}/diagram")
    expect(page.locator("#scan-now")).to_be_visible()  # no diagram yet: scan it
    expect(page.locator(".cc-empty")).to_contain_text("No diagram yet")


def test_an_expired_secret_blocks_the_scan_and_links_to_edit(page: Page, server) -> None:
    account_id = connect(server, "expired@example.com", "Expired")
    with server.db.session() as s:
        account = account_repository.get(s, account_id)
        account.status = "secret_expired"
        account.status_message = "The client secret expired on 2024-01-01; save a new one."
    login(page, server.url, "expired@example.com", PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/scans")
    page.click("#scan-now")
    error = page.locator("#scan-error")
    expect(error).to_contain_text("The client secret expired on 2024-01-01")
    link = error.locator("a", has_text="Save a new client secret")
    assert link.get_attribute("href") == f"/azure/accounts/{account_id}/edit"


def test_the_diagram_page_scans_when_there_is_no_snapshot(page: Page, server) -> None:
    account_id = connect(server, "first@example.com", "First")
    login(page, server.url, "first@example.com", PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/diagram")
    page.click("#scan-now")
    expect(page.locator("#cc-diagram g.resource").first).to_be_attached(timeout=60_000)
    assert page.url == f"{server.url}/azure/accounts/{account_id}/diagram"
