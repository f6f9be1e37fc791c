"""The Celery application: thin tasks that call ``jobs.tasks`` with the worker's database."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import Celery

from cloudcanvas.config import Settings, get_settings
from cloudcanvas.errors import AppError
from cloudcanvas.jobs import tasks
from cloudcanvas.jobs.gc_tuning import tune_gc
from cloudcanvas.store.database import Database


def make_celery(settings: Settings) -> Celery:
    if not settings.redis_url:
        raise AppError(
            "CLOUDCANVAS_JOBS_BACKEND=celery needs CLOUDCANVAS_REDIS_URL (redis://host:6379/0).",
            code="configuration_error",
        )
    app = Celery("cloudcanvas", broker=settings.redis_url, backend=None)
    app.conf.update(
        task_acks_late=True,  # a worker that dies mid-scan gives the scan back to the queue
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
    )
    app.task(name="cloudcanvas.scan")(_scan)
    return app


@lru_cache(maxsize=1)
def _worker_database() -> Database:
    return Database.connect(get_settings().resolved_database_url)


def _scan(scan_id: str) -> None:
    tasks.run_scan(_worker_database(), get_settings(), scan_id)


def run_worker(settings: Settings, *, concurrency: int = 2, extra: list[str] | None = None) -> None:
    """Run a worker in this process until it is stopped."""
    app = make_celery(settings)
    tune_gc()
    argv: list[Any] = [
        "worker",
        "--loglevel",
        settings.log_level,
        "--concurrency",
        str(concurrency),
    ]
    app.worker_main(argv + list(extra or []))
