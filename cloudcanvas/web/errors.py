"""Errors in the web UI: a page that says what went wrong and what to do."""

from __future__ import annotations

from html import escape

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cloudcanvas.errors import AppError, NotAuthenticated
from cloudcanvas.web.templating import render


def error_page(request: Request, error: AppError, status_code: int | None = None) -> Response:
    """The error page; an htmx request gets the message inline (htmx swaps no error response)."""
    if request.headers.get("hx-request"):
        return HTMLResponse(f'<p class="alert error" role="alert">{escape(error.message)}</p>')
    if isinstance(error, NotAuthenticated) and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    status = status_code or error.status_code
    response: HTMLResponse = render(
        request, "error.html", {"error": error, "status": status}, status_code=status
    )
    return response
