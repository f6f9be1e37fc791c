"""Alembic environment: batch mode for SQLite, the engine from store.engine."""

from __future__ import annotations

from alembic import context

from cloudcanvas.store import models  # noqa: F401  (registers every table on Base.metadata)
from cloudcanvas.store.base import Base
from cloudcanvas.store.engine import EngineLimits, make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""
connection = config.attributes.get("connection")


def run(connection_: object) -> None:
    context.configure(
        connection=connection_,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    # No statement timeout: a migration of a large table may rightly take longer than a request.
    engine = make_engine(url, EngineLimits(statement_timeout=0))
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
