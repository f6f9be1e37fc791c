"""Owners and administrators manage users and teams in the web UI, and the audit log says so."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _owner(live_server, role="owner"):
    with live_server.db.session() as session:
        org = make_org(session)
        user = make_user(session, org, role=role)
        return user.email, org.name


def test_an_owner_adds_a_user_who_logs_in_then_changes_the_role_and_removes_them(
    page, browser, live_server
):
    email, _org = _owner(live_server)
    login(page, live_server.url, email, PASSWORD)
    page.click("summary[aria-label='User menu']")
    page.click("text=Users")
    page.fill("input[name=email]", "ada@example.com")
    page.fill("input[name=name]", "Ada <Lovelace>")
    page.select_option("form.card select[name=role]", "user")
    page.click("text=Add user")
    password = page.locator("[data-testid=initial-password]").inner_text().strip()
    assert len(password) >= 12
    row = page.locator("tr[data-user='ada@example.com']")
    expect(row).to_contain_text("Ada <Lovelace>")  # escaped, shown as typed
    screenshot(page, "users")
    page.reload()  # post/redirect/get: shown once, and a reload adds nobody
    assert password not in page.content()
    assert page.locator("tr[data-user='ada@example.com']").count() == 1

    newcomer = browser.new_context().new_page()
    login(newcomer, live_server.url, "ada@example.com", password)
    expect(newcomer.locator("summary[aria-label='User menu']")).to_contain_text("ada@example.com")

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button:has-text('Deactivate')").click()
    expect(page.locator("tr[data-user='ada@example.com'] .badge.bad")).to_have_text("deactivated")
    screenshot(page, "users-deactivated")
    newcomer.reload()
    assert "/login" in newcomer.url  # the session stops working at once
    login(newcomer, live_server.url, "ada@example.com", password)
    expect(newcomer.locator(".alert.error")).to_contain_text("deactivated")
    page.locator("tr[data-user='ada@example.com'] button:has-text('Reactivate')").click()
    expect(page.locator("tr[data-user='ada@example.com'] .badge.bad")).to_have_count(0)
    login(newcomer, live_server.url, "ada@example.com", password)
    expect(newcomer.locator("summary[aria-label='User menu']")).to_contain_text("ada@example.com")

    row.locator("select[name=role]").select_option("administrator")
    row.locator("text=Change role").click()
    expect(page.locator("tr[data-user='ada@example.com'] select[name=role]")).to_have_value(
        "administrator"
    )
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("tr[data-user='ada@example.com'] button:has-text('Remove')").click()
    assert page.locator("tr[data-user='ada@example.com']").count() == 1  # dismissed: kept
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr[data-user='ada@example.com'] button:has-text('Remove')").click()
    expect(page.locator("tr[data-user='ada@example.com']")).to_have_count(0)
    newcomer.reload()
    assert "/login" in newcomer.url  # their session went with them
    newcomer.context.close()

    page.goto(live_server.url + "/audit")
    audit = page.locator("table.audit")
    expect(audit.locator("tr[data-action=add_user]")).to_contain_text("Role")
    changed = audit.locator("tr[data-action=change_role]")
    expect(changed.locator(".old")).to_have_text("user")
    expect(changed.locator(".new")).to_have_text("administrator")
    expect(audit.locator("tr[data-action=remove_user]")).to_contain_text("ada@example.com")
    assert password not in page.content()
    screenshot(page, "audit-users")


def test_a_duplicate_email_keeps_the_form_and_says_why(page, live_server):
    email, _org = _owner(live_server, role="administrator")
    login(page, live_server.url, email, PASSWORD)
    page.goto(live_server.url + "/settings/users")
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", "Twice")
    page.click("text=Add user")
    expect(page.locator(".alert.error")).to_contain_text("exists already")
    expect(page.locator("input[name=name]")).to_have_value("Twice")
    # an administrator may not make an owner: the choice is not offered
    assert page.locator("form.card select[name=role] option[value=owner]").count() == 0


def test_users_and_viewers_see_no_users_page(page, live_server):
    email, _org = _owner(live_server, role="user")
    login(page, live_server.url, email, PASSWORD)
    page.click("summary[aria-label='User menu']")
    assert page.locator(".usermenu a", has_text="Users").count() == 0
    response = page.goto(live_server.url + "/settings/users")
    assert response is not None and response.status == 403


def test_teams_are_created_renamed_and_deleted_with_members_by_name(page, live_server):
    email, org = _owner(live_server)
    with live_server.db.session() as session:
        from cloudcanvas.identity import service

        organization = service.get_organization(session, org)
        user = make_user(session, organization, role="user", email="grace@example.com")
        user.name = "Grace Hopper"
    login(page, live_server.url, email, PASSWORD)
    page.goto(live_server.url + "/settings/teams")
    page.fill("form.card input[name=name]", "Platform")
    page.click("text=Create team")
    team = page.locator("section.team[data-team='Platform']")
    team.locator("select[name=user_id]").select_option(label="Grace Hopper (grace@example.com)")
    team.locator("button:has-text('Add')").click()
    team = page.locator("section.team[data-team='Platform']")
    expect(team.locator("li[data-member='grace@example.com']")).to_contain_text("Grace Hopper")
    # a member is not offered again
    assert team.locator("select[name=user_id] option", has_text="grace@").count() == 0
    visible = page.locator("main").inner_text()
    assert not UUID.search(visible), visible
    assert "read access" in visible and "write access" in visible
    screenshot(page, "teams")

    team.locator("input[name=name]").fill("Platform & Data")
    team.locator("button:has-text('Rename')").click()
    team = page.locator("section.team[data-team='Platform & Data']")
    expect(team.locator("h2")).to_have_text("Platform & Data")
    page.once("dialog", lambda dialog: dialog.accept())
    team.locator("button:has-text('Remove from team')").click()
    team = page.locator("section.team[data-team='Platform & Data']")
    expect(team.locator("li[data-member]")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    team.locator("button:has-text('Delete team')").click()
    expect(page.locator("section.team")).to_have_count(0)

    page.goto(live_server.url + "/audit")
    audit = page.locator("table.audit")
    renamed = audit.locator("tr[data-action=rename_team]")
    expect(renamed.locator(".old")).to_have_text("Platform")
    expect(renamed.locator(".new")).to_have_text("Platform & Data")
    expect(audit.locator("tr[data-action=add_member]")).to_contain_text("Grace Hopper")
    expect(audit.locator("tr[data-action=remove_team]")).to_have_count(1)


def test_users_and_teams_pages_fit_a_390_px_screen(page, live_server):
    email, _org = _owner(live_server)
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server.url, email, PASSWORD)
    page.goto(live_server.url + "/settings/teams")
    page.fill("form.card input[name=name]", "A team with a rather long name for a phone")
    page.click("text=Create team")
    for path in ("/settings/users", "/settings/teams"):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    page.click("summary[aria-label='User menu']")
    expect(page.get_by_role("menuitem", name="Users")).to_be_in_viewport()
    screenshot(page, "small-screen-teams")
