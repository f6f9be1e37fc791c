"""Scans and snapshots: start or join a scan, the session-first steps of its run (claim, beat,
finish, fail; ``jobs.scan_job`` orchestrates them), and every snapshot it makes.

A scan that fails or finds only part of the estate never replaces the last good snapshot: a
partial snapshot is kept beside it, marked partial, with its failures.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import scope as account_scope
from cloudcanvas.accounts.status import AccountStatus, status_of_failure
from cloudcanvas.azure.scanner import QueryFailure, ScanResult
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.inventory import first_drawing, repository
from cloudcanvas.inventory.codec import encode_inventory, location_index
from cloudcanvas.inventory.diff import InventoryDiff, diff_inventories
from cloudcanvas.inventory.errors import ScanBlocked, SnapshotNotFound
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.rendering import SnapshotCaches, inventory_of
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, Scan, Snapshot

# A running scan beats every second, even while it waits for Azure's quota (see jobs.scan_job);
# one silent this long lost its worker, or its database, and is run again.
STALE_AFTER = timedelta(seconds=60)
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


@dataclass(frozen=True)
class Claim:
    """One run of a scan: its attempt number fences every write the run makes."""

    scan_id: str
    attempt: int
    account: AzureAccount  # detached: read by the job while it holds no session
    subscription_ids: list[str]


def _fenced(claim: Claim) -> tuple[ColumnElement[bool], ...]:
    """The run still owns the scan: nobody requeued, resumed or finished it since its claim."""
    return (
        Scan.id == claim.scan_id,
        Scan.attempts == claim.attempt,
        Scan.status == "running",
        Scan.active.is_(True),
    )


def claim_scan(
    session: Session, scan_id: str, *, resume_before: datetime | None = None
) -> Claim | None:
    """Move a queued scan to running as a new attempt; of two workers given it, one runs it.

    With ``resume_before``, a running scan whose heartbeat is older is taken over too: its worker
    died and the queue gave its task to another. The old run's attempt number no longer matches,
    so it can write nothing more.
    """
    now = utcnow()
    claimable = Scan.status == "queued"
    if resume_before is not None:
        claimable = or_(
            claimable, and_(Scan.status == "running", Scan.heartbeat_at < resume_before)
        )
    claimed = session.execute(
        update(Scan)
        .where(Scan.id == scan_id, Scan.active.is_(True), claimable)
        .values(status="running", attempts=Scan.attempts + 1, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None  # running elsewhere, finished already, or the account was removed
    scan = repository.get_scan(session, scan_id)
    account = account_repository.get(session, scan.account_id) if scan else None
    if scan is None or account is None:
        return None
    session.refresh(scan)
    session.expunge(account)
    return Claim(scan_id, scan.attempts, account, account_scope.stored(account)[0])


def beat(session: Session, claim: Claim, progress: dict[str, Any]) -> bool:
    """The run is alive: record its progress. False when another run took the scan over."""
    done = session.execute(
        update(Scan)
        .where(*_fenced(claim))
        .values(heartbeat_at=utcnow(), progress=progress)
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def fail_scan(session: Session, claim: Claim, *, code: str, message: str) -> bool:
    """End the run's scan as failed; False (nothing written) when the run was superseded."""
    done = session.execute(
        update(Scan)
        .where(*_fenced(claim))
        .values(
            status="failed",
            active=None,
            finished_at=utcnow(),
            error_code=code,
            error_message=message,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


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


def _outcome(result: ScanResult, inventory: Inventory) -> tuple[str, QueryFailure | None]:
    """The scan's status, and the failure that names why when it failed."""
    about_account = next((f for f in result.failures if status_of_failure(f.code)), None)
    if about_account is not None:
        return "failed", about_account
    if result.failures and not inventory.resources:
        return "failed", result.failures[0]
    return ("partial" if result.failures else "succeeded"), None


def finish_scan(
    session: Session,
    claim: Claim,
    result: ScanResult,
    inventory: Inventory,
    drawing: first_drawing.Prepared | None = None,
) -> bool:
    """Write the run's outcome (and its snapshot, with the viewer's first drawing of it when one
    was prepared), once; False when the run was superseded."""
    status, failure = _outcome(result, inventory)
    now = utcnow()
    # Ending the scan first, fenced, makes this transaction the only one that writes an outcome.
    ended = session.execute(
        update(Scan)
        .where(*_fenced(claim))
        .values(status=status, active=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:  # type: ignore[attr-defined]
        return False
    scan = repository.get_scan(session, claim.scan_id)
    account = account_repository.get(session, claim.account.id)
    if scan is None or account is None:
        return False
    session.refresh(scan)
    failures = [asdict(f) for f in result.failures]
    scan.progress = {**scan.progress, "requests": result.requests, "elapsed": result.elapsed}
    scan.counts = {"resources": len(inventory), "locations": location_index(inventory)}
    scan.failures = failures
    if failure is not None:
        scan.error_code, scan.error_message = failure.code, failure.message
        implied = status_of_failure(failure.code)
        if implied is not None:
            account.status, account.status_message = implied, failure.message
        return True
    snapshot = _store_snapshot(session, scan, inventory, status == "partial", failures)
    scan.snapshot_id = snapshot.id
    if drawing is not None:
        first_drawing.keep(session, snapshot.id, drawing)
    account.last_scanned_at = now
    # A complete scan proves the credentials and the role; an expiry date still stands.
    if status == "succeeded" and account.status != AccountStatus.SECRET_EXPIRED:
        account.status, account.status_message = AccountStatus.OK, ""
    return True


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


def load_inventory(snapshot: Snapshot, caches: SnapshotCaches | None = None) -> Inventory:
    return inventory_of(snapshot, caches)


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
    session: Session,
    account: AzureAccount,
    old_id: str | None = None,
    new_id: str | None = None,
    caches: SnapshotCaches | None = None,
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
    diff = diff_inventories(
        load_inventory(old, caches) if old else empty, load_inventory(new, caches)
    )
    return old, new, diff
