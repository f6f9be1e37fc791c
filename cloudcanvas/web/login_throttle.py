"""Failed-login throttling per account and per client address.

Each key (an email, an address) may fail ``limit`` times within ``period`` seconds; then logins
for it are refused with ``Retry-After`` until its oldest failure in the window is older than the
period. Failures decay with time, so no one is ever locked out for good, and a login refused by
the throttle never checks the password (a right guess in the middle of a guessing run is not let
in). State is per server process: several servers each allow the limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from cloudcanvas.errors import RateLimited

MAX_KEYS = 100_000


class _Windows:
    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._failures: dict[str, deque[float]] = {}

    def _window(self, key: str, now: float) -> deque[float]:
        window = self._failures.get(key)
        if window is None:
            if len(self._failures) >= MAX_KEYS:
                self._failures.clear()
            window = self._failures[key] = deque()
        while window and window[0] <= now - self.period:
            window.popleft()
        return window

    def wait(self, key: str, now: float) -> float:
        window = self._window(key, now)
        return window[0] + self.period - now if len(window) >= self.limit else 0.0

    def fail(self, key: str, now: float) -> bool:
        window = self._window(key, now)
        window.append(now)
        return len(window) == self.limit

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)


class LoginThrottle:
    def __init__(self, account: tuple[int, int], address: tuple[int, int]) -> None:
        self._accounts = _Windows(*account)
        self._addresses = _Windows(*address)
        self._lock = threading.Lock()

    def check(self, email: str, address: str) -> None:
        """Raise ``RateLimited`` while the account or the address is throttled."""
        now = time.monotonic()
        with self._lock:
            wait = max(
                self._accounts.wait(email.strip().lower(), now),
                self._addresses.wait(address, now),
            )
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise RateLimited(
                f"Too many failed logins; try again in {seconds} seconds.", retry_after=seconds
            )

    def failed(self, email: str, address: str) -> bool:
        """Count a failure; True when it starts a throttle (worth an audit entry)."""
        now = time.monotonic()
        with self._lock:
            account = self._accounts.fail(email.strip().lower(), now)
            by_address = self._addresses.fail(address, now)
        return account or by_address

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._accounts.forget(email.strip().lower())
