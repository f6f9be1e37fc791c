"""Where jobs run: an inline thread pool by default, Celery workers on Redis to scale out.

Both run the same task functions from ``jobs.tasks``; the inline runner gives each job its own
session in its own thread (not Celery's eager mode). Enqueue only after the commit that made the
job's rows, so the worker finds them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from sqlalchemy.orm import Session

from cloudcanvas.config import Settings
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import ScanBlocked
from cloudcanvas.jobs import tasks
from cloudcanvas.jobs.gc_tuning import tune_gc
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, Scan

log = logging.getLogger(__name__)


class JobQueue(Protocol):
    def enqueue_scan(self, scan_id: str) -> None: ...

    def close(self) -> None: ...


class InlineQueue:
    """Jobs in a thread pool of this process."""

    def __init__(self, database: Database, settings: Settings, workers: int = 4) -> None:
        self.database, self.settings = database, settings
        tune_gc()  # this process builds inventories: tuned once, here, not around each build
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cloudcanvas-job")

    def enqueue_scan(self, scan_id: str) -> None:
        future = self._pool.submit(tasks.run_scan, self.database, self.settings, scan_id)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        if future.exception() is not None:
            log.error("job failed", exc_info=future.exception())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


class CeleryQueue:
    """Jobs sent to ``cloudcanvas worker`` processes through Redis."""

    def __init__(self, settings: Settings) -> None:
        from cloudcanvas.jobs.celery_app import make_celery

        self._celery = make_celery(settings)

    def enqueue_scan(self, scan_id: str) -> None:
        self._celery.send_task("cloudcanvas.scan", args=[scan_id])

    def close(self) -> None:
        pass


def make_queue(settings: Settings, database: Database) -> JobQueue:
    if settings.jobs_backend == "celery":
        return CeleryQueue(settings)
    return InlineQueue(database, settings)


def queue_of(app_state: object) -> JobQueue:
    """The app's job queue (``app.state.queue``, set when the app starts)."""
    queue: JobQueue = getattr(app_state, "queue")  # noqa: B009 - state is untyped by design
    return queue


def start_scan(
    session: Session,
    queue: JobQueue,
    *,
    account: AzureAccount,
    actor: Actor | None,
    trigger: str = "api",
) -> Scan:
    """Queue a scan of the account (or join the running one), commit, then enqueue its job.

    The one place (with ``start_first_scans``) that does all three: a job enqueued before the
    commit finds no scan.
    """
    scan, created = inventory_service.start_scan(
        session, account=account, actor=actor, trigger=trigger
    )
    _commit_then_enqueue(session, queue, [scan.id] if created else [])
    return scan


def start_first_scans(
    session: Session,
    queue: JobQueue,
    *,
    accounts: Sequence[AzureAccount],
    actor: Actor,
    trigger: str,
) -> dict[str, Scan]:
    """Scan accounts just connected: start each, commit once (the accounts too), then enqueue.

    Returns the scan of each account by id; an account that cannot be scanned yet (its secret is
    already past its date) has none: its status says why, and connecting it still succeeded.
    """
    scans: dict[str, Scan] = {}
    created_ids: list[str] = []
    for account in accounts:
        try:
            scan, created = inventory_service.start_scan(
                session, account=account, actor=actor, trigger=trigger
            )
        except ScanBlocked:
            continue
        scans[account.id] = scan
        if created:
            created_ids.append(scan.id)
    _commit_then_enqueue(session, queue, created_ids)
    return scans


def _commit_then_enqueue(session: Session, queue: JobQueue, scan_ids: Sequence[str]) -> None:
    session.commit()
    for scan_id in scan_ids:
        queue.enqueue_scan(scan_id)
