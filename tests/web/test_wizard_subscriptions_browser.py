"""The wizard's subscription checklist (issue 13): an account over several subscriptions, checked
across all of them against the simulated Azure, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.store.models import AzureAccount
from tests.azure_env import DEVELOPMENT, LEGACY, PRODUCTION, TENANT, WIZARD
from tests.browser import login
from tests.factories import PASSWORD, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def test_checklist_adds_subscriptions_and_names_a_refused_one(
    page: Page, server: LiveServer
) -> None:
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email="owner@checklist.example")
        email = owner.email
    for _ in range(20):
        login(page, server.url, email, PASSWORD)
        page.goto(server.url + "/azure/accounts/new")
        if "/login" not in page.url:
            break
    page.fill("#applicationId", WIZARD.app_id)
    page.fill("#directoryId", TENANT)
    page.locator(".step[data-step='1'] [data-next]").click()
    page.fill("#clientSecret", WIZARD.secret)
    page.locator(".step[data-step='2'] [data-next]").click()
    checklist = page.locator("#also-subscriptions input[name=subscriptionIds]")
    expect(checklist).to_have_count(3)  # every subscription the app sees
    page.select_option("#subscriptionId", DEVELOPMENT)
    page.check(f"#also-subscriptions input[value='{LEGACY}']")
    page.locator(".step[data-step='3'] [data-next]").click()
    expect(page.locator("#err-subscriptionIds")).to_contain_text(LEGACY)
    expect(page.locator("#err-subscriptionIds")).to_contain_text("Disabled")
    page.uncheck(f"#also-subscriptions input[value='{LEGACY}']")
    page.check(f"#also-subscriptions input[value='{PRODUCTION}']")
    page.locator(".step[data-step='3'] [data-next]").click()
    expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    page.fill("#name", "Dev and Prod")
    page.click("text=Save Account")
    expect(page.locator(".alert.success")).to_contain_text("“Dev and Prod” connected")
    with server.db.session() as s:
        account = s.query(AzureAccount).filter_by(name="Dev and Prod").one()
        assert account.subscription_id == DEVELOPMENT.lower()
        assert account.subscription_ids == [DEVELOPMENT.lower(), PRODUCTION.lower()]
        assert account.scope == ""
