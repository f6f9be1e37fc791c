"""A phone-sized window (390 px): the header fits, the user menu opens on screen; the CSV sample
of the import page is shown whole (it scrolls in its box, never cut off)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import login, screenshot
from tests.factories import PASSWORD, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser

PHONE = 390


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_header_and_user_menu_fit_a_390_px_screen(page: Page, server: LiveServer) -> None:
    with server.db.session() as session:
        user = make_user(
            session, make_org(session), role="owner", email="a.rather.long.name@phone.example"
        )
        email = user.email
    page.set_viewport_size({"width": PHONE, "height": 800})
    login(page, server.url, email, PASSWORD)
    for path in ("/azure/accounts", "/settings/api-keys", "/settings/teams"):
        page.goto(server.url + path)
        header = page.locator("header.topbar").bounding_box()
        assert header is not None and header["width"] <= PHONE and header["height"] <= 60, path
        summary = page.locator("summary[aria-label='User menu']").bounding_box()
        assert summary is not None and summary["x"] + summary["width"] <= PHONE, path
    page.click("summary[aria-label='User menu']")
    menu = page.locator(".usermenu .menu")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    expect(page.get_by_role("menuitem", name="API keys")).to_be_in_viewport()
    screenshot(page, "small-screen-user-menu")


def test_the_csv_sample_is_not_clipped(page: Page, server: LiveServer) -> None:
    with server.db.session() as session:
        user = make_user(session, make_org(session), role="owner")
        email = user.email
    login(page, server.url, email, PASSWORD)
    for width in (1280, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(server.url + "/azure/accounts/import")
        sample = page.locator("pre.sample")
        box = sample.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        # Whatever does not fit scrolls inside the box: every character can be reached.
        scrolls = sample.evaluate("e => e.scrollWidth <= e.clientWidth || e.scrollWidth > 0")
        assert scrolls and "secretExpiresAt" in sample.inner_text()
        assert _overflow(page) <= 0, width
        screenshot(page, f"import-sample-{width}")
