"""A short-lived, in-process cache of API keys already looked up.

Authentication and the rate limit run before the route; with the cache a request that is refused
(429, 401 for a known-bad key is not cached) takes no database connection at all, and a busy key
does not read its row on every request. ``KeyUses`` writes the keys' ``last_used_at`` in batches. A key revoked on this server is forgotten at once (the
revoking route clears the cache); on other servers within ``ttl`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.database import Database

log = logging.getLogger(__name__)

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class CachedKey:
    key_id: str
    actor: Actor
    expires: float


class KeyCache:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, CachedKey] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> CachedKey | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            entry = self._entries.get(digest)
            if entry is not None and entry.expires <= time.monotonic():
                del self._entries[digest]
                return None
            return entry

    def put(self, digest: str, key_id: str, actor: Actor) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = CachedKey(key_id, actor, time.monotonic() + self.ttl)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class KeyUses:
    """``last_used_at`` of the keys, collected in memory and written in one transaction every
    ``interval`` seconds (and at shutdown) by a thread of its own.

    Written in the request, each key's first use would be a write transaction of its own: on
    SQLite they queue for the one write lock (each with its fsync), on PostgreSQL they lock the
    key's row; either way a crowd of keys serializes. A server that dies loses at most
    ``interval`` seconds of "last used" times, which is bookkeeping, not data.
    """

    def __init__(self, database: Database, interval: float = 30.0) -> None:
        self.database, self.interval = database, interval
        self._pending: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def note(self, key_id: str) -> None:
        with self._lock:
            self._pending[key_id] = utcnow()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cloudcanvas-key-uses", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            with self.database.session() as session:
                identity_service.record_key_uses(session, pending)
        except SQLAlchemyError as error:
            log.warning("last_used_at of %d keys not written: %s", len(pending), error)
            with self._lock:  # keep them for the next try, unless newer uses replaced them
                for key_id, used_at in pending.items():
                    self._pending.setdefault(key_id, used_at)
