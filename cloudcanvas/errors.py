"""The one error tree of cloudcanvas.

Every error a user can see is an ``AppError``: it carries the HTTP status, a machine ``code`` and a
message that says what to fix. ``api/`` renders it as ``{"error": message, "code": code}`` and
``web/`` as a page or an inline message.

    AppError
    ├── BadRequest (400)            invalid_request, ...
    ├── NotAuthenticated (401)      not_authenticated, invalid_api_key
    ├── Forbidden (403)             forbidden, plan_required
    ├── NotFound (404)              not_found
    ├── Conflict (409)              conflict
    ├── PreconditionFailed (412)    precondition_failed
    ├── PayloadTooLarge (413)       payload_too_large
    ├── RateLimited (429)           rate_limited (carries retry_after)
    └── ServiceUnavailable (503)    azure_unavailable, ...
        ├── DatabaseUnavailable     database_unavailable (carries retry_after)
        └── ServerBusy              server_busy (carries retry_after)

An error with a ``retry_after`` attribute (seconds) is answered with a ``Retry-After`` header.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code: int = 500
    code: str = "internal_error"

    def __init__(
        self, message: str, *, code: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.detail: dict[str, Any] = detail or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.message, "code": self.code}
        body.update(self.detail)
        return body


class BadRequest(AppError):
    status_code = 400
    code = "invalid_request"


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class PreconditionFailed(AppError):
    status_code = 412
    code = "precondition_failed"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """The database refused, timed out or went away; nothing about the request was wrong."""

    code = "database_unavailable"

    def __init__(
        self,
        message: str = "The database is not answering right now; retry in a few seconds.",
        *,
        retry_after: int = 5,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerBusy(ServiceUnavailable):
    """More requests at once than the server takes; shed early so the admitted ones stay fast."""

    code = "server_busy"

    def __init__(
        self,
        message: str = "The server is busy; retry in a moment.",
        *,
        retry_after: int = 1,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
