"""Many clients at once against `cloudcanvas serve`: every answer a 200 or a 429/503 with Retry-After.

    .venv/bin/python bench/load.py [--clients 500] [--keys 100] [--seconds 20] [--database URL]

Starts the simulator (sample estate) in this process and `cloudcanvas serve` in its own process
(SQLite in a temporary directory, or the PostgreSQL database given, which is emptied first),
connects and scans the Production subscription, then runs N keep-alive clients (asyncio + httpx)
for a bounded time, each with one of K API keys, each alternating the accounts list and the cached
snapshot (SVG) of one region. Loopback only. Prints the answers by status, whether every 429/503
said when to retry, and the latency percentiles of the 200s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from cloudcanvas.simulator import Simulator, sample

CLI = [sys.executable, "-m", "cloudcanvas.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from cloudcanvas.store.engine import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def server_env(data_dir: Path, simulator: Simulator, database: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CLOUDCANVAS_DATA_DIR=str(data_dir),
        CLOUDCANVAS_AZURE_AUTHORITY_HOST=simulator.base_url,
        CLOUDCANVAS_AZURE_RESOURCE_MANAGER=simulator.base_url,
        CLOUDCANVAS_AZURE_CA_BUNDLE=str(simulator.ca_bundle),
        CLOUDCANVAS_LOG_LEVEL="WARNING",
    )
    if database:
        env["CLOUDCANVAS_DATABASE_URL"] = database
    return env


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def make_keys(env: dict[str, str], count: int) -> list[str]:
    cli(env, "migrate")
    cli(env, "org", "create", "Load", "--plan", "pro")
    keys = []
    for i in range(count):
        email = f"load{i}@example.com"
        subprocess.run(
            [*CLI, "user", "create", email, "--org", "Load", "--role", "owner"],
            env=env,
            input="load-test-password\n",
            capture_output=True,
            text=True,
            check=True,
        )
        keys.append(cli(env, "apikey", "create", email))
    return keys


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("cloudcanvas serve exited")
        try:
            httpx.get(url + "/login", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("cloudcanvas serve did not start")


def connect_and_scan(url: str, key: str) -> str:
    headers = {"Authorization": f"Bearer {key}"}
    account = httpx.post(
        url + "/api/azure/account",
        headers=headers,
        json={
            "name": "Production",
            "subscriptionId": sample.PRODUCTION_ID,
            "directoryId": sample.TENANT_ID,
            "applicationId": sample.READER_APP_ID,
            "clientSecret": sample.READER_SECRET,
        },
        timeout=60,
    ).json()
    snapshot = url + f"/api/azure/account/{account['id']}/eastus/svg"
    for _ in range(120):
        if httpx.get(snapshot, headers=headers, timeout=130).status_code == 200:
            return snapshot
        time.sleep(0.5)
    raise RuntimeError("the first scan did not finish")


async def client(
    paths: list[str], key: str, until: float, results: list[tuple[int, float, bool]]
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as http:
        turn = 0
        while time.monotonic() < until:
            started = time.monotonic()
            try:
                response = await http.get(paths[turn % len(paths)])
                status, retry = response.status_code, "retry-after" in response.headers
                await response.aclose()
            except httpx.HTTPError:
                status, retry = 0, False  # no answer at all
            results.append((status, time.monotonic() - started, retry))
            turn += 1
            if status in (429, 503):  # a polite client waits a little, as told
                await asyncio.sleep(min(1.0, 0.2 + 0.01 * (turn % 10)))


async def load(paths: list[str], keys: list[str], clients: int, seconds: float) -> None:
    results: list[tuple[int, float, bool]] = []
    until = time.monotonic() + seconds
    tasks = [client(paths, keys[i % len(keys)], until, results) for i in range(clients)]
    await asyncio.gather(*tasks)
    report(results, clients, len(keys), seconds)


def report(results: list[tuple[int, float, bool]], clients: int, keys: int, seconds: float) -> None:
    statuses = Counter(status for status, _, _ in results)
    refused = [r for r in results if r[0] in (429, 503)]
    ok = sorted(latency for status, latency, _ in results if status == 200)
    print(f"clients {clients}, keys {keys}, {seconds:.0f} s, {len(results)} answers")
    print("by status          " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    print(f"429/503 with Retry-After  {sum(r[2] for r in refused)} of {len(refused)}")
    if ok:
        q = statistics.quantiles(ok, n=100)
        print(
            f"200s: {len(ok)} ({len(ok) / seconds:.0f}/s), p50 {q[49] * 1000:.0f} ms, "
            f"p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {ok[-1] * 1000:.0f} ms"
        )
    bad = {s: n for s, n in statuses.items() if s not in (200, 429, 503)}
    print("other answers      " + (str(bad) if bad else "none"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (emptied first)")
    args = parser.parse_args()
    if args.database:
        reset_postgres(args.database)
    with tempfile.TemporaryDirectory() as tmp, Simulator(sample.sample_environment()) as sim:
        env = server_env(Path(tmp), sim, args.database)
        keys = make_keys(env, args.keys)
        port = free_port()
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, process)
            snapshot = connect_and_scan(url, keys[0])
            paths = [url + "/api/azure/account", snapshot]
            print(f"database: {'PostgreSQL' if args.database else 'SQLite'}")
            asyncio.run(load(paths, keys, args.clients, args.seconds))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
