"""A database that refuses, stalls, is locked or has no free connection answers 503
``database_unavailable`` with ``Retry-After`` (JSON for the API, a page for the web UI), never a
500, and no driver text leaves the server (issue 14, item 6, the HTTP half)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from cloudcanvas.store.engine import EngineLimits
from cloudcanvas.store.migrate import upgrade
from tests.conftest import BACKEND
from tests.factories import make_org, make_user

LEAKS = ("QueuePool", "psycopg", "sqlite", "connection", "127.0.0.1", "Traceback", "locked")


def assert_database_unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    for leak in LEAKS:
        assert leak not in response.text


@contextmanager
def app_on(database: Database, tmp_path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, secret_key="k", api_rate_limit="1000/10s")
    with TestClient(create_app(settings, database=database, schedule=False)) as client:
        yield client
    database.dispose()


def new_key(database: Database) -> str:
    with database.session() as session:
        user = make_user(session, make_org(session), role="owner")
        return identity_service.create_api_key(session, user=user, access="readwrite")[1]


def login_form(client: TestClient) -> dict[str, str]:
    client.get("/login")
    token = client.cookies.get("cloudcanvas_login_csrf")
    return {"email": "someone@example.com", "password": "whatever1", "csrf_token": token or ""}


def test_a_database_that_refuses_connections_is_503_for_api_and_pages(tmp_path):
    gone = Database.connect(
        "postgresql://postgres@127.0.0.1:1/nothing", EngineLimits(connect_timeout=1)
    )
    with app_on(gone, tmp_path) as client:
        response = client.get("/api/azure/account", headers={"Authorization": "Bearer " + "k" * 44})
        assert_database_unavailable(response)
        assert response.json()["code"] == "database_unavailable"
        page = client.post("/login", data=login_form(client))
        assert_database_unavailable(page)
        assert "text/html" in page.headers["content-type"]


def test_no_free_connection_is_503_within_the_pool_timeout(tmp_path, database_url):
    small = Database.connect(database_url, EngineLimits(pool_size=1, pool_timeout=0.3))
    key = new_key(small)
    with app_on(small, tmp_path) as client:
        with small.engine.connect():  # the only connection is taken
            started = time.monotonic()
            response = client.get("/api/user/me", headers={"Authorization": f"Bearer {key}"})
            assert time.monotonic() - started < 3
        assert_database_unavailable(response)
        assert response.json()["code"] == "database_unavailable"
        # and the server recovers as soon as a connection is free again
        assert client.get("/api/user/me", headers={"Authorization": f"Bearer {key}"}).is_success


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's write lock")
def test_a_locked_sqlite_database_is_503(tmp_path):
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade(url)
    database = Database.connect(url, EngineLimits(busy_timeout=0.3))
    key = new_key(database)
    with app_on(database, tmp_path / "app") as client:
        holder = sqlite3.connect(tmp_path / "locked.db", timeout=1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            response = client.post(
                "/api/apikey", headers={"Authorization": f"Bearer {key}"}, json={"name": "new"}
            )
        finally:
            holder.rollback()
            holder.close()
        assert_database_unavailable(response)


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's statement_timeout")
def test_a_stalled_postgresql_is_503_after_the_statement_timeout(tmp_path, database_url):
    database = Database.connect(database_url, EngineLimits(statement_timeout=1))
    key = new_key(database)
    release = threading.Event()
    locked = threading.Event()

    def hold_lock() -> None:
        with database.engine.connect() as conn:
            conn.execute(text("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(10)
            conn.rollback()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(5)
        with app_on(database, tmp_path) as client:
            started = time.monotonic()
            response = client.get("/api/user/me", headers={"Authorization": f"Bearer {key}"})
            assert time.monotonic() - started < 5
    finally:
        release.set()
        holder.join()
    assert_database_unavailable(response)
