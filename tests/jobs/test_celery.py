"""The scale-out path: a real ``cloudcanvas worker`` process runs a scan sent through Redis."""

import os
import subprocess
import sys
import time

import pytest
import redis

from cloudcanvas.config import Settings
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs.queue import CeleryQueue
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from tests.azure_env import settings_for
from tests.factories import connect_account

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


def test_a_celery_worker_runs_the_scan(worker_env):
    env, overrides = worker_env
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = Settings(**overrides)
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    with database.session() as session:
        account = connect_account(session, settings, name="Celery")
        scan, _ = inventory_service.start_scan(session, account=account, actor=None)
        scan_id = scan.id
    worker = subprocess.Popen(
        [sys.executable, "-m", "cloudcanvas.cli", "worker", "--concurrency", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        CeleryQueue(settings).enqueue_scan(scan_id)
        deadline = time.monotonic() + 90
        status = "queued"
        while time.monotonic() < deadline and status in ("queued", "running"):
            time.sleep(0.3)
            with database.session() as session:
                status = inventory_repository.get_scan(session, scan_id).status
        assert status == "succeeded", worker.stdout and worker.poll()
        with database.session() as session:
            scan = inventory_repository.get_scan(session, scan_id)
            assert scan.snapshot_id and scan.counts["resources"] > 10
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        database.dispose()
