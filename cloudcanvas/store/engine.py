"""Engine and session scope. SQLite by default (WAL, foreign keys on), PostgreSQL through psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class EngineLimits:
    """How long the database may keep a caller waiting, and how many connections it gets.

    The defaults suit a server: a pool as large as the request thread limit, so that a request
    thread never queues behind another for a connection unless something is wrong, and a short
    acquire timeout, so that when something is wrong the request is answered 503 in seconds.
    """

    pool_size: int = 40
    pool_timeout: float = 3.0
    connect_timeout: float = 5.0
    statement_timeout: float = 30.0
    # SQLite has no statement timeout; this is how long a writer waits for the write lock.
    busy_timeout: float = 10.0


def make_engine(url: str, limits: EngineLimits | None = None, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    limits = limits or EngineLimits()
    # A failed statement's text goes to the log; its parameters hold a share link's key or a
    # password's hash, so they stay out of every error message.
    kwargs.setdefault("hide_parameters", True)
    pool: dict[str, Any] = {
        "pool_size": limits.pool_size,
        "max_overflow": 0,
        "pool_timeout": limits.pool_timeout,
    }
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        memory = not path or path == ":memory:"
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        busy = limits.busy_timeout
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy},
            **({} if memory else pool),
            **kwargs,
        )
        event.listen(engine, "connect", lambda conn, _record: _sqlite_pragmas(conn, busy))
        return engine
    # statement_timeout 0 is PostgreSQL's "no limit" (migrations use it).
    connect_args = {
        "connect_timeout": max(1, round(limits.connect_timeout)),
        "options": f"-c statement_timeout={max(0, int(limits.statement_timeout * 1000))}",
    }
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **pool, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, busy_timeout: float) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
