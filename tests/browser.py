"""Playwright on Debian's Chromium (Playwright's own browser download cannot work here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def login(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def wizard_next(page: Page, step: int) -> None:
    """Press Next on a step of the Add Azure Account wizard."""
    page.locator(f".step[data-step='{step}'] [data-next]").click()


def walk_wizard(
    page: Page,
    *,
    app_id: str,
    tenant: str,
    secret: str = "",
    subscription: str | None = None,
    through: int,
) -> None:
    """Fill the open Add Azure Account wizard and press Next on its steps 1 to ``through``.

    Each later step must open before it is filled; step 3 keeps the subscription the page chose
    unless ``subscription`` names one.
    """
    page.fill("#applicationId", app_id)
    page.fill("#directoryId", tenant)
    wizard_next(page, 1)
    if through < 2:
        return
    expect(page.locator(".step[data-step='2']")).to_have_class("step active")
    page.fill("#clientSecret", secret)
    wizard_next(page, 2)
    if through < 3:
        return
    expect(page.locator(".step[data-step='3']")).to_have_class("step active")
    if subscription is not None:
        page.select_option("#subscriptionId", subscription)
    wizard_next(page, 3)


def drag(page: Page, x: float, y: float, dx: float, dy: float, steps: int = 10) -> None:
    """Press the mouse at (x, y), move it by (dx, dy) in ``steps`` moves, release it."""
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=steps)
    page.mouse.up()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
