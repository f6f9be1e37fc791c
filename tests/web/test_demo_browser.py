"""A new user: runs `cloudcanvas demo`, logs in with what it printed, opens the diagram, and walks
the Add Azure Account wizard with the second principal it printed."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser import screenshot
from tests.live import free_socket

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def running_demo(data_dir: Path) -> Iterator[dict[str, str]]:
    """`cloudcanvas demo` on a free port with this data directory, and what it printed."""
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    env |= {"CLOUDCANVAS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "demo", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        printed = _printed(process)
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
            "secret_id": value("Client secret ID").rstrip(","),
        }
    finally:
        process.terminate()
        process.wait(timeout=20)


def _printed(process: subprocess.Popen[str]) -> str:
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("cloudcanvas demo stopped:\n" + "".join(lines))
        lines.append(line)
        if "Press Ctrl-C" in line:
            break
    return "".join(lines)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[dict[str, str]]:
    with running_demo(tmp_path / ".cloudcanvas") as printed:
        yield printed


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
    page.fill("#applicationId", demo["app"])
    page.fill("#directoryId", demo["tenant"])
    page.locator(".step[data-step='1'] [data-next]").click()
    page.fill("#clientSecret", demo["secret_id"])  # the secret's ID, as the README suggests
    page.locator(".step[data-step='2'] [data-next]").click()
    expect(page.locator("#err-clientSecret")).to_contain_text("You pasted the secret's ID")
    page.fill("#clientSecret", demo["secret"])
    page.locator(".step[data-step='2'] [data-next]").click()
    expect(page.locator(".step[data-step='3']")).to_have_class("step active")
    page.locator(".step[data-step='3'] [data-next]").click()
    expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    page.fill("#name", "Production via the wizard")
    page.click("text=Save Account")
    # The second principal also reads Production, which the demo connected: the wizard says so.
    expect(page.locator("[data-testid=duplicate-warning]")).to_contain_text("already connected")
    page.check("input[name=allowDuplicate]")
    page.fill("#clientSecret", demo["secret"])  # never sent back to the browser: typed again
    page.click("text=Save Account")
    expect(page.locator(".alert.success")).to_contain_text("connected")
    expect(page.locator("table.accounts tbody tr")).to_have_count(2)
    assert demo["secret"] not in page.content()


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
