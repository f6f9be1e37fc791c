"""The job bodies, shared by the inline runner and Celery: each opens its own sessions."""

from __future__ import annotations

import logging

from cloudcanvas.accounts import service as account_service
from cloudcanvas.config import Settings
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.jobs.redis_quota import redis_quotas
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)


def run_scan(database: Database, settings: Settings, scan_id: str) -> None:
    """Run one scan by id."""
    access = account_service.AzureAccess.from_settings(settings)
    if settings.jobs_backend == "celery" and settings.redis_url:
        # Scans run in several worker processes: they share each principal's quota in Redis.
        quotas = redis_quotas(settings.redis_url)
        scan_job.run_scan(database, access, scan_id, quotas=quotas)
    else:
        scan_job.run_scan(database, access, scan_id)


def tick(database: Database, settings: Settings) -> list[str]:
    """The schedule: expire secrets, recover scans that lost their worker, start due scans.

    Returns the ids of the scans to enqueue (the caller enqueues them after the commit).
    """
    with database.session() as session:
        expired = account_service.mark_expired_secrets(session)
        for account in expired:
            log.warning("account %s: client secret expired; scanning stops", account.id)
        to_run = inventory_service.recover_stale_scans(session)
        interval = settings.scan_interval_delta
        if interval.total_seconds() > 0:
            to_run += inventory_service.start_due_scans(session, interval=interval)
    return to_run
