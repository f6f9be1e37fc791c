"""The API at the root as well as under ``/api``.

The cloudcraftco SDK adds ``/api`` only when the host is ``localhost``; with a real host name it
calls ``/blueprint``, ``/azure/account``, ``/user/me`` and ``/team`` at the root. A request there
that carries ``Authorization: Bearer`` is an API call and is served as ``/api/...``; the web UI
(cookies, no bearer header) keeps its own paths.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

ROOT_API_PREFIXES = ("/blueprint", "/azure/account", "/user/me", "/team")


def _is_root_api(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in ROOT_API_PREFIXES)


def _has_bearer(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            return bool(value[:7].lower() == b"bearer ")
    return False


class RootApiMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_root_api(scope["path"]) and _has_bearer(scope):
            scope = dict(scope)
            scope["path"] = "/api" + scope["path"]
            raw = scope.get("raw_path")
            if isinstance(raw, bytes):
                scope["raw_path"] = b"/api" + raw
        await self.app(scope, receive, send)
