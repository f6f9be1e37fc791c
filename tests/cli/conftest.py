from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import free_socket

CLI = [sys.executable, "-m", "cloudcanvas.cli"]


def run_cli(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    if stdin is None:  # never inherit the runner's stdin: `user create` would wait on it
        return subprocess.run(
            [*CLI, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
    return subprocess.run(
        [*CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    env["CLOUDCANVAS_DATA_DIR"] = str(tmp_path / "data")
    if os.environ.get("CLOUDCANVAS_TEST_BACKEND") == "postgresql":
        env["CLOUDCANVAS_DATABASE_URL"] = os.environ["CLOUDCANVAS_TEST_DATABASE_URL"]
    return env


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    def call(
        *args: str, stdin: str | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = run_cli(cli_env, *args, stdin=stdin)
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    return call


@pytest.fixture
def served(cli_env: dict[str, str]) -> Iterator[str]:
    """``cloudcanvas serve`` in a subprocess on a free port; yields its base URL."""
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("cloudcanvas serve did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
