"""Runtime state of a running simulator: issued tokens, faults, quota windows, the request log."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import threading
import time
import uuid
from dataclasses import dataclass, field

ROUTES = (
    "token",
    "discovery",
    "subscriptions",
    "permissions",
    "roleassignments",
    "resourcegraph",
    "managementgroups",
    "resource",
    "prices",
    "costmanagement",
    "*",
)


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: str
    status: int
    app_id: str | None
    route: str
    duration: float

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "appId": self.app_id,
            "route": self.route,
            "duration": self.duration,
        }


@dataclass
class Fault:
    route: str
    status: int = 503
    count: int = 1
    retry_after: float | None = None
    timeout: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "route": self.route,
            "status": self.status,
            "count": self.count,
            "retryAfter": self.retry_after,
            "timeout": self.timeout,
        }


@dataclass(frozen=True)
class Token:
    app_id: str
    object_id: str
    tenant_id: str
    expires: float


@dataclass
class _Window:
    start: float
    used: int = 0


@dataclass
class QuotaAnswer:
    allowed: bool
    remaining: int
    resets_after: float

    @property
    def resets_after_text(self) -> str:
        seconds = max(0, math.ceil(self.resets_after))
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class GraphQuota:
    """Per-principal fixed window: `limit` queries per `window` seconds, like Resource Graph."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def take(self, principal: str) -> QuotaAnswer:
        now = time.monotonic()
        with self._lock:
            win = self._windows.get(principal)
            if win is None or now - win.start >= self.window:
                win = self._windows[principal] = _Window(now)
            left = win.start + self.window - now
            if win.used >= self.limit:
                return QuotaAnswer(False, 0, left)
            win.used += 1
            return QuotaAnswer(True, self.limit - win.used, left)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


@dataclass
class State:
    latency: float = 0.0
    faults: list[Fault] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    tokens: dict[str, Token] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: asyncio.Event | None = None
    reads: dict[str, tuple[float, int]] = field(default_factory=dict)

    def reads_left(self, object_id: str) -> int:
        """ARM's remaining-reads figure: 12,000 reads an hour per principal, counted down."""
        now = time.monotonic()
        with self.lock:
            start, used = self.reads.get(object_id, (now, 0))
            if now - start >= 3600:
                start, used = now, 0
            self.reads[object_id] = (start, used + 1)
        return max(0, 11999 - used)

    def take_fault(self, route: str) -> Fault | None:
        """The first armed fault for this route (or "*"), consuming one of its uses."""
        with self.lock:
            for fault in self.faults:
                if fault.route in (route, "*") and fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def issue_token(self, app_id: str, object_id: str, tenant_id: str, lifetime: int) -> str:
        now = int(time.time())
        header: dict[str, object] = {"typ": "JWT", "alg": "none"}
        claims = {
            "aud": "https://management.azure.com/",
            "iss": f"https://sts.windows.net/{tenant_id}/",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "appid": app_id,
            "oid": object_id,
            "sub": object_id,
            "tid": tenant_id,
            "idtyp": "app",
            "uti": uuid.uuid4().hex,
        }
        token = ".".join(
            (_b64(header), _b64(claims), base64.urlsafe_b64encode(uuid.uuid4().bytes).decode())
        )
        with self.lock:
            self.tokens[token] = Token(app_id, object_id, tenant_id, time.time() + lifetime)
        return token

    def record(self, record: RequestRecord) -> None:
        with self.lock:
            self.requests.append(record)
            if len(self.requests) > 100_000:
                del self.requests[:50_000]


def _b64(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
