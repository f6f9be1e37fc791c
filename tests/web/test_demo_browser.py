"""A new user walks the demo's story: runs `cloudcanvas demo`, logs in with what it printed, opens
the diagram, connects the second subscription through the Add Azure Account wizard with the second
principal it printed, watches its first scan, lets the simulated estate drift, scans again and
sees what changed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import screenshot, walk_wizard, wizard_next
from tests.cli.demo_process import running_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[dict[str, str]]:
    # Azure's latency, a little more, so that the progress of a scan shows; a drift step at most
    # every two seconds, so that a rescan a little later finds the estate changed.
    options = ("--latency", "0.5", "--drift-interval", "2")
    with running_demo(tmp_path / ".cloudcanvas", *options) as printed:
        yield printed


def _scan_finishes(page: Page) -> None:
    expect(page.locator("#scan-live [data-testid=scan-status]")).to_have_text(
        "succeeded", timeout=90_000
    )


def test_a_new_user_walks_the_demo_s_story(page: Page, demo: dict[str, str]) -> None:
    key = {"Authorization": f"Bearer {demo['key']}"}
    accounts = httpx.get(demo["url"] + "/api/azure/account", headers=key)
    assert accounts.status_code == 200 and accounts.json()["accounts"][0]["lastScannedAt"]
    assert "(Development, Enabled)" in demo["printed"]  # a subscription of its own, not Production
    assert demo["secret_id"] != demo["secret"]

    # The support link in every error is a real page: the troubleshooting page the demo serves.
    assert demo["support"] == demo["url"] + "/help/troubleshooting"
    missing = httpx.get(demo["url"] + "/no-such-page")
    assert f'href="{demo["support"]}"' in missing.text
    help_page = httpx.get(demo["support"])
    assert help_page.status_code == 200 and "# Troubleshooting" in help_page.text

    page.goto(demo["url"])
    page.fill("input[name=email]", demo["login"])
    page.fill("input[name=password]", demo["password"])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Manage Azure accounts")
    expect(page.locator("table.accounts tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Diagram").first.click()
    expect(page.locator("svg [data-key]").first).to_be_attached(timeout=30_000)
    assert page.locator("svg [data-key]").count() > 20
    screenshot(page, "demo-diagram")

    # Connect Development with the second principal the demo printed.
    page.goto(demo["url"] + "/azure/accounts")
    page.click("text=Add Azure Account")
    walk_wizard(
        page, app_id=demo["app"], tenant=demo["tenant"], secret=demo["secret_id"], through=2
    )
    expect(page.locator("#err-clientSecret")).to_contain_text("You pasted the secret's ID")
    page.fill("#clientSecret", demo["secret"])
    wizard_next(page, 2)
    expect(page.locator(".step[data-step='3']")).to_have_class("step active")
    expect(page.locator("#subscriptionId")).to_have_value(demo["subscription"])
    wizard_next(page, 3)
    expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    page.fill("#name", "Development")
    page.click("text=Save Account")
    expect(page.locator(".alert.success")).to_contain_text("first scan has started")
    expect(page.locator("[data-testid=duplicate-warning]")).to_have_count(0)
    expect(page.locator("table.accounts tbody tr")).to_have_count(2)
    assert demo["secret"] not in page.content()

    # Its first scan started on its own: its progress shows, then its result.
    row = page.locator("table.accounts tbody tr", has_text="Development")
    row.get_by_role("link", name="Scans").click()
    live = page.locator("#scan-live")
    expect(live).to_have_attribute("data-status", re.compile("queued|running"))
    expect(live.locator(".cc-progress")).to_be_visible()
    screenshot(page, "demo-first-scan-progress")
    _scan_finishes(page)
    page.reload()
    expect(page.locator("#changes")).to_contain_text("First snapshot")

    # The simulated estate drifts; Scan now, a little later, sees what changed.
    time.sleep(2.5)
    page.click("#scan-now")
    expect(live).to_have_attribute("data-status", re.compile("queued|running"))
    _scan_finishes(page)
    page.reload()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("From the snapshot of")
    added = int(changes.locator("[data-count=added]").inner_text().split()[0])
    changed = int(changes.locator("[data-count=changed]").inner_text().split()[0])
    assert added >= 1 and changed >= 1, changes.inner_text()
    expect(changes.locator("#changes-added")).to_contain_text("stdrift")
    screenshot(page, "demo-what-changed")


def test_the_demo_api_key_survives_a_restart_of_the_same_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / ".cloudcanvas"
    with running_demo(data_dir) as first:
        pass
    with running_demo(data_dir) as second:
        assert second["key"] == first["key"]
        assert second["password"] != first["password"]
        me = httpx.get(
            second["url"] + "/api/user/me", headers={"Authorization": f"Bearer {first['key']}"}
        )
        assert me.status_code == 200, me.text
