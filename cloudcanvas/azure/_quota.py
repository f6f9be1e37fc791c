"""Resource Graph's per-principal query quota, shared by every thread that queries as that principal.

Resource Graph answers each query with ``x-ms-user-quota-remaining`` (queries left in the window)
and ``x-ms-user-quota-resets-after`` (``hh:mm:ss`` until the window resets). We spend the quota
ourselves and wait for the reset instead of running into 429s.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

REMAINING = "x-ms-user-quota-remaining"
RESETS_AFTER = "x-ms-user-quota-resets-after"
_PROBES = 1  # queries in flight while we do not know the quota yet: the first answer tells
_MARGIN = 0.05  # seconds added to a reset time: clocks differ a little


class DeadlineExceeded(Exception):
    """The scan's time is up before the quota allows another query."""


def parse_resets_after(text: str | None) -> float | None:
    """``00:00:04`` or ``00:00:04.5`` → seconds; None when missing or malformed."""
    if not text:
        return None
    try:
        parts = [float(p) for p in text.strip().split(":")]
    except ValueError:
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return max(seconds, 0.0)


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``Retry-After`` (or the ``-ms`` variants); None when absent."""
    for name, scale in (("retry-after-ms", 0.001), ("x-ms-retry-after-ms", 0.001)):
        value = headers.get(name)
        if value and value.strip().replace(".", "", 1).isdigit():
            return float(value) * scale
    value = headers.get("retry-after")
    if value and value.strip().replace(".", "", 1).isdigit():
        return float(value)
    return None


def backoff(attempt: int, *, base: float = 0.25, cap: float = 8.0) -> float:
    """Exponential backoff with full jitter around the nominal delay."""
    nominal = min(cap, base * 2.0**attempt)
    return float(nominal * random.uniform(0.5, 1.5))


class PrincipalQuota(Protocol):
    """What a scan needs of a principal's quota, wherever its state is kept."""

    def acquire(self, deadline: float) -> None: ...

    def release(self, headers: Mapping[str, str] | None) -> None: ...

    def block(self, seconds: float) -> None: ...


# (tenant id, client id) → that principal's quota; how scans find the quota they share.
QuotaSource = Callable[[str, str], PrincipalQuota]


class Quota:
    """One principal's quota window, as the last answers describe it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._remaining: int | None = None
        self._limit: int | None = None  # the most a window ever had left, plus the query spent
        self._resets_at = 0.0
        self._blocked_until = 0.0
        self._in_flight = 0
        self._fresh = True  # no answer yet from the current window

    def acquire(self, deadline: float) -> None:
        """Wait until a query may be sent, and count it as sent."""
        while True:
            with self._lock:
                now = time.monotonic()
                if self._remaining is not None and now >= self._resets_at:
                    # A new window: as much as the last one had, until Azure says otherwise.
                    self._remaining, self._resets_at, self._fresh = self._limit, math.inf, True
                if self._remaining == 0 and self._resets_at == math.inf and not self._in_flight:
                    # Spent a window no answer described (503s carry no quota headers): probe
                    # again rather than wait for a reset nobody announced.
                    self._remaining = None
                wait = self._blocked_until - now
                if wait <= 0 and self._may_send():
                    if self._remaining is not None:
                        self._remaining -= 1
                    self._in_flight += 1
                    return
                if wait <= 0:
                    known = self._remaining == 0 and self._resets_at != math.inf
                    wait = self._resets_at - now if known else 0.02
            if now + wait > deadline:
                raise DeadlineExceeded
            time.sleep(wait + _MARGIN)

    def _may_send(self) -> bool:
        if self._remaining is None:
            return self._in_flight < _PROBES
        return self._remaining > 0

    def release(self, headers: Mapping[str, str] | None) -> None:
        """The answer to a query arrived (or it failed); learn the quota from its headers."""
        with self._lock:
            self._in_flight = max(self._in_flight - 1, 0)
            if headers is None:
                return
            remaining, resets = (
                headers.get(REMAINING),
                parse_resets_after(headers.get(RESETS_AFTER)),
            )
            if remaining is None or not remaining.strip().lstrip("-").isdigit() or resets is None:
                return
            # Queries still in flight were counted by Azure after this answer, or will be.
            left = max(int(remaining) - self._in_flight, 0)
            self._limit = max(self._limit or 0, int(remaining) + 1)
            now = time.monotonic()
            if self._fresh or self._remaining is None:
                self._remaining, self._resets_at, self._fresh = left, now + resets, False
            else:
                # Same window: answers arrive out of order, so the lowest count is the true one.
                self._remaining = min(self._remaining, left)
                self._resets_at = max(self._resets_at, now + resets)

    def block(self, seconds: float) -> None:
        """Throttled: nobody queries as this principal for ``seconds``."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, time.monotonic() + seconds)


_shared: dict[tuple[str, str], Quota] = {}
_shared_lock = threading.Lock()


def shared_quota(tenant_id: str, client_id: str) -> Quota:
    """The one quota of this principal in this process: every scan of its accounts spends it.

    Azure counts queries per principal, not per scan; scans that each kept their own count
    together sent more than the window allows and collected 429s.
    """
    key = (tenant_id.strip().lower(), client_id.strip().lower())
    with _shared_lock:
        quota = _shared.get(key)
        if quota is None:
            quota = _shared[key] = Quota()
        return quota
