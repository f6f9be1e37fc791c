"""The viewer as a new user meets it (issue 16): the zoom label follows the view only, an unknown
type or region is named instead of an empty diagram, and the region picker's counts match the
footer's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.live import LiveServer
from tests.web.test_viewer_browser import Scanned, connect_and_scan, open_diagram

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scanned(server: LiveServer) -> Scanned:
    return connect_and_scan(server, "firsthour@example.com", "First hour")


def test_opening_the_details_panel_keeps_the_view_and_its_zoom_label(
    page: Page, server: LiveServer, scanned: Scanned
) -> None:
    open_diagram(page, server, scanned)
    label = page.locator("#cc-zoom-level")
    expect(label).to_have_text("100%")
    # Zoomed out, the resources lie under summary tiles (a click there zooms in): the click is
    # sent to the resource itself (pointer down and up), as when it is clicked at a closer zoom.
    resource = page.locator("#cc-diagram g.resource").first
    for kind in ("pointerdown", "pointerup"):
        resource.dispatch_event(kind, {"button": 0, "pointerId": 1, "isPrimary": True})
    expect(page.locator("#cc-panel")).to_be_visible()
    page.wait_for_timeout(600)  # the canvas narrows; the viewer commits the same view
    expect(label).to_have_text("100%")
    page.locator("[data-fit]").click()  # fitting the narrower canvas is a new view: 100% again
    expect(label).to_have_text("100%")


def test_an_unknown_type_in_the_filter_is_named_with_the_known_ones(
    page: Page, server: LiveServer, scanned: Scanned
) -> None:
    open_diagram(page, server, scanned)
    page.fill("#cc-filter", "  type=azurespaceship")
    page.press("#cc-filter", "Enter")
    error = page.locator("#cc-error")
    expect(error).to_contain_text("no resource type named 'azurespaceship' (position 3)")
    expect(error).to_contain_text("azurenic")
    expect(page.locator("#cc-filter")).to_have_attribute("aria-invalid", "true")
    page.fill("#cc-filter", "type=")
    page.press("#cc-filter", "Enter")
    expect(error).to_contain_text("a value is missing after 'type=' at position 1")
    page.fill("#cc-filter", "web type=")
    page.press("#cc-filter", "Enter")
    expect(error).to_contain_text("at position 5")


def test_an_unknown_region_says_which_are_known(
    page: Page, server: LiveServer, scanned: Scanned
) -> None:
    open_diagram(page, server, scanned)
    response = page.request.get(
        f"{server.url}/azure/accounts/{scanned.account_id}/diagram.svg?location=southpole"
    )
    assert response.status == 404
    body = response.json()
    assert body["error"].startswith("no such region in this account: 'southpole'; known are ")
    assert set(body["known"]) == set(scanned.locations)


def test_the_region_picker_and_the_footer_count_alike(
    page: Page, server: LiveServer, scanned: Scanned
) -> None:
    open_diagram(page, server, scanned)
    footer = page.locator("[data-testid=shown-count]")
    options = page.locator("#cc-location option")
    for index in range(min(options.count(), 3)):
        option = options.nth(index)
        wanted = int(re.search(r"\((\d+)\)", option.inner_text()).group(1))
        value = option.get_attribute("value") or ""
        page.select_option("#cc-location", value)
        expect(footer).to_contain_text(f"{wanted} resource")
