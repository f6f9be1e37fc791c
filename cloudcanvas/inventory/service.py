"""Scans and snapshots: start or join a scan, run it as a job, keep every snapshot it makes.

A scan that fails or finds only part of the estate never replaces the last good snapshot: a
partial snapshot is kept beside it, marked partial, with its failures.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import scope as account_scope
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.status import AccountStatus, status_for_failure
from cloudcanvas.azure.scanner import ScanProgress, ScanResult, scan_subscriptions
from cloudcanvas.azure.scope import target_of
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.inventory import repository
from cloudcanvas.inventory.codec import encode_inventory, location_index
from cloudcanvas.inventory.diff import InventoryDiff, diff_inventories
from cloudcanvas.inventory.errors import ScanBlocked, SnapshotNotFound
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.inventory.rendering import inventory_of
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, Scan, Snapshot

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 1.0  # seconds between progress writes
STALE_AFTER = timedelta(minutes=3)  # a running scan without a heartbeat this long lost its worker
MAX_ATTEMPTS = 3


def start_scan(
    session: Session, *, account: AzureAccount, actor: Actor | None, trigger: str = "api"
) -> tuple[Scan, bool]:
    """Queue a scan of the account, or join the one running; returns (scan, created).

    The caller commits, then enqueues the job when ``created``.
    """
    if actor is not None:
        authorize(actor, Action.SCAN_ACCOUNT, account)
    if account.status == AccountStatus.SECRET_EXPIRED:
        raise ScanBlocked(
            account.status_message
            or "The client secret expired; save a new secret to scan this account again.",
            code="secret_expired",
        )
    running = repository.active_scan(session, account.id)
    if running is not None:
        return running, False
    scan = Scan(account_id=account.id, trigger=trigger, status="queued", active=True)
    savepoint = session.begin_nested()
    try:
        session.add(scan)
        session.flush()
    except IntegrityError:  # another request queued one at the same moment: join it
        savepoint.rollback()
        joined = repository.active_scan(session, account.id)
        if joined is None:
            raise
        return joined, False
    savepoint.commit()
    return scan, True


def get_scan(session: Session, *, actor: Actor, account: AzureAccount, scan_id: str) -> Scan:
    authorize(actor, Action.VIEW_ACCOUNT, account)
    scan = repository.get_scan(session, scan_id)
    if scan is None or scan.account_id != account.id:
        raise SnapshotNotFound(f"No scan {scan_id} for this account.", code="not_found")
    return scan


def _claim(database: Database, scan_id: str) -> tuple[AzureAccount, list[str]] | None:
    """Move a queued scan to running, atomically: of two workers given it, one runs it."""
    with database.session() as session:
        now = utcnow()
        claimed = session.execute(
            update(Scan)
            .where(Scan.id == scan_id, Scan.status == "queued", Scan.active.is_(True))
            .values(status="running", attempts=Scan.attempts + 1, started_at=now, heartbeat_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None  # running elsewhere, finished already, or the account was removed
        scan = repository.get_scan(session, scan_id)
        account = account_repository.get(session, scan.account_id) if scan else None
        if account is None:
            return None
        session.expunge(account)
        return account, account_scope.stored(account)[0]


def run_scan(database: Database, access: account_service.AzureAccess, scan_id: str) -> None:
    """The scan job: read Azure, normalize, store the snapshot, finish the scan."""
    claimed = _claim(database, scan_id)
    if claimed is None:
        return
    account, subscriptions = claimed
    last_beat = [0.0]

    def on_progress(progress: ScanProgress) -> None:
        if time.monotonic() - last_beat[0] >= HEARTBEAT_EVERY:
            last_beat[0] = time.monotonic()
            _beat(database, scan_id, progress)

    try:
        creds = account_service.credentials_of(account, access.keyring)
        target = target_of(access.endpoints, creds, subscriptions, account.scope)
        result = scan_subscriptions(access.endpoints, creds, target, on_progress=on_progress)
        inventory = build_inventory(result.resources, result.containers)
    except Exception as error:  # a bug must not leave the scan running forever
        log.exception("scan %s failed", scan_id)
        _fail(database, scan_id, "internal_error", f"The scan failed on our side: {error}")
        return
    _finish(database, scan_id, result, inventory)


def _beat(database: Database, scan_id: str, progress: ScanProgress) -> None:
    with database.session() as session:
        scan = repository.get_scan(session, scan_id)
        if scan is not None and scan.active:
            scan.heartbeat_at = utcnow()
            scan.progress = asdict(progress)


def _fail(database: Database, scan_id: str, code: str, message: str) -> None:
    with database.session() as session:
        scan = repository.get_scan(session, scan_id)
        if scan is not None:
            scan.status, scan.active, scan.finished_at = "failed", None, utcnow()
            scan.error_code, scan.error_message = code, message


def _store_snapshot(
    session: Session,
    scan: Scan,
    inventory: Inventory,
    partial: bool,
    failures: list[dict[str, object]],
) -> Snapshot:
    data = encode_inventory(inventory)
    snapshot = Snapshot(
        account_id=scan.account_id,
        scan_id=scan.id,
        partial=partial,
        resource_count=len(inventory),
        location_index=location_index(inventory),
        type_counts=inventory.counts_by_type(),
        failures=failures,
        content_hash=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def _finish(database: Database, scan_id: str, result: ScanResult, inventory: Inventory) -> None:
    failures = [asdict(f) for f in result.failures]
    with database.session() as session:
        scan = repository.get_scan(session, scan_id)
        account = account_repository.get(session, scan.account_id) if scan else None
        if scan is None or account is None:
            return
        # A failure that says the credentials no longer work sets the account's status (and the
        # scheduler stops until they are fixed); any other failure says nothing about them.
        auth = next((f for f in result.failures if status_for_failure(f.code)), None)
        scan.progress = {**scan.progress, "requests": result.requests, "elapsed": result.elapsed}
        scan.counts = {"resources": len(inventory), "locations": location_index(inventory)}
        scan.failures, scan.finished_at, scan.active = failures, utcnow(), None
        if auth is not None or (result.failures and not inventory.resources):
            scan.status = "failed"
            scan.error_code = (auth or result.failures[0]).code
            scan.error_message = (auth or result.failures[0]).message
            status = status_for_failure(auth.code) if auth is not None else None
            if auth is not None and status is not None:
                account.status, account.status_message = status, auth.message
            return
        partial = bool(result.failures)
        snapshot = _store_snapshot(session, scan, inventory, partial, failures)
        scan.status, scan.snapshot_id = ("partial" if partial else "succeeded"), snapshot.id
        account.last_scanned_at = scan.finished_at
        # A complete scan proves the credentials and the role work (an expiry is by date: kept).
        if not partial and account.status not in (AccountStatus.OK, AccountStatus.SECRET_EXPIRED):
            account.status, account.status_message = AccountStatus.OK, ""


def recover_stale_scans(session: Session) -> list[str]:
    """Scans whose worker died: run again (up to 3 attempts) or fail; returns ids to enqueue."""
    again = []
    now = utcnow()
    stale = list(repository.list_stale_scans(session, now - STALE_AFTER))
    stale += repository.list_queued_scans(session, now - STALE_AFTER)
    for scan in stale:
        if scan.attempts >= MAX_ATTEMPTS:
            scan.status, scan.active, scan.finished_at = "failed", None, now
            scan.error_code = "worker_lost"
            scan.error_message = f"The scan lost its worker {scan.attempts} times; start it again."
        else:
            scan.status, scan.heartbeat_at, scan.created_at = "queued", None, now
            again.append(scan.id)
    session.flush()
    return again


def load_inventory(snapshot: Snapshot) -> Inventory:
    return inventory_of(snapshot)


def latest_snapshot(session: Session, account: AzureAccount) -> Snapshot | None:
    """The latest good snapshot, or the latest partial one when no good one exists."""
    return repository.latest_snapshot(session, account.id) or repository.latest_snapshot(
        session, account.id, good_only=False
    )


def snapshot_or_404(session: Session, account: AzureAccount, snapshot_id: str) -> Snapshot:
    snapshot = repository.get_snapshot(session, account.id, snapshot_id)
    if snapshot is None:
        raise SnapshotNotFound(f"No snapshot {snapshot_id} for this account.")
    return snapshot


def start_due_scans(session: Session, *, interval: timedelta) -> list[str]:
    """The per-account schedule: queue a scan of every account that is due; returns their ids."""
    now = utcnow()
    started = []
    for account in account_repository.list_due_for_scan(session, now):
        account.next_scan_at = now + interval
        if account.last_scanned_at is not None and account.last_scanned_at > now - interval:
            continue
        scan, created = start_scan(session, account=account, actor=None, trigger="schedule")
        if created:
            started.append(scan.id)
    session.flush()
    return started


def diff_snapshots(
    session: Session, account: AzureAccount, old_id: str | None = None, new_id: str | None = None
) -> tuple[Snapshot | None, Snapshot, InventoryDiff]:
    """What changed between two snapshots; by default the latest and the one before it."""
    if new_id:
        new = snapshot_or_404(session, account, new_id)
    else:
        latest = latest_snapshot(session, account)
        if latest is None:
            raise SnapshotNotFound("This account has no snapshot yet; scan it first.")
        new = latest
    if old_id:
        old: Snapshot | None = snapshot_or_404(session, account, old_id)
    else:
        earlier = [
            s
            for s in repository.list_snapshots(session, account.id, limit=50)
            if s.created_at < new.created_at and not s.partial
        ]
        old = repository.get_snapshot(session, account.id, earlier[0].id) if earlier else None
    empty = Inventory()
    diff = diff_inventories(load_inventory(old) if old else empty, load_inventory(new))
    return old, new, diff
