"""Shared fixtures: a real database (SQLite, or PostgreSQL when CLOUDCANVAS_TEST_BACKEND=postgresql),
rolled back per test; settings in a temporary data directory; a live server for SDK and browser tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from cloudcanvas.config import Settings
from cloudcanvas.simulator import Simulator
from cloudcanvas.store.engine import make_engine
from cloudcanvas.store.migrate import upgrade
from tests.azure_env import make_environment, simulated_settings
from tests.live import LiveServer, start_live_server

BACKEND = os.environ.get("CLOUDCANVAS_TEST_BACKEND", "sqlite")


def _postgres_url() -> str:
    url = os.environ.get("CLOUDCANVAS_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError(
            "CLOUDCANVAS_TEST_BACKEND=postgresql needs CLOUDCANVAS_TEST_DATABASE_URL to be set"
        )
    return url


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if BACKEND == "postgresql":
        url = _postgres_url()
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key="test-master-key")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """cloudcanvas served by uvicorn on a free loopback port, with its own migrated database."""
    server = start_live_server(tmp_path_factory.mktemp("live"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def simulator() -> Iterator[Simulator]:
    """One simulated Azure for the whole run; tests that change it put it back."""
    with Simulator(make_environment()) as sim:
        yield sim


@pytest.fixture
def azure_settings(settings: Settings, simulator: Simulator) -> Settings:
    return simulated_settings(simulator, settings)
