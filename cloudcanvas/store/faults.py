"""Which database errors mean "the database is not there right now" rather than a bug.

A refused or lost connection, a pool that stays exhausted, a statement cancelled by its timeout
and a SQLite database locked past its busy timeout all say: retry later. They are answered 503
``database_unavailable``; their text (driver messages, "QueuePool limit ...") never leaves the
server.
"""

from __future__ import annotations

from sqlalchemy import exc

_UNAVAILABLE = (
    exc.TimeoutError,  # the pool had no connection to give within its timeout
    exc.DisconnectionError,
    exc.OperationalError,  # refused, reset, cancelled by statement_timeout, database is locked
    exc.InterfaceError,  # the driver's connection object is closed
)


def is_database_unavailable(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _UNAVAILABLE)
