"""`cloudcanvas demo` and `make demo` as the README tells a newcomer to run them."""

from __future__ import annotations

import re
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from cloudcanvas.simulator import Environment
from tests.cli.demo_process import running_demo

ROOT = Path(__file__).resolve().parents[2]


def _make_demo(*args: str, env: dict[str, str] | None = None) -> str:
    """What `make demo` would run (`make -n` prints it, runs nothing)."""
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=True,
    )
    return next(line for line in done.stdout.splitlines() if "cloudcanvas demo" in line)


def test_make_demo_takes_the_port_from_the_command_line_or_the_environment() -> None:
    import os

    base = {k: v for k, v in os.environ.items() if k != "PORT"}
    assert _make_demo(env=base).endswith("demo --port 8000")
    assert _make_demo("PORT=8001", env=base).endswith("demo --port 8001")
    assert _make_demo(env=base | {"PORT": "8002"}).endswith("demo --port 8002")


def test_the_readme_says_the_port_once_and_where_id_comes_from() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("8000") == 1 and "export PORT=8000" in readme
    urls = re.findall(r"https?://127\.0\.0\.1:(\S+?)[/\s\"]", readme)
    assert urls and set(urls) == {"$PORT"}, urls
    # $ID is set by a command before any example uses it; so is $KEY.
    assert readme.index("ID=$(curl") < readme.index("/$ID/")
    assert readme.index("KEY=$(cat .cloudcanvas/demo-api-key)") < readme.index("Bearer $KEY")


def test_the_demo_prints_a_second_principal_with_a_subscription_of_its_own(
    tmp_path: Path,
) -> None:
    env = Environment.demo()
    second, development = env.principals[1], env.subscriptions[1]
    data_dir = tmp_path / ".cloudcanvas"
    with running_demo(data_dir, "--latency", "0", "--drift-interval", "0") as demo:
        printed = demo["printed"]
        assert demo["app"] == second.app_id and demo["secret"] == second.secret
        assert demo["secret_id"] == second.secrets[0].id
        assert demo["subscription"] == development.subscription_id
        assert "(Development, Enabled)  (not connected yet)" in printed
        assert "the estate never changes" in printed
        accounts = httpx.get(
            demo["url"] + "/api/azure/account",
            headers={"Authorization": f"Bearer {demo['key']}"},
        ).json()["accounts"]
        assert [a["subscriptionId"] for a in accounts] == [env.subscriptions[0].subscription_id]
        # The support link of every error is the troubleshooting page the demo serves.
        assert demo["support"] == demo["url"] + "/help/troubleshooting"
        page = httpx.get(demo["support"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
        assert "# Troubleshooting" in page.text
        assert f'href="{demo["support"]}"' in httpx.get(demo["url"] + "/no-such-page").text
    # The key is printed once and kept beside the data, readable by its owner only.
    key_file = data_dir / "demo-api-key"
    assert key_file.read_text(encoding="utf-8").strip() == demo["key"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert printed.count(demo["key"]) == 1


def test_a_support_url_of_your_own_is_kept(tmp_path: Path) -> None:
    own = "https://help.example.org/cloudcanvas"
    with running_demo(
        tmp_path / ".cloudcanvas",
        "--latency",
        "0",
        "--drift-interval",
        "0",
        extra_env={"CLOUDCANVAS_SUPPORT_URL": own},
    ) as demo:
        assert demo["support"] == own
        assert f'href="{own}"' in httpx.get(demo["url"] + "/no-such-page").text


def _scan_and_diff(url: str, key: str) -> dict[str, Any]:
    """Scan the demo's first account through the API, wait for it, and return the latest diff."""
    headers = {"Authorization": f"Bearer {key}"}
    account = httpx.get(url + "/api/azure/account", headers=headers).json()["accounts"][0]
    base = f"{url}/api/azure/account/{account['id']}"
    scan = httpx.post(base + "/scans", headers=headers).json()
    deadline = time.monotonic() + 60
    while scan["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        scan = httpx.get(f"{base}/scans/{scan['id']}", headers=headers).json()
    assert scan["status"] == "succeeded", scan
    return httpx.get(base + "/diff", headers=headers).json()  # type: ignore[no-any-return]


def _latest_diff(url: str, key: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    account = httpx.get(url + "/api/azure/account", headers=headers).json()["accounts"][0]
    answer = httpx.get(f"{url}/api/azure/account/{account['id']}/diff", headers=headers)
    return answer.json()  # type: ignore[no-any-return]


def test_the_estate_drifts_between_scans_and_a_restart_keeps_where_it_drifted(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / ".cloudcanvas"
    with running_demo(data_dir, "--latency", "0", "--drift-interval", "1") as first:
        time.sleep(1.2)  # a step is due: the next scan's first query takes it
        drifted = _scan_and_diff(first["url"], first["key"])
        assert drifted["counts"]["added"] >= 1 and drifted["counts"]["changed"] >= 2, drifted
        assert any(r["name"].startswith("stdrift") for r in drifted["added"])
    assert int((data_dir / "simulator" / "drift-steps").read_text(encoding="utf-8")) >= 1
    # Started again (no step due for a minute): the same steps are taken again before its first
    # scan, so that scan finds the estate as the last one left it, nothing undone.
    with running_demo(data_dir, "--latency", "0") as second:
        again = _latest_diff(second["url"], second["key"])
        assert again["from"]["id"] == drifted["to"]["id"]
        assert again["counts"] == {"added": 0, "removed": 0, "changed": 0}, again
