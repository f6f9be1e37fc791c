"""The scale-out path: a real ``cloudcanvas worker`` process runs a scan sent through Redis."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import redis
from sqlalchemy import delete, select

from cloudcanvas.config import Settings
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs.queue import CeleryQueue
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from cloudcanvas.store.models import AzureAccount, Scan, Snapshot
from tests.azure_env import settings_for
from tests.factories import connect_account
from tests.inventory.test_service import concurrent_scans

pytestmark = pytest.mark.celery
REDIS_URL = os.environ.get("CLOUDCANVAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker_env(tmp_path, simulator, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCANVAS_")}
    overrides = settings_for(simulator) | {
        "data_dir": tmp_path,
        "database_url": database_url,
        "secret_key": "celery-test-key",
        "jobs_backend": "celery",
        "redis_url": REDIS_URL,
    }
    env.update({f"CLOUDCANVAS_{k.upper()}": str(v) for k, v in overrides.items()})
    return env, overrides


@pytest.fixture
def queued(worker_env):
    """A committed account with a queued scan; removed afterwards (its secret is sealed with
    this test's key, which other tests' key rotation could not open)."""
    _env, overrides = worker_env
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = Settings(**overrides)
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    with database.session() as session:
        account = connect_account(session, settings, name="Celery")
        scan, _ = inventory_service.start_scan(session, account=account, actor=None)
        account_id, scan_id = account.id, scan.id
    yield settings, database, scan_id
    with database.session() as session:
        session.execute(delete(Snapshot).where(Snapshot.account_id == account_id))
        session.execute(delete(Scan).where(Scan.account_id == account_id))
        session.execute(delete(AzureAccount).where(AzureAccount.id == account_id))
    database.dispose()


@contextmanager
def celery_worker(env):
    worker = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "worker", "--concurrency", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(database, scan_id, done, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database.session() as session:
            scan = inventory_repository.get_scan(session, scan_id)
            session.expunge(scan)
        if done(scan):
            return scan
        time.sleep(0.2)
    return scan


def test_a_celery_worker_runs_the_scan(worker_env, queued):
    env, _overrides = worker_env
    settings, database, scan_id = queued
    with celery_worker(env):
        CeleryQueue(settings).enqueue_scan(scan_id)
        scan = wait_for(database, scan_id, lambda s: s.status not in ("queued", "running"))
    assert scan.status == "succeeded"
    assert scan.snapshot_id and scan.counts["resources"] > 10


def children_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


def test_a_task_given_back_by_a_killed_worker_process_resumes_its_scan(
    worker_env, queued, simulator
):
    env, _overrides = worker_env
    settings, database, scan_id = queued
    simulator.set_latency(1.0)  # every Azure answer takes a second: the scan is slow to finish
    try:
        with celery_worker(env) as worker:
            CeleryQueue(settings).enqueue_scan(scan_id)
            running = wait_for(database, scan_id, lambda s: s.status == "running")
            assert running.attempts == 1
            (child,) = children_of(worker.pid)  # the pool process running the task
            os.kill(child, signal.SIGKILL)
            killed_at = time.monotonic()
            scan = wait_for(database, scan_id, lambda s: s.status not in ("queued", "running"))
            recovered_in = time.monotonic() - killed_at
    finally:
        simulator.set_latency(0)
    assert (scan.status, scan.attempts) == ("succeeded", 2)
    assert recovered_in < 40  # at once, not after the stale check
    with database.session() as session:
        snapshots = session.scalars(select(Snapshot).where(Snapshot.scan_id == scan_id)).all()
    assert len(snapshots) == 1 and snapshots[0].id == scan.snapshot_id


def test_workers_share_a_principals_quota_through_redis(simulator, azure_settings):
    """Scans in separate workers hold nothing in common but Redis: each scan here gets quota
    objects of its own (as another process would), and still none of them meets a 429."""
    from cloudcanvas.jobs.redis_quota import RedisQuota

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()

    def fresh_process_quota(tenant_id, client_id):
        return RedisQuota(client, tenant_id, client_id)

    statuses = concurrent_scans(simulator, azure_settings, 12, quotas=fresh_process_quota)
    assert len(statuses) >= 24 and 429 not in statuses
