"""The wizard as a new user meets it (issue 16): step 1 names every bad field at once, and the
secret's expiry is never a guess."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.azure_env import TENANT, WIZARD
from tests.browser import login, screenshot
from tests.factories import PASSWORD, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def _open_wizard(page: Page, server: LiveServer) -> None:
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner")
        email = owner.email
    login(page, server.url, email, PASSWORD)
    page.goto(server.url + "/azure/accounts/new")


def test_step_one_shows_both_fields_errors_together(page: Page, server: LiveServer) -> None:
    _open_wizard(page, server)
    page.fill("#applicationId", "my-app")
    page.fill("#directoryId", "not a tenant!")
    page.locator(".step[data-step='1'] [data-next]").click()
    expect(page.locator("#err-directoryId")).to_contain_text("Directory (tenant) ID")
    expect(page.locator("#err-applicationId")).to_contain_text("Application (client) ID")
    expect(page.locator("#err-applicationId")).to_contain_text("GUID")
    expect(page.locator("#applicationId")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#directoryId")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "wizard-step1-errors")
    # fixing one leaves only the other
    page.fill("#directoryId", TENANT)
    page.locator(".step[data-step='1'] [data-next]").click()
    expect(page.locator("#err-applicationId")).to_contain_text("GUID")
    expect(page.locator("#err-directoryId")).to_be_hidden()
    page.fill("#applicationId", WIZARD.app_id)
    page.locator(".step[data-step='1'] [data-next]").click()
    expect(page.locator(".step[data-step='2']")).to_have_class("step active")


def test_the_secret_expiry_is_empty_and_optional(page: Page, server: LiveServer) -> None:
    _open_wizard(page, server)
    page.fill("#applicationId", WIZARD.app_id)
    page.fill("#directoryId", TENANT)
    page.locator(".step[data-step='1'] [data-next]").click()
    expect(page.locator(".step[data-step='2']")).to_have_class("step active")
    expect(page.locator("#secretExpiresAt")).to_have_value("")
    expect(page.locator("label[for=secretExpiresAt]")).to_contain_text("optional")
    expect(page.locator("[data-expiry-source]")).to_contain_text("Certificates & secrets")
