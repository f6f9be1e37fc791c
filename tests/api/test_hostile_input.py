"""Hostile input and a failing database: always a 4xx/503 that says what to do, never a 500."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudcanvas.app import create_app
from cloudcanvas.store.database import Database
from cloudcanvas.store.engine import make_engine, make_sessionmaker
from cloudcanvas.store.models import AuditEvent, Team
from tests.factories import PASSWORD, make_org, make_user


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/azure/account/a%00b"),
        ("GET", "/api/azure/account/a%00b/scans/a%00b"),
        ("DELETE", "/api/apikey/a%00b"),
        ("GET", "/api/azure/account/x/diff?from=a%00b"),
        ("GET", "/azure/accounts/a%00b/diagram"),
    ],
)
def test_a_nul_in_the_address_is_400(client, make_api_user, method, path):
    user = make_api_user()
    response = client.request(method, path, headers=user.headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_request"
    assert "NUL" in response.json()["error"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/apikey", {"name": "ci\x00key"}),
        (
            "/api/azure/account",
            {
                "name": "a\x00b",
                "subscriptionId": "00000000-0000-0000-0000-000000000001",
                "directoryId": "00000000-0000-0000-0000-000000000002",
                "applicationId": "00000000-0000-0000-0000-000000000003",
                "clientSecret": "x" * 40,
                "readAccess": ["team/\x00"],
            },
        ),
    ],
)
def test_a_nul_in_a_body_is_400_and_nothing_is_stored(client, make_api_user, path, body):
    user = make_api_user()
    before = [k["id"] for k in client.get("/api/apikey", headers=user.headers).json()["keys"]]
    response = client.post(path, headers=user.headers, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_request"
    after = client.get("/api/apikey", headers=user.headers).json()["keys"]
    assert [k["id"] for k in after] == before


def test_the_database_refuses_a_nul_on_every_backend(engine):
    """The guarantee under the HTTP checks: no statement carries a NUL to the database."""
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        org = make_org(session)
        session.add(Team(organization_id=org.id, name="bad\x00team"))
        with pytest.raises(Exception, match="NUL") as raised:
            session.flush()
        assert getattr(raised.value, "status_code", None) == 400
        session.rollback()


def _login_form(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def _login(client: TestClient, email: str, password: str):
    token = _login_form(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


@pytest.fixture
def web_user(api_db):
    with api_db.session() as session:
        user = make_user(session, make_org(session, plan="pro"), role="owner")
        return user.email, user.id


def test_failed_logins_are_throttled_per_account_with_retry_after(client, web_user, api_db):
    email, user_id = web_user
    for _ in range(10):
        assert _login(client, email, "wrong password").status_code == 400
    refused = _login(client, email, PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many failed logins" in refused.text
    assert "session" not in "".join(refused.cookies.keys())
    with api_db.session() as session:
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.target_id == user_id, AuditEvent.action == "login_throttled"
            )
        ).all()
    assert events


def test_the_throttle_forgets_after_its_window(monkeypatch, client, web_user):
    """Never a permanent lockout: once the window has passed the right password works."""
    email, _ = web_user
    for _ in range(10):
        _login(client, email, "wrong password")
    assert _login(client, email, PASSWORD).status_code == 429
    import time as real_time

    later = real_time.monotonic() + 601
    monkeypatch.setattr("cloudcanvas.http.ratelimit.time.monotonic", lambda: later)
    assert _login(client, email, PASSWORD).status_code == 303


def test_security_headers_on_pages_and_api(client, make_api_user):
    page = client.get("/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in page.headers
    api = client.get("/api/user/me", headers=make_api_user().headers)
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # the policy forbids inline script: the pages have none


def test_hsts_and_a_secure_login_cookie_after_a_failed_login(api_settings, api_db, web_user):
    secure = api_settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(secure, database=api_db), base_url="https://testserver") as client:
        assert "max-age" in client.get("/login").headers["strict-transport-security"]
        failed = _login(client, web_user[0], "wrong password")
        assert failed.status_code == 400
        cookie = failed.headers["set-cookie"]
        assert "cloudcanvas_login_csrf" in cookie and "Secure" in cookie


def test_logout_needs_the_csrf_token_and_ends_the_session_on_the_server(client, web_user):
    email, _ = web_user
    assert _login(client, email, PASSWORD).status_code == 303
    assert client.get("/settings/api-keys", follow_redirects=False).status_code == 200
    refused = client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/settings/api-keys", follow_redirects=False).status_code == 200
    page = client.get("/settings/api-keys")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    stolen_cookie = dict(client.cookies)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    # The old cookie no longer opens anything: the session ended on the server.
    client.cookies.update(stolen_cookie)
    assert client.get("/settings/api-keys", follow_redirects=False).status_code == 303


def test_a_database_that_is_gone_is_503_with_retry_after(api_settings, make_api_user):
    user = make_api_user()
    # Nothing listens on port 9 of loopback: every connection is refused.
    gone = Database.connect("postgresql://nobody@127.0.0.1:9/none")
    with TestClient(create_app(api_settings, database=gone, schedule=False)) as client:
        api = client.get("/api/azure/account", headers=user.headers)
        assert api.status_code == 503, api.text
        assert api.json()["code"] == "database_unavailable"
        assert int(api.headers["Retry-After"]) > 0
        assert "psycopg" not in api.text and "127.0.0.1" not in api.text
        client.cookies.set("cloudcanvas_session", "x")
        listing = client.get("/azure/accounts")
        assert listing.status_code == 503
        assert int(listing.headers["Retry-After"]) > 0
    gone.dispose()


def test_a_full_connection_pool_is_503_server_busy(api_settings, database_url, make_api_user):
    user = make_api_user()
    tiny = Database.connect(database_url)
    tiny.engine.dispose()
    tiny.engine = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    tiny.sessions = make_sessionmaker(tiny.engine)
    held = tiny.engine.connect()  # the only connection, taken
    try:
        with TestClient(create_app(api_settings, database=tiny, schedule=False)) as client:
            response = client.get("/api/azure/account", headers=user.headers)
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "server_busy"
        assert response.headers["Retry-After"] == "2"
        assert "QueuePool" not in response.text
    finally:
        held.close()
        tiny.dispose()
