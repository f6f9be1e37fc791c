"""Security headers on every response.

The pages load scripts only from ``/static`` (no inline script, no event handler attributes), so
the policy forbids inline script. Styles stay ``'unsafe-inline'``: diagrams carry ``style``
attributes and htmx adds its indicator style.

Framing is refused everywhere by default. The hook for a page that may be embedded (a future
blueprint embed) is either of:
- the ``frameable`` predicate given to the middleware (a path test), or
- the route setting its own ``Content-Security-Policy`` / ``X-Frame-Options``: headers a response
  already carries are never overwritten, or
- the route marking its response with ``FRAMEABLE_HEADER: 1`` (``allow_framing``): the middleware
  reads the mark, strips it, and lets any site frame that one response (a shared blueprint whose
  owner opted in to embedding). Without the mark, the default stays "never".
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"
FRAMEABLE_HEADER = "x-cloudcanvas-frameable"  # set by a route, read and removed here


def allow_framing(response: Response) -> Response:
    """Mark one response as embeddable in any site's frame."""
    response.headers[FRAMEABLE_HEADER] = "1"
    return response


def never_frameable(_path: str) -> bool:
    return False


class SecurityHeaders:
    def __init__(
        self,
        app: ASGIApp,
        *,
        hsts: bool,
        frameable: Callable[[str], bool] = never_frameable,
    ) -> None:
        self.app, self.hsts, self.frameable = app, hsts, frameable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        by_path = self.frameable(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                framed = by_path or headers.get(FRAMEABLE_HEADER) == "1"
                if FRAMEABLE_HEADER in headers:
                    del headers[FRAMEABLE_HEADER]
                ancestors = "*" if framed else "'none'"
                headers.setdefault(
                    "Content-Security-Policy", f"{POLICY}; frame-ancestors {ancestors}"
                )
                if not framed:
                    headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
