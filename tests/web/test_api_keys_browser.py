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
    page.reload()  # post/redirect/get: a reload shows the list, it never mints another key
    assert key not in page.content()  # shown once, never again
    assert page.locator("tr[data-key-id]").count() == 1
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('Revoke')")
    assert page.locator(".badge.ok", has_text="active").count() == 1  # dismissed: kept
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Revoke')")
    assert page.locator(".badge.bad", has_text="revoked").count() == 1
    me = httpx.get(live_server.url + "/api/user/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 401


def test_the_key_shown_once_is_copied_and_an_empty_name_is_refused(page, live_server):
    with live_server.db.session() as session:
        user = make_user(session, make_org(session), role="owner")
        email = user.email
    login(page, live_server.url, email, PASSWORD)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/settings/api-keys")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        live_server.url + "/settings/api-keys", form={"name": "  ", "csrf_token": token or ""}
    )
    assert response.status == 400 and "Name the key" in response.text()
    assert page.locator("input[name=name][required]").count() == 1
    page.fill("input[name=name]", "deploy")
    page.click("text=Create API key")
    key = page.locator("[data-testid=new-key]").inner_text().strip()
    page.click("button[data-copy]")
    page.wait_for_selector("[data-copy-status]:has-text('Copied.')")
    assert page.evaluate("navigator.clipboard.readText()") == key
    assert page.locator("tr[data-key-id]").count() == 1


def test_favicon_is_served_and_linked(page, live_server):
    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.status == 200 and b"<svg" in response.body()
    page.goto(live_server.url + "/login")
    assert page.locator("link[rel=icon][href='/favicon.ico']").count() == 1


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
