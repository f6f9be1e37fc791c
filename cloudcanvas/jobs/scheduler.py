"""A background thread that runs ``tasks.tick`` every few seconds in the server (and workers).

Several servers may tick at once: the one-active-scan-per-account constraint keeps them from
starting the same scan twice.
"""

from __future__ import annotations

import logging
import threading

from cloudcanvas.config import Settings
from cloudcanvas.jobs import tasks
from cloudcanvas.jobs.queue import JobQueue
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self, database: Database, settings: Settings, queue: JobQueue, every: float = 30.0
    ) -> None:
        self.database, self.settings, self.queue, self.every = database, settings, queue, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cloudcanvas-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def run_once(self) -> list[str]:
        scan_ids = tasks.tick(self.database, self.settings)
        for scan_id in scan_ids:
            self.queue.enqueue_scan(scan_id)
        return scan_ids

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.run_once()
            except Exception:
                log.exception("scheduler tick failed")
