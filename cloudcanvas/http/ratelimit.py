"""Per-key rate limiting: in-process by default, shared through Redis so several servers agree."""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import deque
from typing import Protocol

from cloudcanvas.errors import RateLimited


class RateLimiter(Protocol):
    def hit(self, key: str) -> None:
        """Count one request for ``key``; raise ``RateLimited`` when over the limit."""

    def check(self, key: str) -> None:
        """Raise ``RateLimited`` when ``key`` is over the limit, without counting a request."""


def _refuse(limit: int, period: int, retry_after: float) -> RateLimited:
    return RateLimited(
        f"Rate limit exceeded: {limit} requests per {period} seconds for this API key; "
        f"retry after {math.ceil(retry_after)} seconds.",
        retry_after=max(1, math.ceil(retry_after)),
    )


class MemoryRateLimiter:
    """A sliding window per key, for one process."""

    def __init__(self, limit: int, period: int) -> None:
        self.limit, self.period = limit, period
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        self._count(key, add=True)

    def check(self, key: str) -> None:
        self._count(key, add=False)

    def _count(self, key: str, *, add: bool) -> None:
        now = time.monotonic()
        with self._lock:
            window = self._hits.setdefault(key, deque())
            while window and window[0] <= now - self.period:
                window.popleft()
            if len(window) >= self.limit:
                raise _refuse(self.limit, self.period, window[0] + self.period - now)
            if add:
                window.append(now)
            elif not window:
                del self._hits[key]


class RedisRateLimiter:
    """A sliding window per key in a Redis sorted set, shared by every server."""

    def __init__(self, url: str, limit: int, period: int) -> None:
        import redis

        self.limit, self.period = limit, period
        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str) -> None:
        now, name = self._count(key)
        pipe = self._redis.pipeline()
        pipe.zadd(name, {f"{now:.6f}:{time.perf_counter_ns()}": now})
        pipe.expire(name, self.period + 1)
        pipe.execute()

    def check(self, key: str) -> None:
        self._count(key)

    def _count(self, key: str) -> tuple[float, str]:
        now = time.time()
        name = f"cloudcanvas:ratelimit:{key}"
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(name, 0, now - self.period)
        pipe.zcard(name)
        pipe.zrange(name, 0, 0, withscores=True)
        _, count, oldest = pipe.execute()
        if int(count) >= self.limit:
            first = float(oldest[0][1]) if oldest else now
            raise _refuse(self.limit, self.period, first + self.period - now)
        return now, name


def make_rate_limiter(limit: int, period: int, redis_url: str | None) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, limit, period)
    return MemoryRateLimiter(limit, period)


# Failed logins allowed per account and per client address in a sliding window. A window, not a
# counter: nobody is ever locked out for longer than the window, and the right password waits too.
LOGIN_FAILURES_PER_ACCOUNT = (10, 600)
LOGIN_FAILURES_PER_ADDRESS = (30, 600)


class LoginThrottle:
    """Counts failed logins by account and by client address; refuses attempts over either."""

    def __init__(self, redis_url: str | None) -> None:
        self.by_account = make_rate_limiter(*LOGIN_FAILURES_PER_ACCOUNT, redis_url)
        self.by_address = make_rate_limiter(*LOGIN_FAILURES_PER_ADDRESS, redis_url)

    def check(self, *, email: str, address: str) -> None:
        """Raise ``RateLimited`` (with a login message) when either has failed too often."""
        try:
            self.by_account.check(_account_key(email))
            self.by_address.check(f"login-address:{address}")
        except RateLimited as refused:
            raise RateLimited(
                "Too many failed logins; wait "
                f"{refused.retry_after} seconds and try again, or reset the password.",
                retry_after=refused.retry_after,
            ) from None

    def failed(self, *, email: str, address: str) -> None:
        for limiter, key in (
            (self.by_account, _account_key(email)),
            (self.by_address, f"login-address:{address}"),
        ):
            with contextlib.suppress(RateLimited):  # already over: check() refuses the next one
                limiter.hit(key)


def _account_key(email: str) -> str:
    return "login-account:" + email.strip().lower()
