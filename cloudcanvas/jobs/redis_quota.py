"""A principal's Resource Graph quota kept in Redis, so that every Celery worker spends one count.

Azure counts queries per principal (tenant, client id): workers that each kept their own count
would together overrun the window. The state is three keys per principal, changed only by Lua
scripts (atomic in Redis), on Redis's clock.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import lru_cache

import redis

from cloudcanvas.azure import (
    REMAINING,
    RESETS_AFTER,
    DeadlineExceeded,
    PrincipalQuota,
    QuotaSource,
    parse_resets_after,
)

_MARGIN = 0.05
# KEYS: remaining, resets_at, blocked_until, probe. Returns seconds to wait ("0": send now).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if blocked > now then return tostring(blocked - now) end
local resets = tonumber(redis.call('GET', KEYS[2]) or '0')
local remaining = redis.call('GET', KEYS[1])
if remaining == false or resets <= now then
  if redis.call('SET', KEYS[4], '1', 'NX', 'PX', 10000) then return '0' end
  return '0.02'
end
if tonumber(remaining) > 0 then
  redis.call('DECR', KEYS[1])
  return '0'
end
return tostring(resets - now)
"""
# ARGV: remaining, resets_after (seconds), or both empty when the answer said nothing.
_RELEASE = """
redis.call('DEL', KEYS[4])
if ARGV[1] == '' then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local left, resets_at = tonumber(ARGV[1]), now + tonumber(ARGV[2])
local current = redis.call('GET', KEYS[1])
local old_reset = tonumber(redis.call('GET', KEYS[2]) or '0')
if current ~= false and old_reset > now then
  left = math.min(tonumber(current), left)
  resets_at = math.max(old_reset, resets_at)
end
redis.call('SET', KEYS[1], left, 'PX', 600000)
redis.call('SET', KEYS[2], tostring(resets_at), 'PX', 600000)
return 1
"""
_BLOCK = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1e6 + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], tostring(until_), 'PX', 600000)
end
return 1
"""


class RedisQuota:
    """One principal's quota window, shared by every process that uses this Redis."""

    def __init__(self, client: redis.Redis[bytes], tenant_id: str, client_id: str) -> None:
        prefix = f"cloudcanvas:quota:{tenant_id.strip().lower()}:{client_id.strip().lower()}"
        self._keys = [f"{prefix}:{name}" for name in ("remaining", "resets", "blocked", "probe")]
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)
        self._block = client.register_script(_BLOCK)

    def acquire(self, deadline: float) -> None:
        while True:
            wait = float(self._acquire(keys=self._keys))
            if wait <= 0:
                return
            if time.monotonic() + wait > deadline:
                raise DeadlineExceeded
            time.sleep(wait + _MARGIN)

    def release(self, headers: Mapping[str, str] | None) -> None:
        remaining = (headers or {}).get(REMAINING, "").strip()
        resets = parse_resets_after((headers or {}).get(RESETS_AFTER))
        if not remaining.lstrip("-").isdigit() or resets is None:
            self._release(keys=self._keys, args=["", ""])
            return
        self._release(keys=self._keys, args=[max(int(remaining), 0), resets])

    def block(self, seconds: float) -> None:
        self._block(keys=self._keys, args=[seconds])


@lru_cache(maxsize=4)
def redis_quotas(url: str) -> QuotaSource:
    """The quota source of the workers using this Redis (one connection pool per process)."""
    client = redis.Redis.from_url(url)

    def quota_of(tenant_id: str, client_id: str) -> PrincipalQuota:
        return RedisQuota(client, tenant_id, client_id)

    return quota_of
