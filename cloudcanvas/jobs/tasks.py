"""The job bodies, shared by the inline runner and Celery: each opens its own sessions."""

from __future__ import annotations

import logging

from cloudcanvas.accounts import service as account_service
from cloudcanvas.blueprint import live as blueprint_live
from cloudcanvas.blueprint import versions as blueprint_versions
from cloudcanvas.config import Settings
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)


def run_scan(database: Database, settings: Settings, scan_id: str) -> None:
    """Run one scan by id."""
    inventory_service.run_scan(
        database, account_service.AzureAccess.from_settings(settings), scan_id
    )
    with database.session() as session:
        scan = inventory_repository.get_scan(session, scan_id)
        if scan is not None and scan.snapshot_id is not None:
            blueprint_live.refresh_live_blueprints(session, account_id=scan.account_id)


def tick(database: Database, settings: Settings) -> list[str]:
    """The schedule: expire secrets, recover scans that lost their worker, start due scans.

    Returns the ids of the scans to enqueue (the caller enqueues them after the commit).
    """
    with database.session() as session:
        expired = account_service.mark_expired_secrets(session)
        for account in expired:
            log.warning("account %s: client secret expired; scanning stops", account.id)
        blueprint_versions.purge(session, retention_days=settings.blueprint_version_retention_days)
        to_run = inventory_service.recover_stale_scans(session)
        interval = settings.scan_interval_delta
        if interval.total_seconds() > 0:
            to_run += inventory_service.start_due_scans(session, interval=interval)
    return to_run
