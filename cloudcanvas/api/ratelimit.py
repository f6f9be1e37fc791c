"""Per-key rate limiting: in-process by default, shared through Redis so several servers agree."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Protocol

from cloudcanvas.errors import RateLimited


class RateLimiter(Protocol):
    def hit(self, key: str) -> None:
        """Count one request for ``key``; raise ``RateLimited`` when over the limit."""


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
        now = time.monotonic()
        with self._lock:
            window = self._hits.setdefault(key, deque())
            while window and window[0] <= now - self.period:
                window.popleft()
            if len(window) >= self.limit:
                raise _refuse(self.limit, self.period, window[0] + self.period - now)
            window.append(now)


class RedisRateLimiter:
    """A sliding window per key in a Redis sorted set, shared by every server."""

    def __init__(self, url: str, limit: int, period: int) -> None:
        import redis

        self.limit, self.period = limit, period
        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str) -> None:
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
        pipe = self._redis.pipeline()
        pipe.zadd(name, {f"{now:.6f}:{time.perf_counter_ns()}": now})
        pipe.expire(name, self.period + 1)
        pipe.execute()


def make_rate_limiter(limit: int, period: int, redis_url: str | None) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, limit, period)
    return MemoryRateLimiter(limit, period)
