"""`cloudcanvas simulator`: runs in the foreground and prints what a newcomer needs to connect."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from cloudcanvas.simulator import Environment
from cloudcanvas.simulator import sample as ids

RUNNER = (
    "import typer; from cloudcanvas.cli.simulator import simulator; "
    "app = typer.Typer(); app.command()(simulator); app()"
)


def run_until_ready(*args: str) -> str:
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=20)
    assert process.returncode == 0, rest
    return "".join(lines) + rest


def test_prints_url_ca_bundle_and_principals(tmp_path: Path) -> None:
    output = run_until_ready("--cert-dir", str(tmp_path))
    assert "https://127.0.0.1:" in output
    assert str(tmp_path / "ca.pem") in output
    assert ids.WIZARD_APP_ID in output and ids.WIZARD_SECRET in output
    assert f"{ids.LEGACY_ID} (Legacy, Disabled)" in output
    assert "stopped" in output


def test_serves_an_environment_file(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    env = Environment.sample()
    env.resources = env.resources[:3]
    env.to_file(path)
    assert "3 in 3 subscriptions" in run_until_ready(
        "--env", str(path), "--cert-dir", str(tmp_path)
    )


def test_generates_an_environment(tmp_path: Path) -> None:
    assert "250 in 2 subscriptions" in run_until_ready(
        "--generate", "250", "--cert-dir", str(tmp_path)
    )
