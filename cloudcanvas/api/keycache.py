"""A short-lived, in-process cache of API keys already looked up.

Authentication and the rate limit run before the route; with the cache a request that is refused
(429, 401 for a known-bad key is not cached) takes no database connection at all, and a busy key
does not read its row on every request. A key revoked on this server is forgotten at once (the
revoking route clears the cache); on other servers within ``ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from cloudcanvas.identity.policy import Actor

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
