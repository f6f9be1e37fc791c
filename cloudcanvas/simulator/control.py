"""Faults and changes to the live environment, as functions and as the /_simulator control API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cloudcanvas.simulator import access
from cloudcanvas.simulator.context import Context, json_response
from cloudcanvas.simulator.environment import Principal, RoleAssignment, Secret, new_secret_value
from cloudcanvas.simulator.state import ROUTES, Fault

STATES = ("Enabled", "Warned", "PastDue", "Disabled", "Deleted")


def _principal(ctx: Context, app_id: str) -> Principal:
    found = ctx.env.principal_by_app(app_id)
    if found is None:
        raise KeyError(f"no principal with application id {app_id}")
    return found


def inject_fault(
    ctx: Context,
    route: str,
    *,
    status: int = 503,
    count: int = 1,
    retry_after: float | None = None,
    timeout: bool = False,
) -> None:
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}: use one of {', '.join(ROUTES)}")
    with ctx.state.lock:
        ctx.state.faults.append(Fault(route, status, count, retry_after, timeout))


def clear_faults(ctx: Context) -> None:
    with ctx.state.lock:
        ctx.state.faults.clear()


def expire_secret(ctx: Context, app_id: str) -> None:
    """Every secret of the application expires now (a second ago)."""
    with ctx.env_lock:
        past = datetime.now(UTC) - timedelta(seconds=1)
        for secret in _principal(ctx, app_id).secrets:
            secret.expires_at = past
        ctx.env.touch()


def rotate_secret(ctx: Context, app_id: str, expires_at: datetime | None = None) -> str:
    """Replace every secret of the application with a new one; returns its value."""
    value = new_secret_value()
    when = expires_at or datetime.now(UTC) + timedelta(days=365)
    with ctx.env_lock:
        _principal(ctx, app_id).secrets = [Secret(str(uuid.uuid4()), value, when)]
        ctx.env.touch()
    return value


def grant_role(ctx: Context, object_id: str, scope: str, role: str = "Reader") -> None:
    canonical = access.role(role).name
    with ctx.env_lock:
        ctx.env.role_assignments.append(RoleAssignment(object_id, scope, canonical))
        ctx.env.touch()


def revoke_role(ctx: Context, object_id: str, scope: str) -> None:
    """Remove every assignment of the principal at exactly this scope."""
    with ctx.env_lock:
        ctx.env.role_assignments = [
            a
            for a in ctx.env.role_assignments
            if not (
                a.principal_id.lower() == object_id.lower()
                and a.scope.lower().rstrip("/") == scope.lower().rstrip("/")
            )
        ]
        ctx.env.touch()


def set_subscription_state(ctx: Context, subscription_id: str, state: str) -> None:
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    with ctx.env_lock:
        sub = ctx.env.subscription(subscription_id)
        if sub is None:
            raise KeyError(f"no subscription {subscription_id}")
        sub.state = state
        ctx.env.touch()


# --- the HTTP control API (no authentication: loopback only, for tests and demos) ------------


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    data = json.loads(raw) if raw else {}
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


async def _faults(ctx: Context, request: Request) -> Response:
    if request.method == "DELETE":
        clear_faults(ctx)
    elif request.method == "POST":
        d = await _json(request)
        inject_fault(
            ctx,
            str(d.get("route", "*")),
            status=int(d.get("status", 503)),
            count=int(d.get("count", 1)),
            retry_after=d.get("retryAfter"),
            timeout=bool(d.get("timeout", False)),
        )
    return json_response({"faults": [f.to_dict() for f in ctx.state.faults]})


async def _latency(ctx: Context, request: Request) -> Response:
    if request.method == "POST":
        ctx.state.latency = max(0.0, float((await _json(request)).get("seconds", 0.0)))
    return json_response({"seconds": ctx.state.latency})


async def _drift(ctx: Context, request: Request) -> Response:
    if request.method == "POST":
        ctx.drift_step()
    drift = ctx.drift
    return json_response(
        {
            "enabled": drift is not None,
            "seed": drift.seed if drift else None,
            "intervalSeconds": drift.interval if drift else None,
            "steps": [s.to_dict() for s in drift.steps] if drift else [],
        }
    )


async def _expire(ctx: Context, request: Request) -> Response:
    expire_secret(ctx, request.path_params["app_id"])
    return json_response({"expired": request.path_params["app_id"]})


async def _rotate(ctx: Context, request: Request) -> Response:
    value = rotate_secret(ctx, request.path_params["app_id"])
    return json_response({"appId": request.path_params["app_id"], "secret": value})


async def _roles(ctx: Context, request: Request) -> Response:
    if request.method != "GET":
        d = await _json(request)
        if request.method == "POST":
            grant_role(ctx, str(d["objectId"]), str(d["scope"]), str(d.get("role", "Reader")))
        else:
            revoke_role(ctx, str(d["objectId"]), str(d["scope"]))
    return json_response({"roleAssignments": [a.to_dict() for a in ctx.env.role_assignments]})


async def _subscription_state(ctx: Context, request: Request) -> Response:
    state = str((await _json(request))["state"])
    set_subscription_state(ctx, request.path_params["sid"], state)
    return json_response({"subscriptionId": request.path_params["sid"], "state": state})


async def _requests(ctx: Context, request: Request) -> Response:
    if request.method == "DELETE":
        with ctx.state.lock:
            ctx.state.requests.clear()
    return json_response({"requests": [r.to_dict() for r in list(ctx.state.requests)]})


async def _environment(ctx: Context, request: Request) -> Response:
    summary = ctx.env.to_dict()
    summary["principals"] = [_public(p) for p in ctx.env.principals]
    summary["resources"] = len(ctx.env.resources)
    return json_response(summary)


_Handler = Callable[[Context, Request], Awaitable[Response]]
_CONTROL: list[tuple[str, _Handler, list[str]]] = [
    ("/_simulator/faults", _faults, ["GET", "POST", "DELETE"]),
    ("/_simulator/latency", _latency, ["GET", "POST"]),
    ("/_simulator/drift", _drift, ["GET", "POST"]),
    ("/_simulator/secrets/{app_id}/expire", _expire, ["POST"]),
    ("/_simulator/secrets/{app_id}/rotate", _rotate, ["POST"]),
    ("/_simulator/roles", _roles, ["GET", "POST", "DELETE"]),
    ("/_simulator/subscriptions/{sid}/state", _subscription_state, ["POST"]),
    ("/_simulator/requests", _requests, ["GET", "DELETE"]),
    ("/_simulator/environment", _environment, ["GET"]),
]


def routes(ctx: Context) -> list[Route]:
    return [
        Route(path, _guard(ctx, handler), methods=methods) for path, handler, methods in _CONTROL
    ]


def _public(p: Principal) -> dict[str, Any]:
    data = p.to_dict()
    data["secrets"] = [
        {"id": s.id, "hint": s.hint, "expiresAt": s.to_dict()["expiresAt"]} for s in p.secrets
    ]
    return data


def _guard(ctx: Context, handler: _Handler) -> Callable[[Request], Awaitable[Response]]:
    """Bind a handler to the simulator; a bad request body is a 400 in ARM's shape."""

    async def guarded(request: Request) -> Response:
        try:
            return await handler(ctx, request)
        except (KeyError, ValueError, TypeError) as exc:
            return json_response({"error": {"code": "BadRequest", "message": str(exc)}}, 400)

    return guarded
