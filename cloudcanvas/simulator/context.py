"""What every request handler sees: the environment, the runtime state, and response helpers."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from cloudcanvas.simulator.drift import Drift, DriftStep
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.state import GraphQuota, State


@dataclass
class Context:
    env: Environment
    state: State
    quota: GraphQuota
    page_size: int = 100
    token_lifetime: int = 3599
    timeout_hold: float = 30.0
    env_lock: threading.RLock = field(default_factory=threading.RLock)
    cache: dict[Any, Any] = field(default_factory=dict)
    results: dict[Any, Any] = field(default_factory=dict)
    cache_version: tuple[int, int] = (-1, -1)
    drift: Drift | None = None

    def drift_step(self) -> DriftStep:
        """Take the next drift step now (drift must be on)."""
        if self.drift is None:
            raise ValueError("drift is off: start the simulator with a drift seed")
        with self.env_lock:
            return self.drift.step(self.env)

    def drift_if_due(self) -> None:
        """Take a drift step when one is due (called as a new Resource Graph query starts)."""
        if self.drift is not None and self.drift.due():
            with self.env_lock:
                if self.drift.due():
                    self.drift.step(self.env)

    def cached(self, key: Any, build: Callable[[], Any]) -> Any:
        """A value derived from the environment, rebuilt whenever the environment changes."""
        version = (self.env.version, len(self.env.resources))
        if version != self.cache_version:
            self.cache.clear()
            self.results.clear()
            self.cache_version = version
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers=headers,
        media_type="application/json; charset=utf-8",
    )


def arm_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return json_response({"error": {"code": code, "message": message}}, status, headers)


def aad_error(status: int, error: str, code: int, description: str) -> Response:
    """An Entra ID (AADSTS) error body, as login.microsoftonline.com sends it."""
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    text = (
        f"AADSTS{code}: {description}\r\nTrace ID: {trace}\r\n"
        f"Correlation ID: {correlation}\r\nTimestamp: {stamp}"
    )
    body = {
        "error": error,
        "error_description": text,
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": correlation,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    return json_response(body, status)
