"""A browser turns the viewer's cost layer on: costs under the blocks, the budget panel with the
total, its price date, top resources and group totals; currency and period; off again. Without
any price (the price list down) it says so and the diagram stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.live import LiveServer
from tests.web.test_viewer_browser import Scanned, connect_and_scan, open_diagram

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scanned(server: LiveServer) -> Scanned:
    return connect_and_scan(server, "cost@example.com", "Costed")


def test_cost_layer_with_no_prices_says_so_and_keeps_the_diagram(
    page: Page, server, scanned, simulator
) -> None:
    simulator.inject_fault("prices", status=503, count=1000)
    try:
        open_diagram(page, server, scanned)
        before = page.locator("#cc-diagram g.resource").count()
        page.locator("#cc-cost-on").check()
        expect(page.locator("#cc-budget-error")).to_contain_text("CLOUDCANVAS_AZURE_PRICES_URL")
        assert page.locator(".cc-cost-label").count() == 0
        assert page.locator("#cc-diagram g.resource").count() == before
    finally:
        simulator.clear_faults()


def test_cost_layer_labels_blocks_and_fills_the_budget(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned)
    expect(page.locator("#cc-budget")).to_be_hidden()
    page.locator("#cc-cost-on").check()
    expect(page.locator("#cc-budget")).to_be_visible()
    expect(page.locator("#cc-budget-total")).to_contain_text("per month")
    expect(page.locator("#cc-budget-total")).to_contain_text("$")
    expect(page.locator("#cc-budget-source")).to_contain_text("Azure retail prices of")
    labels = page.locator("#cc-diagram .cc-cost-label")
    expect(labels.first).to_be_attached()
    assert labels.count() >= 5
    assert "$" in (labels.first.text_content() or "")
    banded = page.locator("#cc-diagram g.resource[data-cost-band]")
    assert banded.count() == labels.count()
    assert page.locator("#cc-budget-top li").count() >= 3
    assert "eastus" in page.locator("#cc-budget-groups").inner_text()
    page.locator("#cc-budget-group").select_option("resourceGroup")
    expect(page.locator("#cc-budget-groups li").first).to_be_attached()

    # Reader only: estimates, and how to grant the role for actual cost.
    expect(page.locator("#cc-budget-actual")).to_contain_text("Cost Management Reader")

    page.locator("#cc-cost-currency").select_option("EUR")
    expect(page.locator("#cc-budget-total")).to_contain_text("€")
    page.locator("#cc-cost-period").select_option("y")
    expect(page.locator("#cc-budget-total")).to_contain_text("per year")
    expect(labels.first).to_contain_text("€")

    page.locator("#cc-cost-on").uncheck()
    expect(page.locator("#cc-budget")).to_be_hidden()
    assert page.locator(".cc-cost-label").count() == 0


def test_cost_labels_follow_a_redrawn_diagram(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned)
    page.locator("#cc-cost-on").check()
    expect(page.locator("#cc-diagram .cc-cost-label").first).to_be_attached()
    page.locator("input[name=projection][value='2d']").check(force=True)
    page.wait_for_function(
        "() => document.getElementById('cc-diagram').getAttribute('data-projection') === '2d'"
    )
    expect(page.locator("#cc-diagram .cc-cost-label").first).to_be_attached()


def test_actual_cost_shows_with_cost_management_reader(
    page: Page, server, scanned, simulator
) -> None:
    from tests.azure_env import READER

    simulator.grant_role(READER.object_id, "/", "Cost Management Reader")
    try:
        open_diagram(page, server, scanned)
        page.locator("#cc-cost-on").check()
        expect(page.locator("#cc-budget-actual")).to_contain_text(
            "Actual cost, last 30 days (Cost Management)"
        )
        expect(page.locator("#cc-budget-top li").first).to_contain_text("actual")
    finally:
        simulator.revoke_role(READER.object_id, "/")


def test_the_wizards_permission_step_says_whether_cost_can_be_read(
    page: Page, server, simulator
) -> None:
    from tests.azure_env import PRODUCTION, TENANT, WIZARD
    from tests.browser import login
    from tests.factories import PASSWORD, make_org, make_user

    with server.db.session() as s:
        make_user(s, make_org(s, plan="pro"), role="owner", email="wizard-cost@example.com")

    def walk_to_step_4() -> None:
        page.goto(server.url + "/azure/accounts/new")
        page.fill("#applicationId", WIZARD.app_id)
        page.fill("#directoryId", TENANT)
        page.locator(".step[data-step='1'] [data-next]").click()
        page.fill("#clientSecret", WIZARD.secret)
        page.locator(".step[data-step='2'] [data-next]").click()
        page.select_option("#subscriptionId", PRODUCTION)
        page.locator(".step[data-step='3'] [data-next]").click()
        expect(page.locator(".step[data-step='4']")).to_have_class("step active")

    login(page, server.url, "wizard-cost@example.com", PASSWORD)
    walk_to_step_4()
    note = page.locator(".step[data-step='4'] .cost-reading")
    expect(note).to_contain_text("Actual cost is not available")
    expect(note).to_contain_text('--role "Cost Management Reader"')
    simulator.grant_role(WIZARD.object_id, "/", "Cost Management Reader")
    try:
        walk_to_step_4()
        expect(note).to_contain_text("The app can read actual cost")
    finally:
        simulator.revoke_role(WIZARD.object_id, "/")


def test_the_export_menu_downloads_with_cost(page: Page, server, scanned, tmp_path) -> None:
    """ "With cost" follows the Cost toggle; the download draws the layer in the chosen currency
    and period (an SVG with its budget panel, a JSON with cost per resource); unticked, none."""
    from pathlib import Path

    open_diagram(page, server, scanned)
    page.locator("#cc-cost-on").check()
    page.locator("#cc-cost-currency").select_option("GBP")
    page.locator("#cc-cost-period").select_option("d")
    page.click("#cc-export summary")
    expect(page.locator("#cc-export-cost")).to_be_checked()
    with page.expect_download() as info:
        page.click("a[data-format=svg]")
    svg = Path(info.value.path()).read_text()
    assert 'class="cost-panel"' in svg and "Estimated cost per day (GBP)" in svg
    assert 'data-currency="GBP"' in svg and "£" in svg
    page.click("#cc-export summary")
    with page.expect_download() as info:
        page.click("a[data-format=json]")
    import json

    data = json.loads(Path(info.value.path()).read_text())["data"]
    assert data["cost"]["currency"] == "GBP" and data["cost"]["period"] == "d"
    assert any(n["cost"]["status"] == "priced" for n in data["nodes"])
    page.click("#cc-export summary")
    page.locator("#cc-export-cost").uncheck()
    with page.expect_download() as info:
        page.click("a[data-format=svg]")
    assert "cost-layer" not in Path(info.value.path()).read_text()
    assert page.locator("#cc-diagram g.resource").count() > 0  # the view itself unchanged


def test_the_export_menu_downloads_with_a_legend(page: Page, server, scanned) -> None:
    """ "With legend" adds legend=true to the download: the SVG holds the legend; unticked, not."""
    from pathlib import Path

    open_diagram(page, server, scanned)
    page.click("#cc-export summary")
    page.locator("#cc-export-legend").check()
    with page.expect_download() as info:
        page.click("a[data-format=svg]")
    svg = Path(info.value.path()).read_text()
    assert 'class="legend"' in svg and "data-component=" in svg
    page.click("#cc-export summary")
    page.locator("#cc-export-legend").uncheck()
    with page.expect_download() as info:
        page.click("a[data-format=svg]")
    assert 'class="legend"' not in Path(info.value.path()).read_text()
