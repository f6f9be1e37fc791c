"""Login throttling, logout and the login CSRF cookie (issue 14, items 4 and 10), on the real app
and database (SQLite, and PostgreSQL when the suite runs there)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AuditEvent, WebSession
from tests.factories import PASSWORD, make_org, make_user

TEMPLATES = Path(__file__).parents[2] / "cloudcanvas" / "web" / "templates"


@pytest.fixture
def web_db(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


def web_client(db: Database, tmp_path: Path, **overrides: object) -> TestClient:
    settings = Settings(data_dir=tmp_path, secret_key="k", **overrides)
    return TestClient(create_app(settings, database=db, schedule=False), follow_redirects=False)


def new_user(db: Database) -> str:
    with db.session() as session:
        return make_user(session, make_org(session), role="owner").email


def login(client: TestClient, email: str, password: str):
    client.get("/login")
    token = client.cookies.get("cloudcanvas_login_csrf") or ""
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"}
    )


def test_failed_logins_are_throttled_per_account_with_retry_after(web_db, tmp_path):
    email = new_user(web_db)
    with web_client(web_db, tmp_path, login_rate_limit="3/2s") as client:
        for _ in range(3):
            assert login(client, email, "wrong password").status_code == 400
        refused = login(client, email, PASSWORD)  # the right one, in the middle of a guessing run
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 2
        assert "Too many failed logins" in refused.text
        assert "cloudcanvas_session" not in refused.cookies
        time.sleep(2.1)  # failures decay: never a permanent lockout
        assert login(client, email, PASSWORD).status_code == 303
    with web_db.session() as session:
        events = session.query(AuditEvent).filter_by(action="login_throttled").all()
        assert [e.target_name for e in events if e.target_name == email] == [email]


def test_failed_logins_are_throttled_per_client_address(web_db, tmp_path):
    emails = [new_user(web_db) for _ in range(3)]
    with web_client(web_db, tmp_path, login_address_rate_limit="2/60s") as client:
        assert login(client, emails[0], "wrong password").status_code == 400
        assert login(client, emails[1], "wrong password").status_code == 400
        refused = login(client, emails[2], PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_logout_needs_the_csrf_token_and_ends_the_session_on_the_server(web_db, tmp_path):
    email = new_user(web_db)
    with web_client(web_db, tmp_path) as client:
        assert login(client, email, PASSWORD).status_code == 303
        page = client.get("/azure/accounts")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        forged = client.post("/logout", data={"csrf_token": "forged"})
        assert forged.status_code == 403
        assert client.get("/azure/accounts").status_code == 200  # still logged in
        assert client.get("/logout").status_code == 405  # never by a link or an image
        cookie = client.cookies.get("cloudcanvas_session")
        assert client.post("/logout", data={"csrf_token": token.group(1)}).status_code == 303
    with web_db.session() as session:
        from cloudcanvas.identity.service import digest

        assert session.get(WebSession, digest(cookie or "")) is None
    # the old cookie, replayed, is not a session any more
    with web_client(web_db, tmp_path) as replay:
        replay.cookies.set("cloudcanvas_session", cookie or "")
        assert replay.get("/azure/accounts").status_code == 303


def test_the_login_csrf_cookie_stays_secure_after_a_failed_login(web_db, tmp_path):
    email = new_user(web_db)
    with web_client(web_db, tmp_path, secure_cookies=True) as client:
        client.base_url = client.base_url.copy_with(scheme="https")
        failed = login(client, email, "wrong password")
        assert failed.status_code == 400
        cookie = failed.headers["set-cookie"]
        assert cookie.startswith("cloudcanvas_login_csrf=") and "Secure" in cookie


def test_a_nul_byte_in_the_team_name_is_400(web_db, tmp_path):
    email = new_user(web_db)
    with web_client(web_db, tmp_path) as client:
        login(client, email, PASSWORD)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings/teams").text)
        assert token is not None
        response = client.post(
            "/settings/teams", data={"name": "a\x00b", "csrf_token": token.group(1)}
        )
        assert response.status_code == 400 and "NUL" in response.text


def test_the_templates_hold_no_inline_script():
    for template in TEMPLATES.rglob("*.html"):
        html = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template
        assert not re.search(r"\son[a-z]+\s*=", html), template
        assert "hx-on" not in html and "javascript:" not in html, template


@pytest.mark.parametrize(
    ("page", "form", "cookie"),
    [
        ("/settings/api-keys", {"name": "CI pipeline", "access": "read"}, "cloudcanvas_new_key"),
        ("/settings/users", {"email": "new@example.com", "role": "user"}, "cloudcanvas_new_user"),
    ],
)
def test_a_secret_shown_once_travels_in_a_secure_cookie_and_is_forgotten(
    web_db, tmp_path, page, form, cookie
):
    """A new API key or initial password rides to the page that shows it in a cookie that is
    Secure when the server's cookies are, and the page that showed it deletes it."""
    email = new_user(web_db)
    with web_client(web_db, tmp_path, secure_cookies=True) as client:
        client.base_url = client.base_url.copy_with(scheme="https")
        login(client, email, PASSWORD)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
        assert token is not None
        made = client.post(page, data={**form, "csrf_token": token.group(1)})
        assert made.status_code == 303
        sent = [c for c in made.headers.get_list("set-cookie") if c.startswith(cookie + "=")]
        assert sent and "Secure" in sent[0] and "HttpOnly" in sent[0]
        shown = client.get(page)
        gone = [c for c in shown.headers.get_list("set-cookie") if c.startswith(cookie + "=")]
        assert gone and "Max-Age=0" in gone[0]
