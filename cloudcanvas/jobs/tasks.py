"""The job bodies, shared by the inline runner and Celery: each opens its own sessions."""

from __future__ import annotations

import logging
import time

from cloudcanvas.accounts import service as account_service
from cloudcanvas.blueprint import live as blueprint_live
from cloudcanvas.blueprint import versions as blueprint_versions
from cloudcanvas.config import Settings
from cloudcanvas.cost import service as cost_service
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.jobs.redis_quota import redis_quotas
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)
_last_price_attempt: dict[int, float] = {}  # per database, this process's last refresh attempt


def run_scan(database: Database, settings: Settings, scan_id: str) -> None:
    """Run one scan by id."""
    azure = account_service.AzureContext.from_settings(settings)
    if settings.jobs_backend == "celery" and settings.redis_url:
        # Scans run in several worker processes: they share each principal's quota in Redis.
        quotas = redis_quotas(settings.redis_url)
        scan_job.run_scan(database, azure, scan_id, quotas=quotas)
    else:
        scan_job.run_scan(database, azure, scan_id)
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
    refresh_prices_if_due(database, settings)
    return to_run


def refresh_prices_if_due(database: Database, settings: Settings) -> bool:
    """The daily price refresh (CLOUDCANVAS_PRICES_REFRESH_INTERVAL), in its own session so a
    price list outage never holds back the scan schedule; returns whether it ran."""
    interval = settings.prices_refresh_delta
    if interval.total_seconds() <= 0:
        return False
    # A price list that stays down must not make every 30-second tick read every snapshot again.
    now = time.monotonic()
    if now - _last_price_attempt.get(id(database), -1e9) < min(interval.total_seconds(), 3600):
        return False
    _last_price_attempt[id(database)] = now
    with database.session() as session:
        if not cost_service.prices_due(session, interval=interval):
            return False
        done = cost_service.refresh_prices(session, settings=settings)
    if done.error:
        log.warning("price refresh: %s; cached prices kept", done.error)
    return True
