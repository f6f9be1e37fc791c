"""A database handle: the engine and its session factory, built once per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cloudcanvas.config import Settings
from cloudcanvas.store.engine import EngineLimits, make_engine, make_sessionmaker, session_scope


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str, limits: EngineLimits | None = None) -> Database:
        engine = make_engine(url, limits)
        return cls(engine=engine, sessions=make_sessionmaker(engine))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.sessions) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def engine_limits(settings: Settings) -> EngineLimits:
    return EngineLimits(
        pool_size=settings.database_pool_size,
        pool_timeout=settings.database_pool_timeout_seconds,
        connect_timeout=settings.database_connect_timeout_seconds,
        statement_timeout=settings.database_statement_timeout_seconds,
        busy_timeout=settings.database_busy_timeout_seconds,
    )
