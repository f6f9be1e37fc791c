"""Every API error is ``{"error": message, "code": code}`` with the status Cloudcraft's SDKs expect."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cloudcanvas.http.answers import error_json

_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    401: "not_authenticated",
    403: "forbidden",
    413: "payload_too_large",
}


error_response = error_json  # the API's errors are the shared JSON answer


def describe_validation(errors: list[Any]) -> str:
    """Name each wrong field and say what is wrong with it."""
    parts = []
    for error in errors[:5]:
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(location) or "body"
        message = str(error.get("msg", "is invalid"))
        if error.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        if error.get("type") == "missing":
            message = "is required"
        parts.append(f"{field}: {message}")
    return "Invalid request: " + "; ".join(parts) + "."


async def handle_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(
        {"error": describe_validation(list(exc.errors())), "code": "invalid_request"},
        status_code=400,
    )


async def handle_http(_request: Request, exc: HTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404 and message == "Not Found":
        message = "No such endpoint."
    if exc.status_code == 405 and message == "Method Not Allowed":
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"This endpoint answers {allowed or 'other methods'}."
    # Starlette puts ``Allow`` on a 405 in the exception's headers; keep them.
    return JSONResponse(
        {"error": message, "code": code}, status_code=exc.status_code, headers=exc.headers
    )
