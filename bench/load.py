"""Load on the cached snapshot and list endpoints: many keep-alive clients, many keys.

    .venv/bin/python bench/load.py [--clients 500] [--keys 500] [--seconds 20]
                                   [--database-url postgresql://...]

Sets up a Pro organization with ``--keys`` API keys and the demo estate's Production subscription
connected and scanned (through the built-in Azure simulator), then starts ``cloudcanvas serve`` on
a free loopback port in its own process and runs ``--clients`` asyncio clients (httpx, one
keep-alive connection each) against it for ``--seconds``. Each client cycles through the account
list, the scan list and the cached JSON diagram of eastus (drawn once before the clients start),
and honours ``Retry-After`` (capped at
2 s) on 429 and 503. Bounded: at most ``--max-requests`` per client, loopback only.

Reports the answers by status, any 5xx other than a 503 with ``Retry-After`` (must be 0), any
429/503 without ``Retry-After`` (must be 0), and the latency percentiles of the 200s.
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
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    ok_latencies: list[float] = field(default_factory=list)
    bad_5xx: int = 0
    missing_retry_after: int = 0
    transport_errors: Counter[str] = field(default_factory=Counter)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(settings: Settings, env: Environment, keys: int) -> tuple[str, list[str]]:
    """An owner with ``keys`` keys and a connected, scanned account; returns (account id, keys)."""
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    reader, subscription = env.principals[0], env.subscriptions[0]
    with database.session() as session:
        stamp = str(time.time_ns())
        organization = identity_service.create_organization(
            session, name=f"Load {stamp}", plan="pro"
        )
        user = identity_service.create_user(
            session,
            organization=organization,
            email=f"load{stamp}@example.com",
            password="load-bench-password",
            role="owner",
        )
        plain = [
            identity_service.create_api_key(session, user=user, access="read")[1]
            for _ in range(keys)
        ]
        data = AccountCreate.model_validate(
            {
                "name": "Production",
                "subscriptionId": subscription.subscription_id,
                "directoryId": reader.tenant_id,
                "applicationId": reader.app_id,
                "clientSecret": reader.secret,
            }
        )
        azure = account_service.AzureContext.from_settings(settings)
        actor = identity_service.actor_for(session, user)
        account = account_service.create_account(session, actor=actor, data=data, azure=azure)
        scan, _ = inventory_service.start_scan(
            session, account=account, actor=None, trigger="bench"
        )
        account_id, scan_id = account.id, scan.id
    scan_job.run_scan(database, azure, scan_id)
    database.dispose()
    return account_id, plain


def serve(settings: Settings, sim: Simulator, port: int, log_file: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CLOUDCANVAS_DATA_DIR": str(settings.data_dir),
        "CLOUDCANVAS_DATABASE_URL": settings.resolved_database_url,
        "CLOUDCANVAS_SECRET_KEY": "load-bench-master-key",
        "CLOUDCANVAS_AZURE_AUTHORITY_HOST": sim.base_url,
        "CLOUDCANVAS_AZURE_RESOURCE_MANAGER": sim.base_url,
        "CLOUDCANVAS_AZURE_CA_BUNDLE": str(sim.ca_bundle),
        "CLOUDCANVAS_SNAPSHOT_MAX_AGE": "1d",
        "CLOUDCANVAS_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "cloudcanvas.cli", "serve", "--port", str(port)]
    with log_file.open("wb") as log:  # a file, not a pipe nobody reads: the server must not block
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("cloudcanvas serve did not start:\n" + log_file.read_text()[-3000:])


async def client_loop(
    base: str, key: str, paths: list[str], until: float, max_requests: int, tally: Tally
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    # verify=False: plain http on loopback; without it every client loads the CA store, and 500
    # of them block the event loop for seconds (which would be measured as server latency).
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30, verify=False
    ) as http:
        for n in range(max_requests):
            if time.monotonic() >= until:
                return
            started = time.monotonic()
            try:
                response = await http.get(paths[n % len(paths)])
            except httpx.TransportError as error:
                tally.transport_errors[type(error).__name__] += 1
                await asyncio.sleep(0.5)
                continue
            elapsed = time.monotonic() - started
            tally.statuses[response.status_code] += 1
            if response.status_code == 200:
                tally.ok_latencies.append(elapsed)
            elif response.status_code in (429, 503):
                retry = response.headers.get("Retry-After")
                if retry is None:
                    tally.missing_retry_after += 1
                await asyncio.sleep(min(2.0, float(retry or 1)))
            if response.status_code >= 500 and not (
                response.status_code == 503 and "Retry-After" in response.headers
            ):
                tally.bad_5xx += 1


async def run_clients(
    base: str, keys: list[str], account_id: str, clients: int, seconds: float, max_requests: int
) -> tuple[Tally, float]:
    paths = [
        "/api/azure/account",
        f"/api/azure/account/{account_id}/eastus/json",
        f"/api/azure/account/{account_id}/scans",
    ]
    tally = Tally()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(
            client_loop(
                base,
                keys[i % len(keys)],
                paths[i % 3 :] + paths[: i % 3],
                until,
                max_requests,
                tally,
            )
            for i in range(clients)
        )
    )
    return tally, time.monotonic() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def report(tally: Tally, wall: float, args: argparse.Namespace, backend: str) -> None:
    total = sum(tally.statuses.values())
    ok = tally.ok_latencies
    print(f"backend            {backend}")
    print(f"clients / keys     {args.clients} / {args.keys}, {wall:.1f} s")
    print(f"answers            {total} ({total / wall:.0f}/s)")
    print("by status          " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))
    print(f"5xx not 503+Retry  {tally.bad_5xx}")
    print(f"429/503 no Retry   {tally.missing_retry_after}")
    print(f"transport errors   {dict(tally.transport_errors) or 0}")
    if ok:
        print(
            f"200 latency        p50 {percentile(ok, 0.5) * 1000:.0f} ms, "
            f"p90 {percentile(ok, 0.9) * 1000:.0f} ms, p99 {percentile(ok, 0.99) * 1000:.0f} ms, "
            f"max {max(ok) * 1000:.0f} ms, mean {statistics.fmean(ok) * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, Simulator(Environment.demo()) as sim:
        settings = Settings(
            data_dir=Path(directory),
            database_url=args.database_url,
            secret_key="load-bench-master-key",
            azure_authority_host=sim.base_url,
            azure_resource_manager=sim.base_url,
            azure_ca_bundle=sim.ca_bundle,
        )
        account_id, keys = prepare(settings, Environment.demo(), args.keys)
        port = free_port()
        log_file = Path(directory) / "server.log"
        server = serve(settings, sim, port, log_file)
        try:
            # The target is the *cached* snapshot: draw it once before the crowd arrives.
            warm = httpx.get(
                f"http://127.0.0.1:{port}/api/azure/account/{account_id}/eastus/json",
                headers={"Authorization": f"Bearer {keys[0]}"},
                timeout=120,
            )
            warm.raise_for_status()
            tally, wall = asyncio.run(
                run_clients(
                    f"http://127.0.0.1:{port}",
                    keys,
                    account_id,
                    args.clients,
                    args.seconds,
                    args.max_requests,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=15)
        backend = settings.resolved_database_url.split(":", 1)[0]
        report(tally, wall, args, backend)
        warnings = log_file.read_text(errors="replace").count("database unavailable")
        print(f"server log         {warnings} 'database unavailable' warnings")


if __name__ == "__main__":
    main()
