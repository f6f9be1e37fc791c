"""The request guard: what every request passes before any route sees it.

- **Admission**: at most ``max_concurrent`` requests are worked on at once; the next ones are
  answered 503 ``server_busy`` with ``Retry-After`` at once, so that a crowd of clients gets fast
  answers (some of them "later") instead of a queue in which every answer is late.
- **Bodies**: read whole (they are small) before the route runs, within ``max_bytes`` (413, even
  when chunked) and ``body_timeout`` (408 for a body that promises more than it sends).
- **Hostile text**: a NUL byte anywhere (path, query, JSON or form field) is 400
  ``invalid_request``: PostgreSQL cannot store it, and no name or id of ours contains one. JSON
  nested deeper than ``MAX_JSON_DEPTH`` or holding integers beyond 64 bits is 400 too.

Errors are rendered by the ``render`` callable the app gives (JSON under /api, a page elsewhere).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloudcanvas.errors import AppError, BadRequest, PayloadTooLarge, ServerBusy

MAX_BODY_BYTES = 1024 * 1024
# A blueprint of 10,000 nodes is a few MiB of JSON; its own limits (nodes, elements) apply after.
BLUEPRINT_MAX_BYTES = 32 * 1024 * 1024
BLUEPRINT_PATH = "/api/blueprint"
BLUEPRINT_PAGES = "/blueprints/"  # the web editor saves and draws whole documents there too


def body_limit(path: str, default: int) -> int:
    """The most a request body to ``path`` may hold."""
    return (
        max(default, BLUEPRINT_MAX_BYTES)
        if path.startswith((BLUEPRINT_PATH, BLUEPRINT_PAGES))
        else default
    )


MAX_JSON_DEPTH = 32
MAX_JSON_INT = 2**63
UNGUARDED_PREFIXES = ("/static/", "/api/docs/assets/")

Render = Callable[[Request, AppError], Awaitable[Response]]


class RequestTimeout(AppError):
    status_code = 408
    code = "request_timeout"


class _Refused(Exception):
    def __init__(self, error: AppError, *, close: bool = False) -> None:
        self.error, self.close = error, close


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        render: Render,
        max_concurrent: int,
        body_timeout: float,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.app, self.render = app, render
        self.max_concurrent, self.body_timeout, self.max_bytes = (
            max_concurrent,
            body_timeout,
            max_bytes,
        )
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNGUARDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_concurrent:
            await self._answer(scope, receive, send, _Refused(ServerBusy()))
            return
        self.in_flight += 1
        try:
            try:
                check_url(scope)
                body = await self._read_body(scope, receive)
                check_body(scope, body)
            except _Refused as refused:
                await self._answer(scope, receive, send, refused)
                return
            await self.app(scope, _replay(body, receive), send)
        finally:
            self.in_flight -= 1

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        limit = body_limit(str(scope.get("path", "")), self.max_bytes)
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise _Refused(_too_large(limit), close=True)
        if length in (None, "0") and _header(scope, b"transfer-encoding") is None:
            return b""
        chunks, size = [], 0
        deadline = asyncio.get_running_loop().time() + self.body_timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.0, remaining))
            except TimeoutError:
                raise _Refused(
                    RequestTimeout(
                        "The request body did not arrive in time: send as many bytes as "
                        "Content-Length says."
                    ),
                    close=True,
                ) from None
            if message["type"] == "http.disconnect":
                raise _Refused(BadRequest("The client went away."), close=True)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _Refused(_too_large(limit), close=True)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, refused: _Refused) -> None:
        response = await self.render(Request(scope, receive), refused.error)
        retry_after = getattr(refused.error, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        if refused.close:
            # The rest of the body was not read: the connection cannot carry another request.
            response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is over {max_bytes // 1024} KiB; send less.")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _nul(where: str) -> _Refused:
    return _Refused(
        BadRequest(
            f"The {where} contains a NUL character (\\0); remove it.", code="invalid_request"
        )
    )


def check_url(scope: Scope) -> None:
    if "\x00" in scope["path"]:
        raise _nul("URL path")
    query = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query.lower():
        raise _nul("query string")


def check_body(scope: Scope, body: bytes) -> None:
    if not body:
        return
    content_type = (_header(scope, b"content-type") or "").lower()
    if "json" in content_type:
        _check_json(body)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", "replace")
        fields = parse_qsl(text, keep_blank_values=True)
        if "\x00" in text or any("\x00" in k or "\x00" in v for k, v in fields):
            raise _nul("form")
    elif content_type.startswith("multipart/form-data"):
        # Uploaded files may hold any bytes; the text fields are checked where they are read.
        return
    elif b"\x00" in body:
        raise _nul("request body")


def _check_json(body: bytes) -> None:
    try:
        document = json.loads(body, parse_int=_bounded_int)
    except RecursionError:
        raise _Refused(BadRequest(_too_deep())) from None
    except _Refused:
        raise
    except ValueError:
        return  # not JSON: the route says so in its own words
    _walk(document)


def _too_deep() -> str:
    return f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."


def _bounded_int(text: str) -> int:
    if len(text) > 20 or abs(int(text)) >= MAX_JSON_INT:
        raise _Refused(
            BadRequest(f"The JSON body holds an integer beyond 64 bits ({text[:24]}...).")
        )
    return int(text)


def _walk(document: Any) -> None:
    """Depth and NUL check without recursion (the body may be hostile)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise _nul("JSON body")
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _Refused(BadRequest(_too_deep()))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    raise _nul("JSON body")
                stack.append((item, depth + 1))
