"""A share link's key never reaches a log line: the real server, with uvicorn's own logging
configuration and its access log on (as ``cloudcanvas serve`` runs it), opens a link."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.http.redact import ACCESS_LOGGER, redact
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from cloudcanvas.store.engine import EngineLimits
from tests.factories import make_org, make_user
from tests.live import LiveServer, start_live_server


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def server(tmp_path) -> Iterator[LiveServer]:
    live = start_live_server(tmp_path, uvicorn_log_level="info")
    yield live
    live.stop()


def shared_link(server: LiveServer) -> dict[str, str]:
    with server.db.session() as session:
        user = make_user(session, make_org(session), role="owner")
        _, key = identity_service.create_api_key(session, user=user, access="readwrite")
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"})
    with api:
        created = api.post("/api/blueprint", json={"data": {"name": "Shop", "nodes": []}})
        assert created.status_code == 201, created.text
        share = api.put(f"/api/blueprint/{created.json()['id']}/share")
        assert share.status_code == 200, share.text
        link: dict[str, str] = share.json()
        return link


def test_the_access_log_names_the_link_but_not_its_key(server: LiveServer) -> None:
    link = shared_link(server)
    access = logging.getLogger(ACCESS_LOGGER)
    collect = Collect()
    # The lines as uvicorn's own access handler writes them (its formatter, its configuration).
    [uvicorn_handler] = [h for h in access.handlers if type(h) is logging.StreamHandler]
    collect.setFormatter(uvicorn_handler.formatter)
    access.addHandler(collect)
    try:
        with httpx.Client(base_url=server.url) as stranger:
            assert stranger.get(link["url"]).status_code == 200
            assert stranger.get(f"/share/{link['shareId']}/wrong-key-x").status_code == 404
            stranger.get(f"{link['url']}?token=query-secret-1&theme=dark")
    finally:
        access.removeHandler(collect)
    lines = "\n".join(collect.lines)
    assert len(collect.lines) == 3, lines
    opened = f'"GET /share/{link["shareId"]}/[redacted] HTTP/1.1"'
    assert f"{opened} 200" in lines and f"{opened} 404" in lines, lines
    assert link["key"] not in lines and "wrong-key-x" not in lines
    assert "query-secret-1" not in lines and "token=[redacted]&theme=dark" in lines


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("/share/abc/KEY", "/share/abc/[redacted]"),
        ('"GET /share/abc/KEY?x=1 HTTP/1.1"', '"GET /share/abc/[redacted]?x=1 HTTP/1.1"'),
        ("GET /share/abc/KEY/more", "GET /share/abc/[redacted]/more"),
        # The API's share routes hold no key: left as they are.
        ("/api/blueprint/b1/share/rotate", "/api/blueprint/b1/share/rotate"),
        ("/blueprints/b1/share", "/blueprints/b1/share"),
        ("/share/abc", "/share/abc"),
        ("/x?api_key=K1&Token=K2&page=2", "/x?api_key=[redacted]&Token=[redacted]&page=2"),
        ("/x?keys=1&monkey=2", "/x?keys=1&monkey=2"),
    ],
)
def test_redact(line: str, logged: str) -> None:
    assert redact(line) == logged


def test_the_error_log_names_the_link_but_not_its_key(tmp_path, caplog) -> None:
    """A share link opened while the database is down: the warning says which path failed."""
    gone = Database.connect(
        "postgresql://postgres@127.0.0.1:1/nothing", EngineLimits(connect_timeout=1)
    )
    settings = Settings(data_dir=tmp_path, secret_key="k")
    caplog.set_level(logging.WARNING, logger="cloudcanvas.app")
    try:
        with TestClient(create_app(settings, database=gone, schedule=False)) as client:
            assert client.get("/share/the-id/the-secret-key").status_code == 503
    finally:
        gone.dispose()
    [line] = [r.getMessage() for r in caplog.records if r.name == "cloudcanvas.app"]
    assert line.startswith("database unavailable on GET /share/the-id/[redacted]: "), line
    assert "the-secret-key" not in caplog.text
