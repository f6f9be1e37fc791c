"""What every response gets, API or page: security headers, and no NUL byte in a path or query."""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script anywhere in the UI (every script is a static file); style attributes remain.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI starts itself with an inline script that FastAPI writes.
DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
)
DOCS_PATH = "/api/docs"


class SecurityHeadersMiddleware:
    """Adds the security headers a response has not set itself.

    A page that may be framed (a shared blueprint with embedding allowed) sets its own
    ``Content-Security-Policy`` and ``X-Frame-Options``; those are kept as they are.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = (
            DOCS_CONTENT_SECURITY_POLICY
            if scope["path"].startswith(DOCS_PATH)
            else CONTENT_SECURITY_POLICY
        )
        defaults = [
            (b"content-security-policy", policy.encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]
        if self.hsts:
            defaults.append((b"strict-transport-security", b"max-age=31536000"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in defaults if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class NulGuardMiddleware:
    """A NUL byte in the path or query is refused at the door (400), before any route or database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            await _refuse(scope, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    query: bytes = scope.get("query_string", b"")
    return "\x00" in path or b"\x00" in unquote_to_bytes(query)


async def _refuse(scope: Scope, send: Send) -> None:
    message = "The address contains a NUL character (%00); remove it and try again."
    if scope["path"].startswith("/api") or _wants_json(scope):
        body = json.dumps({"error": message, "code": "invalid_request"}).encode()
        content_type = b"application/json"
    else:
        body = f"<!doctype html><title>Bad request</title><p>{message}</p>".encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", content_type), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _wants_json(scope: Scope) -> bool:
    return any(
        name == b"authorization" and value.lower().startswith(b"bearer ")
        for name, value in scope.get("headers", [])
    )


class LoadShedMiddleware:
    """Past ``limit`` requests in progress, answer 503 with Retry-After at once.

    Queued requests only grow everyone's wait (and hold their sockets) until they time out; a
    prompt 503 that says when to retry keeps the answers that are given fast.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit, self.in_flight = app, limit, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await _busy(scope, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _busy(scope: Scope, send: Send) -> None:
    message = "The server is busy with other requests; retry in a second."
    if scope["path"].startswith("/api") or _wants_json(scope):
        body = json.dumps({"error": message, "code": "server_busy"}).encode()
        content_type = b"application/json"
    else:
        body = f"<!doctype html><title>Busy</title><p>{message}</p>".encode()
        content_type = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", b"%d" % len(body)),
        (b"retry-after", b"1"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
