"""A browser logs in, creates an API key, sees it once, and revokes it."""

import httpx
import pytest

from tests.browser import login, screenshot
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser


def test_login_create_key_once_and_revoke(page, live_server):
    with live_server.db.session() as session:
        user = make_user(session, make_org(session), role="owner", email="keys@example.com")
        email = user.email
    login(page, live_server.url, email, "wrong password!")
    assert "wrong" in page.locator(".alert.error").inner_text()
    login(page, live_server.url, email, PASSWORD)
    page.goto(live_server.url + "/settings/teams")
    page.click("summary[aria-label='User menu']")
    page.click("text=API keys")
    page.fill("input[name=name]", "<b>ci</b>")
    page.select_option("select[name=access]", "readwrite")
    page.click("text=Create API key")
    key = page.locator("[data-testid=new-key]").inner_text().strip()
    assert len(key) == 44
    assert page.locator("td", has_text="<b>ci</b>").count() == 1  # the name is shown escaped
    screenshot(page, "api-keys")
    me = httpx.get(live_server.url + "/api/user/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200 and me.json()["email"] == email
    page.goto(live_server.url + "/settings/api-keys")
    assert key not in page.content()  # shown once, never again
    page.click("button:has-text('Revoke')")
    assert page.locator(".badge.bad", has_text="revoked").count() == 1
    me = httpx.get(live_server.url + "/api/user/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 401


def test_forms_without_the_csrf_token_are_refused(page, live_server):
    with live_server.db.session() as session:
        user = make_user(session, make_org(session), role="owner")
        email = user.email
    login(page, live_server.url, email, PASSWORD)
    response = page.request.post(live_server.url + "/settings/api-keys", form={"name": "x"})
    assert response.status == 403 and "reload the page" in response.text()


def test_pages_need_a_login(page, live_server):
    page.goto(live_server.url + "/settings/api-keys")
    assert page.url.startswith(live_server.url + "/login")
