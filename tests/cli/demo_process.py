"""`cloudcanvas demo` as a newcomer runs it: a process on a free port, and what it printed."""

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

from tests.live import free_socket


@contextlib.contextmanager
def running_demo(
    data_dir: Path, *options: str, extra_env: dict[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """`cloudcanvas demo` on a free port with this data directory, and what it printed."""
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    env |= {"CLOUDCANVAS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "demo", "--port", str(port), *options],
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
            "subscription": value("Subscriptions"),
            "support": value("Support link in error messages"),
            "printed": printed,
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
