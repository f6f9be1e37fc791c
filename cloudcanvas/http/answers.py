"""Answers the API and the web UI give alike: an error as JSON, and a file to download."""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse

from cloudcanvas.errors import AppError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def error_json(error: AppError) -> JSONResponse:
    """``{"error", "code"}`` with the error's status, and ``Retry-After`` when it says when."""
    headers = {}
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int):
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(error.to_dict(), status_code=error.status_code, headers=headers)


def safe_stem(name: str, *, fallback: str) -> str:
    """A file name's stem made of ``name`` in safe characters only (names come from Azure and
    from users: no quotes, slashes or control characters), 80 at most."""
    return _UNSAFE.sub("-", name).strip("-._")[:80] or fallback


def attachment(name: str, extension: str, *, fallback: str) -> str:
    """A ``Content-Disposition`` naming the download after ``name`` (``safe_stem``)."""
    return f'attachment; filename="{safe_stem(name, fallback=fallback)}.{extension}"'
