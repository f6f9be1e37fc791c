"""Database failures in the user's words: a pool that is full or a database that does not answer is
a 503 with Retry-After (try again shortly), never a 500, and never the driver's own message."""

from __future__ import annotations

from sqlalchemy import exc

from cloudcanvas.errors import AppError, ServiceUnavailable

BUSY_RETRY_SECONDS = 2
UNAVAILABLE_RETRY_SECONDS = 5


def as_app_error(error: BaseException) -> AppError | None:
    """The user-facing error for a database failure, or None when it is a bug of ours."""
    if isinstance(error, exc.TimeoutError):
        return ServiceUnavailable(
            "The server is busy with other requests; retry in a few seconds.",
            code="server_busy",
            retry_after=BUSY_RETRY_SECONDS,
        )
    unavailable = isinstance(error, exc.OperationalError | exc.InterfaceError) or (
        isinstance(error, exc.DBAPIError) and error.connection_invalidated
    )
    if unavailable:
        return ServiceUnavailable(
            "The database is not answering; nothing was changed. Retry in a few seconds.",
            code="database_unavailable",
            retry_after=UNAVAILABLE_RETRY_SECONDS,
        )
    return None
