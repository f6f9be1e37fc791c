"""The scan job: claim a scan, read Azure while a heartbeat thread says the run is alive, finish it.

Every write of a run is fenced by its attempt number (see ``inventory.service.Claim``): a run that
was declared lost and run again can never write the scan's outcome or a snapshot. Database trouble
is kept apart from Azure's: the scan talks to Azure holding no session, the heartbeat thread
survives a stalled database, and the outcome is written again until the database answers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.azure import QuotaSource, shared_quota
from cloudcanvas.azure.scanner import ScanProgress, ScanResult, scan_subscriptions
from cloudcanvas.azure.scope import target_of
from cloudcanvas.inventory import first_drawing, repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
HEARTBEAT_EVERY = 1.0  # seconds between heartbeats, whatever the scan is waiting for
# A task delivered again for a running scan whose heartbeat is this old takes it over: the worker
# that had it died (Celery gives a lost worker's task to another at once).
RESUME_AFTER = 5.0
DATABASE_PATIENCE = 300.0  # seconds to keep writing an outcome while the database is away
FAILED_ON_OUR_SIDE = "The scan failed on our side; it was logged. Start it again."


class _Heartbeat:
    """Writes the run's progress every second from its own thread, until stopped or superseded."""

    def __init__(self, database: Database, claim: inventory_service.Claim, every: float) -> None:
        self.database, self.claim, self.every = database, claim, every
        self.superseded = threading.Event()
        self._progress: dict[str, Any] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cloudcanvas-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def progress(self, progress: ScanProgress) -> None:
        self._progress = asdict(progress)  # one reference swap: no lock needed

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.database.session() as session:
                    alive = inventory_service.beat(session, self.claim, self._progress)
            except SQLAlchemyError as error:  # the database is away: beat again next second
                log.warning("scan %s: heartbeat not written (%s)", self.claim.scan_id, type(error))
                continue
            if not alive:
                log.warning(
                    "scan %s: attempt %d superseded", self.claim.scan_id, self.claim.attempt
                )
                self.superseded.set()
                return


def _with_database(database: Database, write: Callable[[Session], T], *, what: str) -> T:
    """Run ``write`` in its own transaction, again and again while the database is unavailable."""
    deadline = time.monotonic() + DATABASE_PATIENCE
    delay = 0.2
    while True:
        try:
            with database.session() as session:
                return write(session)
        except SQLAlchemyError as error:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("%s: database unavailable (%s); trying again", what, type(error).__name__)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _claim(database: Database, scan_id: str) -> inventory_service.Claim | None:
    """Claim the scan; a scan still running elsewhere is waited for until its heartbeat stops."""
    deadline = time.monotonic() + RESUME_AFTER * 3
    while True:
        with database.session() as session:
            cutoff = utcnow() - timedelta(seconds=RESUME_AFTER)
            claim = inventory_service.claim_scan(session, scan_id, resume_before=cutoff)
            if claim is not None:
                return claim
            scan = repository.get_scan(session, scan_id)
            if scan is None or scan.status != "running" or time.monotonic() > deadline:
                return None  # finished, gone, or alive elsewhere: the stale check covers the rest
        time.sleep(HEARTBEAT_EVERY)


def _read_azure(
    azure: account_service.AzureContext,
    claim: inventory_service.Claim,
    beat: _Heartbeat,
    quotas: QuotaSource,
) -> tuple[ScanResult, Inventory]:
    creds = account_service.credentials_of(claim.account, azure.keyring)
    # The account's scope: its subscriptions, every readable one (``all``), or a management group.
    target = target_of(azure.endpoints, creds, claim.subscription_ids, claim.account.scope)
    result = scan_subscriptions(
        azure.endpoints, creds, target, on_progress=beat.progress, quotas=quotas
    )
    return result, build_inventory(result.resources, result.containers)


def _first_drawing(scan_id: str, inventory: Inventory) -> first_drawing.Prepared | None:
    """The viewer's first drawing, made before the scan ends: a large estate's takes seconds,
    which the first visit (the page reloads the moment the scan ends) would otherwise wait for.
    A drawing that fails costs the viewer that wait, never the scan."""
    if not inventory.resources:
        return None
    try:
        return first_drawing.prepare(inventory)
    except Exception:
        log.exception("scan %s: the first drawing could not be prepared", scan_id)
        return None


def run_scan(
    database: Database,
    azure: account_service.AzureContext,
    scan_id: str,
    *,
    quotas: QuotaSource = shared_quota,
) -> None:
    """The scan job: read Azure, normalize, store the snapshot, finish the scan — once.

    ``quotas`` gives each principal's Resource Graph quota: this process's by default, Redis's
    when scans run on several Celery workers.
    """
    claim = _claim(database, scan_id)
    if claim is None:
        return
    with _Heartbeat(database, claim, HEARTBEAT_EVERY) as beat:
        try:
            result, inventory = _read_azure(azure, claim, beat, quotas)
        except Exception:  # a bug must not leave the scan running forever
            log.exception("scan %s failed", scan_id)
            _with_database(
                database,
                lambda s: inventory_service.fail_scan(
                    s, claim, code="internal_error", message=FAILED_ON_OUR_SIDE
                ),
                what=f"scan {scan_id}",
            )
            return
        drawing = _first_drawing(scan_id, inventory)
    if beat.superseded.is_set():
        return  # another run owns the scan now; its outcome is the one that counts
    written = _with_database(
        database,
        lambda s: inventory_service.finish_scan(s, claim, result, inventory, drawing),
        what=f"scan {scan_id}",
    )
    if not written:
        log.warning("scan %s: attempt %d superseded; outcome dropped", scan_id, claim.attempt)
