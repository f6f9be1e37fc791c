"""Jinja2 templates, autoescaped: every name from Azure is escaped where it is drawn."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from cloudcanvas.http.deps import get_settings

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


templates.env.filters["when"] = _when


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    settings = get_settings(request)
    base: dict[str, Any] = {
        "user": getattr(request.state, "user", None),
        "actor": getattr(request.state, "actor", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "support_url": settings.support_url,
    }
    base.update(context or {})
    return templates.TemplateResponse(request, name, base, status_code=status_code)
