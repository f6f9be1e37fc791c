import os
import uuid

import pytest

from cloudcanvas.api.ratelimit import MemoryRateLimiter, RedisRateLimiter
from cloudcanvas.errors import RateLimited

REDIS_URL = os.environ.get("CLOUDCANVAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_memory_limiter_counts_per_key():
    limiter = MemoryRateLimiter(2, 10)
    limiter.hit("a")
    limiter.hit("a")
    limiter.hit("b")
    with pytest.raises(RateLimited) as info:
        limiter.hit("a")
    assert 1 <= info.value.retry_after <= 10


def test_two_servers_share_one_limit_through_redis():
    key = str(uuid.uuid4())
    first, second = RedisRateLimiter(REDIS_URL, 3, 10), RedisRateLimiter(REDIS_URL, 3, 10)
    first.hit(key)
    second.hit(key)
    first.hit(key)
    with pytest.raises(RateLimited):
        second.hit(key)
