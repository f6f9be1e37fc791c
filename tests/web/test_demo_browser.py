"""A new user: runs `cloudcanvas demo`, logs in with what it printed, opens the diagram, and walks
the Add Azure Account wizard with the second principal it printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import screenshot, walk_wizard
from tests.live import free_socket

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(tmp_path) -> Iterator[dict[str, str]]:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    env |= {"CLOUDCANVAS_DATA_DIR": str(tmp_path / ".cloudcanvas"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "demo", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise AssertionError("cloudcanvas demo stopped:\n" + "".join(lines))
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        printed = "".join(lines)
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)

        def value(label: str) -> str:
            match = re.search(rf"{re.escape(label)}:\s+(\S+)", printed)
            assert match, f"the demo did not print {label!r}:\n{printed}"
            return match.group(1)

        yield {
            "url": url,
            "login": value("login"),
            "password": value("password"),
            "key": value("API key"),
            "tenant": value("Directory (tenant) ID"),
            "app": value("Application (client) ID"),
            "secret": value("Client secret value"),
        }
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_new_user_walks_the_demo(page: Page, demo: dict[str, str]) -> None:
    accounts = httpx.get(
        demo["url"] + "/api/azure/account", headers={"Authorization": f"Bearer {demo['key']}"}
    )
    assert accounts.status_code == 200 and accounts.json()["accounts"][0]["lastScannedAt"]

    page.goto(demo["url"])
    page.fill("input[name=email]", demo["login"])
    page.fill("input[name=password]", demo["password"])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Manage Azure accounts")

    page.get_by_role("link", name="Diagram").first.click()
    expect(page.locator("svg [data-key]").first).to_be_attached(timeout=30_000)
    assert page.locator("svg [data-key]").count() > 20
    screenshot(page, "demo-diagram")

    page.goto(demo["url"] + "/azure/accounts")
    page.click("text=Add Azure Account")
    walk_wizard(page, app_id=demo["app"], tenant=demo["tenant"], secret=demo["secret"], through=3)
    expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    page.fill("#name", "Production via the wizard")
    page.click("text=Save Account")
    expect(page.locator(".alert.success")).to_contain_text("connected")
    expect(page.locator("table.accounts tbody tr")).to_have_count(2)
    assert demo["secret"] not in page.content()
