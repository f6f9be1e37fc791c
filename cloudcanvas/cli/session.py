"""What every command that touches the database shares: one session, and errors as a clean exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from cloudcanvas.config import Settings, get_settings
from cloudcanvas.errors import AppError
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade


def fail(message: str) -> typer.Exit:
    """Print the error for the operator; the caller raises what this returns."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@contextmanager
def command_session(settings: Settings | None = None) -> Iterator[Session]:
    """One session per command, on a migrated database; AppErrors become a clean exit."""
    settings = settings or get_settings()
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    try:
        with database.session() as session:
            yield session
    except AppError as error:
        raise fail(error.message) from None
    finally:
        database.dispose()
