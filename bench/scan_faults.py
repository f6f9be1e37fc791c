"""Fault benchmark for the scan lifecycle: every fault ends in a correct scan record.

    .venv/bin/python bench/scan_faults.py [--database-url URL] [--redis-url URL] [--scans N]

Scenarios, each with N accounts (one principal) scanned at once by the inline runner:
  storm-429     Resource Graph answers 40 queries with 429 (Retry-After 1 s) during the scans
  storm-503     Resource Graph answers 40 queries with 503 during the scans
  db-stalled    another connection holds the scans table for 5 s mid-scan
  db-lost       (PostgreSQL only) every database connection is cut and refused for 5 s mid-scan
  worker-killed (with --redis-url) a Celery pool process is killed mid-scan; the task comes back
For each: outcomes, snapshots per scan (exactly 1 for a succeeded/partial scan, 0 otherwise: 0
lost, 0 doubled), attempts, and the seconds from the fault's end to the last scan's record.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import func, text
from sqlalchemy import select as sql_select
from sqlalchemy.engine import make_url

from cloudcanvas.accounts import service as account_service
from cloudcanvas.config import Settings
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.jobs.queue import CeleryQueue
from cloudcanvas.simulator import Simulator
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from cloudcanvas.store.models import Scan, Snapshot
from tests.azure_env import make_environment, settings_for
from tests.factories import connect_account, make_org, make_user

FAULT_SECONDS = 5.0


class Proxy:
    """A TCP relay to PostgreSQL that can cut every connection and refuse new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if self.down.is_set():
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except OSError:
            return
        finally:
            a.close()
            b.close()

    def cut(self) -> None:
        self.down.set()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for sock in (a, b):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.down.clear()


def queue_scans(database: Database, settings: Settings, count: int) -> list[str]:
    ids = []
    with database.session() as session:  # a database kept from an earlier run has its names
        run = uuid.uuid4().hex[:12]
        org = make_org(session, name=f"Faults {run}")
        owner = make_user(session, org, role="owner", email=f"faults-{run}@example.com")
        for index in range(count):
            account = connect_account(session, settings, owner, name=f"Fault {index}")
            scan, _ = inventory_service.start_scan(session, account=account, actor=None)
            ids.append(scan.id)
    return ids


def record(database: Database, scan_ids: list[str]) -> dict[str, Any]:
    with database.session() as session:
        scans = session.scalars(sql_select(Scan).where(Scan.id.in_(scan_ids))).all()
        snaps = dict(
            session.execute(
                sql_select(Snapshot.scan_id, func.count())
                .where(Snapshot.scan_id.in_(scan_ids))
                .group_by(Snapshot.scan_id)
            ).all()
        )
        outcomes: dict[str, int] = {}
        lost = doubled = 0
        for scan in scans:
            outcomes[scan.status] = outcomes.get(scan.status, 0) + 1
            wanted = 1 if scan.status in ("succeeded", "partial") else 0
            lost += snaps.get(scan.id, 0) < wanted
            doubled += snaps.get(scan.id, 0) > wanted or (wanted and scan.snapshot_id is None)
        return {
            "outcomes": outcomes,
            "lost": lost,
            "doubled": doubled,
            "attempts": max(s.attempts for s in scans),
        }


def finished(database: Database, scan_ids: list[str]) -> bool:
    try:
        with database.session() as session:
            open_ = session.scalar(
                sql_select(func.count()).where(Scan.id.in_(scan_ids), Scan.active.is_(True))
            )
        return open_ == 0
    except Exception:
        return False


def run_inline(
    database: Database, settings: Settings, scan_ids: list[str], fault: Callable[[], None]
) -> dict[str, Any]:
    """Run the scans in threads; ``fault`` starts mid-scan and returns when it is over."""
    azure = account_service.AzureContext.from_settings(settings)
    threads = [
        threading.Thread(target=scan_job.run_scan, args=(database, azure, scan_id))
        for scan_id in scan_ids
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    fault()
    recovered = time.monotonic()
    for thread in threads:
        thread.join(timeout=600)
    return record(database, scan_ids) | {"after_recovery": time.monotonic() - recovered}


@contextmanager
def held_scans_table(database: Database) -> Iterator[None]:
    with database.engine.connect() as lock:
        if database.engine.dialect.name == "postgresql":
            lock.execute(text("LOCK TABLE scans IN ACCESS EXCLUSIVE MODE"))
        else:
            lock.exec_driver_sql("BEGIN EXCLUSIVE")
        yield
        lock.rollback()


def worker_killed(
    settings: Settings, overrides: dict[str, object], database: Database, scan_ids: list[str]
) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    env.update({f"CLOUDCANVAS_{k.upper()}": str(v) for k, v in overrides.items()})
    worker = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        queue = CeleryQueue(settings)
        for scan_id in scan_ids:
            queue.enqueue_scan(scan_id)
        while not _running(database, scan_ids):
            time.sleep(0.1)
        with open(f"/proc/{worker.pid}/task/{worker.pid}/children") as listing:
            children = [int(pid) for pid in listing.read().split()]
        for child in children:
            os.kill(child, signal.SIGKILL)
        killed = time.monotonic()
        while not finished(database, scan_ids) and time.monotonic() - killed < 300:
            time.sleep(0.1)
        return record(database, scan_ids) | {
            "after_recovery": time.monotonic() - killed,
            "killed": len(children),
        }
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _running(database: Database, scan_ids: list[str]) -> bool:
    with database.session() as session:
        count = session.scalar(
            sql_select(func.count()).where(Scan.id.in_(scan_ids), Scan.status == "running")
        )
    return bool(count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--scans", type=int, default=6)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="faults-"))
    url = args.database_url or f"sqlite:///{data_dir / 'faults.db'}"
    upgrade(url)
    with Simulator(make_environment()) as sim:
        sim.set_latency(0.3)  # a scan lasts a few seconds: the faults land mid-scan
        overrides: dict[str, object] = settings_for(sim) | {
            "data_dir": data_dir,
            "database_url": url,
            "secret_key": "fault-bench-key",
            "jobs_backend": "celery" if args.redis_url else "inline",
            "redis_url": args.redis_url,
        }
        settings = Settings(**overrides)  # type: ignore[arg-type]
        proxy = None
        if url.startswith("postgresql"):
            parsed = make_url(url)
            proxy = Proxy(parsed.host or "127.0.0.1", parsed.port or 5432)
            run_url = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        else:
            run_url = url
        database = Database.connect(run_url)
        direct = Database.connect(url)

        def storm(status: int, retry_after: float | None) -> Callable[[], None]:
            def fault() -> None:
                sim.inject_fault("resourcegraph", status=status, count=40, retry_after=retry_after)
                time.sleep(FAULT_SECONDS)
                sim.clear_faults()

            return fault

        def stall() -> None:
            with held_scans_table(direct):
                time.sleep(FAULT_SECONDS)

        def lose() -> None:
            assert proxy is not None
            proxy.cut()
            time.sleep(FAULT_SECONDS)
            proxy.restore()

        cases: list[tuple[str, Callable[[], None]]] = [
            ("storm-429", storm(429, 1.0)),
            ("storm-503", storm(503, None)),
            ("db-stalled", stall),
        ]
        if proxy is not None:
            cases.append(("db-lost", lose))
        for name, fault in cases:
            scan_ids = queue_scans(direct, settings, args.scans)
            result = run_inline(database, settings, scan_ids, fault)
            print(name, _line(result), flush=True)
        if args.redis_url:
            sim.set_latency(1.0)
            scan_ids = queue_scans(direct, settings, 2)
            print("worker-killed", _line(worker_killed(settings, overrides, direct, scan_ids)))
        database.dispose()
        direct.dispose()


def _line(result: dict[str, Any]) -> str:
    return (
        f"outcomes={result['outcomes']} lost={result['lost']} doubled={result['doubled']} "
        f"max_attempts={result['attempts']} record_after_recovery={result['after_recovery']:.1f}s"
    )


if __name__ == "__main__":
    main()
