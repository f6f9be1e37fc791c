"""The ASGI application: one dispatcher that applies latency, faults and logging to every route."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cloudcanvas.simulator import arm, control, costs, entra, graph, prices
from cloudcanvas.simulator.context import Context, aad_error, arm_error, json_response
from cloudcanvas.simulator.state import Fault, RequestRecord, Token

_GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"


def route_of(method: str, path: str) -> str:
    """The fault/log route name of a request path."""
    lower = path.lower().rstrip("/")
    parts = lower.split("/")
    if lower.endswith("/.well-known/openid-configuration"):
        return "discovery"
    if lower == "/api/retail/prices":
        return "prices"
    if lower.endswith("/oauth2/v2.0/token"):
        return "token"
    if lower == _GRAPH_PATH:
        return "resourcegraph"
    if lower.startswith("/providers/microsoft.management/managementgroups"):
        return "managementgroups"
    if lower.endswith("/providers/microsoft.costmanagement/query"):
        return "costmanagement"
    if lower.endswith("/providers/microsoft.authorization/permissions"):
        return "permissions"
    if "/providers/microsoft.authorization/roleassignments" in lower:
        return "roleassignments"
    if lower in ("/subscriptions", "/tenants") or (len(parts) == 3 and parts[1] == "subscriptions"):
        return "subscriptions"
    return "resource"


def fault_response(fault: Fault, route: str) -> Response:
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(max(0, math.ceil(fault.retry_after)))
    if route in ("token", "discovery"):
        code = 50196 if fault.status == 429 else 90033
        text = "The server is temporarily unavailable (injected fault)."
        response = aad_error(fault.status, "temporarily_unavailable", code, text)
        response.headers.update(headers)
        return response
    if fault.status == 429 and route == "resourcegraph":
        return arm_error(
            429, "RateLimiting", "Client application has been throttled (injected fault).", headers
        )
    if fault.status == 429:
        return arm_error(
            429,
            "SubscriptionRequestsThrottled",
            "Number of 'read' requests exceeded. Please try again after "
            f"'{headers.get('Retry-After', '1')}' seconds after additional tokens are available. "
            "Refer to https://aka.ms/arm-throttling",
            headers,
        )
    if fault.status == 403:
        # What Azure answers when the principal's role on the scope was removed.
        return arm_error(
            403,
            "AuthorizationFailed",
            "The client does not have authorization to perform action "
            "'Microsoft.ResourceGraph/resources/read' over this scope (injected fault).",
            headers,
        )
    return arm_error(
        fault.status,
        "ServiceUnavailable" if fault.status == 503 else "InternalServerError",
        "The service is temporarily unavailable (injected fault). Please retry later.",
        headers,
    )


def _bearer(ctx: Context, request: Request) -> Token | Response:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return arm_error(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        )
    found = ctx.state.tokens.get(header[7:].strip())
    if found is None:
        return arm_error(401, "InvalidAuthenticationToken", "The access token is invalid.")
    if found.expires < time.time():
        return arm_error(
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        )
    return found


async def _handle(ctx: Context, request: Request, route: str) -> tuple[Response, str | None]:
    path = request.url.path
    parts = path.strip("/").split("/")
    if route == "discovery":
        return await entra.discovery(ctx, request, parts[0]), None
    if route == "token":
        return await entra.token(ctx, request, parts[0])
    if route == "prices":  # public: the Retail Prices API takes no token
        return await prices.retail_prices(ctx, request), None
    who = _bearer(ctx, request)
    if isinstance(who, Response):
        return who, None
    if "api-version" not in request.query_params:
        return arm_error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ), who.app_id
    if route == "resourcegraph" and request.method == "POST":
        return await graph.query(ctx, request, who), who.app_id
    if route == "costmanagement" and request.method == "POST":
        return await costs.query(ctx, request, who), who.app_id
    if request.method != "GET":
        return arm_error(405, "MethodNotAllowed", "The simulator only serves reads."), who.app_id
    response = arm.get(ctx, request, who)
    if response.status_code < 400 or response.status_code == 403:
        kind = (
            "tenant"
            if route == "subscriptions" and path.rstrip("/").count("/") == 1
            else "subscription"
        )
        response.headers.update(
            arm.arm_headers(arm.new_request_id(), kind, ctx.state.reads_left(who.object_id))
        )
    return response, who.app_id


async def _hold(ctx: Context) -> None:
    """Keep a request unanswered without blocking the loop; released early when the server stops."""
    release = ctx.state.release
    if release is None:
        await asyncio.sleep(ctx.timeout_hold)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(release.wait(), ctx.timeout_hold)


def make_app(ctx: Context) -> Starlette:
    async def dispatch(request: Request) -> Response:
        started = time.perf_counter()
        route = route_of(request.method, request.url.path)
        app_id: str | None = None
        if ctx.state.latency > 0:
            await asyncio.sleep(ctx.state.latency)
        fault = ctx.state.take_fault(route)
        if fault is not None and fault.timeout:
            await _hold(ctx)
            response: Response = arm_error(
                504, "GatewayTimeout", "The request timed out (injected)."
            )
        elif fault is not None:
            response = fault_response(fault, route)
        else:
            response, app_id = await _handle(ctx, request, route)
        record = RequestRecord(
            request.method,
            request.url.path,
            request.url.query,
            response.status_code,
            app_id,
            route,
            time.perf_counter() - started,
        )
        ctx.state.record(record)
        return response

    async def not_found(request: Request) -> Response:
        return json_response({"error": {"code": "NotFound", "message": "No such route."}}, 404)

    routes: list[Any] = control.routes(ctx)
    routes.append(
        Route("/{path:path}", dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    )
    return Starlette(routes=routes)
