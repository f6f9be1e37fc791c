"""The scan lifecycle without HTTP: start, claim, heartbeat, finish, supersede, resume.

Each test commits through its own ``Database`` (the job opens sessions of its own, as a worker
does) against the real simulator; nothing of ours is replaced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.status import AccountStatus
from cloudcanvas.accounts.vault import Keyring, seal
from cloudcanvas.azure import Credentials, scan_subscriptions
from cloudcanvas.azure._quota import Quota, shared_quota
from cloudcanvas.config import Settings
from cloudcanvas.inventory import repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.jobs import scan_job
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, Scan, Snapshot
from tests.azure_env import PRODUCTION, READER, TENANT
from tests.conftest import BACKEND
from tests.factories import connect_account


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    made: list[str] = []
    db.made = made  # type: ignore[attr-defined]
    yield db
    with db.session() as session:
        for account_id in made:
            session.execute(delete(Snapshot).where(Snapshot.account_id == account_id))
            session.execute(delete(Scan).where(Scan.account_id == account_id))
            session.execute(delete(AzureAccount).where(AzureAccount.id == account_id))
    db.dispose()


@pytest.fixture
def azure(azure_settings: Settings) -> account_service.AzureContext:
    return account_service.AzureContext.from_settings(azure_settings)


def queued_scan(database: Database, settings: Settings, **fields: object) -> tuple[str, str]:
    """A connected account with a queued scan, committed; returns (account id, scan id)."""
    with database.session() as session:
        account = connect_account(session, settings, **fields)
        scan, created = inventory_service.start_scan(session, account=account, actor=None)
        assert created
        ids = account.id, scan.id
    database.made.append(ids[0])  # type: ignore[attr-defined]
    return ids


def scan_row(database: Database, scan_id: str) -> Scan:
    with database.session() as session:
        scan = repository.get_scan(session, scan_id)
        assert scan is not None
        session.expunge(scan)
        return scan


def snapshots_of(database: Database, account_id: str) -> int:
    with database.session() as session:
        return len(session.scalars(select(Snapshot).where(Snapshot.account_id == account_id)).all())


def read_azure(azure: account_service.AzureContext, claim: inventory_service.Claim):
    creds = account_service.credentials_of(claim.account, azure.keyring)
    result = scan_subscriptions(azure.endpoints, creds, claim.subscription_ids)
    return result, build_inventory(result.resources, result.containers)


def test_a_scan_runs_from_queued_to_a_snapshot(database, azure_settings, azure):
    account_id, scan_id = queued_scan(database, azure_settings)
    scan_job.run_scan(database, azure, scan_id)
    scan = scan_row(database, scan_id)
    assert (scan.status, scan.active, scan.attempts) == ("succeeded", None, 1)
    assert scan.snapshot_id and scan.counts["resources"] > 10 and not scan.failures
    assert snapshots_of(database, account_id) == 1
    scan_job.run_scan(database, azure, scan_id)  # a duplicate delivery of a finished scan
    assert scan_row(database, scan_id).attempts == 1 and snapshots_of(database, account_id) == 1


def test_a_superseded_run_can_write_neither_outcome_nor_snapshot(database, azure_settings, azure):
    account_id, scan_id = queued_scan(database, azure_settings)
    with database.session() as session:
        first = inventory_service.claim_scan(session, scan_id)
    assert first is not None and first.attempt == 1
    # Its heartbeat went silent: the schedule declares the worker lost and runs the scan again.
    with database.session() as session:
        session.execute(
            update(Scan)
            .where(Scan.id == scan_id)
            .values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
    with database.session() as session:
        assert scan_id in inventory_service.recover_stale_scans(session)
    with database.session() as session:
        second = inventory_service.claim_scan(session, scan_id)
    assert second is not None and second.attempt == 2
    result, inventory = read_azure(azure, first)
    with database.session() as session:  # the first run comes back to life and finishes
        assert not inventory_service.beat(session, first, {"pages": 1})
        assert not inventory_service.finish_scan(session, first, result, inventory)
        assert not inventory_service.fail_scan(session, first, code="scan_timeout", message="x")
    assert scan_row(database, scan_id).status == "running"
    assert snapshots_of(database, account_id) == 0
    with database.session() as session:
        assert inventory_service.finish_scan(session, second, result, inventory)
    with database.session() as session:  # and the outcome is written once
        assert not inventory_service.fail_scan(session, second, code="scan_timeout", message="x")
    scan = scan_row(database, scan_id)
    assert (scan.status, scan.attempts, scan.error_code) == ("succeeded", 2, None)
    assert snapshots_of(database, account_id) == 1


def heartbeats_while(database: Database, scan_id: str, run: threading.Thread) -> set[object]:
    seen: set[object] = set()
    while run.is_alive():
        scan = scan_row(database, scan_id)
        if scan.status == "running":
            seen.add(scan.heartbeat_at)
        time.sleep(0.2)
    return seen


def test_the_heartbeat_goes_on_while_the_scan_waits_out_a_throttle(
    database, azure_settings, azure, simulator
):
    account_id, scan_id = queued_scan(database, azure_settings)
    simulator.inject_fault("resourcegraph", status=429, count=1, retry_after=4)
    run = threading.Thread(target=scan_job.run_scan, args=(database, azure, scan_id))
    try:
        run.start()
        beats = heartbeats_while(database, scan_id, run)
    finally:
        run.join(timeout=60)
        simulator.clear_faults()
    assert len(beats) >= 3  # one a second through the 4 s wait, not one per page
    assert scan_row(database, scan_id).status == "succeeded"
    assert snapshots_of(database, account_id) == 1


def test_a_task_delivered_again_resumes_a_scan_whose_worker_died(
    database, azure_settings, azure, monkeypatch
):
    monkeypatch.setattr(scan_job, "RESUME_AFTER", 1.0)
    account_id, scan_id = queued_scan(database, azure_settings)
    with database.session() as session:  # the worker that claimed it dies right after
        assert inventory_service.claim_scan(session, scan_id) is not None
    started = time.monotonic()
    scan_job.run_scan(database, azure, scan_id)  # the queue hands its task to another worker
    scan = scan_row(database, scan_id)
    assert (scan.status, scan.attempts) == ("succeeded", 2)
    assert time.monotonic() - started < 30  # seconds, not the 60 s stale check
    assert snapshots_of(database, account_id) == 1


def hold_scans_table(engine):
    """Another connection takes the scans table: SQLite answers "locked", PostgreSQL blocks."""
    lock = engine.connect()
    if BACKEND == "postgresql":
        lock.execute(text("LOCK TABLE scans IN ACCESS EXCLUSIVE MODE"))
    else:
        lock.exec_driver_sql("BEGIN EXCLUSIVE")
    return lock


def test_a_stalled_database_is_waited_for_not_blamed_on_azure(
    database, azure_settings, azure, engine, simulator
):
    account_id, scan_id = queued_scan(database, azure_settings)
    run = threading.Thread(target=scan_job.run_scan, args=(database, azure, scan_id))
    simulator.set_latency(0.5)
    try:
        run.start()
        while scan_row(database, scan_id).status == "queued":
            time.sleep(0.05)
        lock = hold_scans_table(engine)  # from mid-scan until after Azure has answered
        try:
            time.sleep(5)
        finally:
            lock.rollback()
            lock.close()
        run.join(timeout=60)
    finally:
        simulator.set_latency(0)
    scan = scan_row(database, scan_id)
    assert (scan.status, scan.error_code, scan.failures) == ("succeeded", None, [])
    assert snapshots_of(database, account_id) == 1


def test_rejected_credentials_set_the_account_status_and_stop_the_schedule(
    database, azure_settings, azure
):
    account_id, scan_id = queued_scan(database, azure_settings)
    keyring = Keyring.from_settings(azure_settings)
    with database.session() as session:  # someone deleted the secret in Entra ID
        account = session.get(AzureAccount, account_id)
        account.secret_key_id, account.secret_ciphertext = seal(
            keyring, "not-the-secret-any-more~0123456789abcdef", context=f"account:{account_id}"
        )
    scan_job.run_scan(database, azure, scan_id)
    scan = scan_row(database, scan_id)
    assert (scan.status, scan.error_code) == ("failed", "invalid_client_secret")
    with database.session() as session:
        account = session.get(AzureAccount, account_id)
        assert account.status == AccountStatus.INVALID_CREDENTIALS
        assert account.status_message
        started = inventory_service.start_due_scans(session, interval=timedelta(hours=1))
        mine = session.scalars(select(Scan.id).where(Scan.account_id == account_id)).all()
        assert not set(started) & set(mine)  # no retry until the credentials change
        session.rollback()


def concurrent_scans(simulator, azure_settings, count: int, **options) -> list[int]:
    """``count`` scans of one principal at once; the status of each Resource Graph answer."""
    azure = account_service.AzureContext.from_settings(azure_settings)
    creds = Credentials(TENANT, READER.app_id, READER.secret, PRODUCTION)
    time.sleep(5.1)  # a fresh quota window in the simulator (15 queries / 5 s)
    simulator.reset_quota()
    simulator.reset_requests()
    scans = [
        threading.Thread(
            target=scan_subscriptions,
            args=(azure.endpoints, creds, [PRODUCTION]),
            kwargs=options,
        )
        for _ in range(count)
    ]
    for scan in scans:
        scan.start()
    for scan in scans:
        scan.join(timeout=120)
    return [r.status for r in simulator.requests if r.route == "resourcegraph"]


def test_scans_of_one_principal_share_its_quota(simulator, azure_settings):
    assert shared_quota(TENANT, READER.app_id) is shared_quota(TENANT.upper(), f" {READER.app_id}")
    own = concurrent_scans(simulator, azure_settings, 12, quotas=lambda _t, _c: Quota())
    shared = concurrent_scans(simulator, azure_settings, 12)
    assert 429 in own  # each scan kept its own count: together they overran the window
    assert len(shared) >= 24 and 429 not in shared
