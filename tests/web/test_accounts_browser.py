"""A browser walks the Add Azure Account wizard against the simulated Azure: every failure on its
own step, then success; then edit, share, remove, the expiry warning and escaped names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from cloudcanvas.accounts import service as account_service
from cloudcanvas.simulator import Simulator
from cloudcanvas.store.base import utcnow
from tests.azure_env import (
    DEVELOPMENT,
    GROUP_ONLY,
    LEGACY,
    PRODUCTION,
    READER,
    TENANT,
    UNKNOWN_GUID,
    WIZARD,
    make_environment,
)
from tests.browser import login as browser_login
from tests.browser import screenshot, walk_wizard, wizard_next
from tests.factories import PASSWORD, actor, connect_account, make_org, make_team, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class People:
    owner: str
    member: str  # a `user` in the team the accounts get shared with
    outsider: str  # a `user` of the same organization, in no team
    team_id: str
    team_name: str


@pytest.fixture(scope="module")
def people(server: LiveServer) -> People:
    with server.db.session() as s:
        org = make_org(s, plan="pro")
        owner = make_user(s, org, role="owner", email="owner@wizard.example")
        member = make_user(s, org, role="user", email="member@wizard.example")
        outsider = make_user(s, org, role="user", email="outsider@wizard.example")
        team = make_team(s, org, member)
        return People(owner.email, member.email, outsider.email, team.id, team.name)


def login(page: Page, base_url: str, email: str, password: str) -> None:
    """Log in and land on the accounts list.

    The web session's row is committed only after the login response has gone out (FastAPI runs
    the session dependency's exit then), so the first page may still bounce to the login form.
    """
    for _ in range(20):
        browser_login(page, base_url, email, password)
        page.goto(base_url + "/azure/accounts")
        if "/login" not in page.url:
            return
    raise AssertionError(f"{email} could not log in")


def add_account(server: LiveServer, email: str, name: str, **fields: object) -> str:
    """An account made through the service, as the wizard would (checked against Azure)."""
    from cloudcanvas.identity import repository as identity_repository

    with server.db.session() as s:
        user = identity_repository.get_user_by_email(s, email)
        assert user is not None
        return connect_account(s, server.settings, user, name=name, **fields).id


def row(page: Page, name: str) -> Locator:
    return page.locator("table.accounts tbody tr", has=page.locator(".account-name", has_text=name))


def field_error(page: Page, name: str) -> Locator:
    return page.locator(f"#err-{name}")


def test_wizard_shows_each_failure_on_its_step_then_connects(
    page: Page, server: LiveServer, people: People
) -> None:
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_have_text("Manage Azure accounts")
    page.click("text=Add Azure Account")
    expect(page.locator(".step[data-step='1']")).to_have_class("step active")
    screenshot(page, "wizard-step-1")

    # Step 1: a malformed ID is named.
    page.fill("#applicationId", "not-a-guid")
    page.fill("#directoryId", TENANT)
    wizard_next(page, 1)
    expect(field_error(page, "applicationId")).to_contain_text("must be a GUID")
    screenshot(page, "wizard-step-1-error")

    # An unknown application: found by Azure once the secret is there, shown on step 1's field.
    page.fill("#applicationId", UNKNOWN_GUID)
    wizard_next(page, 1)
    expect(page.locator(".step[data-step='2']")).to_have_class("step active")
    page.fill("#clientSecret", WIZARD.secret)
    screenshot(page, "wizard-step-2")
    wizard_next(page, 2)
    expect(field_error(page, "applicationId")).to_contain_text("No application with this")
    expect(page.locator(".step[data-step='1']")).to_have_class("step active")
    assert WIZARD.secret not in page.content()  # the secret stays in the password field only
    assert page.input_value("#clientSecret") == WIZARD.secret  # ...and is kept there

    # An unknown directory: Entra ID says so on step 1 itself, before any secret is sent.
    page.fill("#applicationId", WIZARD.app_id)
    page.fill("#directoryId", UNKNOWN_GUID)
    wizard_next(page, 1)
    expect(field_error(page, "directoryId")).to_contain_text("No directory (tenant)")
    expect(page.locator(".step[data-step='1']")).to_have_class("step active")
    page.fill("#directoryId", TENANT)
    wizard_next(page, 1)

    # Step 2: the secret's ID instead of its value, then a wrong secret.
    expect(page.locator("#secretExpiresAt")).to_have_value("")  # never a guessed date
    page.fill("#clientSecret", WIZARD.secret_id)
    wizard_next(page, 2)
    expect(field_error(page, "clientSecret")).to_contain_text("You pasted the secret's ID")
    page.fill("#clientSecret", "Wrong8Q~not.the-secret_value0123456789")
    wizard_next(page, 2)
    expect(field_error(page, "clientSecret")).to_contain_text(
        "use the secret's Value, not its Secret ID"
    )
    expect(field_error(page, "clientSecret").locator("a.support")).to_have_text(
        "Get in touch with support"
    )
    screenshot(page, "wizard-step-2-error")
    page.fill("#clientSecret", WIZARD.secret)
    wizard_next(page, 2)

    # Step 3: the user picks among the subscriptions the app sees; a disabled one is refused.
    expect(page.locator(".step[data-step='3']")).to_have_class("step active")
    options = page.locator("#subscriptionId option")
    expect(options).to_have_count(3)
    assert "Legacy" in options.nth(2).inner_text() and "Disabled" in options.nth(2).inner_text()
    screenshot(page, "wizard-step-3")
    page.select_option("#subscriptionId", LEGACY)
    wizard_next(page, 3)
    expect(field_error(page, "subscriptionId")).to_contain_text("'Legacy' is Disabled")
    screenshot(page, "wizard-step-3-error")
    page.select_option("#subscriptionId", DEVELOPMENT)
    wizard_next(page, 3)

    # Step 4: the name defaults to the subscription's; team access is optional.
    expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    expect(page.locator("#name")).to_have_value("Development")
    expect(page.locator(".step[data-step='3'] [data-summary]")).to_contain_text(
        "Reader verified on Development"
    )
    screenshot(page, "wizard-step-4")
    page.fill("#name", "")  # an emptied name: the subscription's display name, read from Azure
    page.click("text=Save Account")
    expect(page.locator(".alert.success")).to_contain_text("“Development” connected")
    expect(page.locator(".alert.success")).to_contain_text("first scan has started")
    dev = row(page, "Development")
    expect(dev.locator(".badge")).to_have_text("Connected")
    expect(dev).to_contain_text(DEVELOPMENT)
    expect(dev.locator(".expiry")).to_have_count(0)  # no date given: no guessed warning
    expect(dev.locator("[data-testid=secret-expiry]")).to_have_text("not known")
    expect(dev.get_by_label("Edit Development")).to_be_visible()
    expect(dev.get_by_label("Remove Development")).to_be_visible()
    assert WIZARD.secret not in page.content()
    screenshot(page, "accounts-list")
    # Connected means scanned: the first scan was started by the web UI, not the API.
    dev.locator("a", has_text="Scans").click()
    expect(page.locator("#scan-history tbody tr").first.locator("td").nth(1)).to_have_text("web")


def test_a_refused_save_keeps_the_form_but_not_the_secret(
    page: Page, server: LiveServer, people: People
) -> None:
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts/new")
    walk_wizard(page, app_id=WIZARD.app_id, tenant=TENANT, secret=WIZARD.secret, through=3)
    page.fill("#name", "Switched behind the wizard's back")
    # The subscription changes without the page noticing (as if the role was revoked meanwhile):
    # Save checks everything again and refuses.
    page.evaluate(f"document.getElementById('subscriptionId').options[0].value = '{LEGACY}'")
    page.click("text=Save Account")
    expect(field_error(page, "subscriptionId")).to_contain_text("'Legacy' is Disabled")
    expect(page.locator("#name")).to_have_value("Switched behind the wizard's back")
    expect(page.locator("#applicationId")).to_have_value(WIZARD.app_id)
    expect(page.locator("#clientSecret")).to_have_value("")
    expect(page.locator(".step[data-step='2'] .hint")).to_contain_text("paste its Value again")
    assert WIZARD.secret not in page.content()
    screenshot(page, "wizard-save-refused")


def test_azure_not_answering_is_not_called_a_credential_error(
    page: Page, server: LiveServer, people: People, simulator: Simulator
) -> None:
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts/new")
    walk_wizard(page, app_id=WIZARD.app_id, tenant=TENANT, through=1)
    page.fill("#clientSecret", WIZARD.secret)
    simulator.inject_fault("subscriptions", status=503, count=10)
    try:
        wizard_next(page, 2)
        general = page.locator(".step[data-step='2'] .step-error")
        expect(general).to_contain_text("nothing is wrong with your credentials")
        expect(general.locator("a.support")).to_have_text("Get in touch with support")
        expect(field_error(page, "clientSecret")).to_be_hidden()
    finally:
        simulator.clear_faults()
    wizard_next(page, 2)  # Azure answers again: the same secret passes
    expect(page.locator(".step[data-step='3']")).to_have_class("step active")


def test_an_app_without_any_role_is_sent_to_the_role_step_and_checks_again(
    page: Page, server: LiveServer, people: People, simulator: Simulator
) -> None:
    group_scope = next(
        a.scope
        for a in make_environment().role_assignments
        if a.principal_id == GROUP_ONLY.object_id
    )
    subscription_scope = f"/subscriptions/{PRODUCTION}"
    simulator.revoke_role(GROUP_ONLY.object_id, group_scope)
    try:
        login(page, server.url, people.owner, PASSWORD)
        page.goto(server.url + "/azure/accounts/new")
        walk_wizard(
            page, app_id=GROUP_ONLY.app_id, tenant=TENANT, secret=GROUP_ONLY.secret, through=2
        )
        # The secret works; seeing no subscription is what step 3 fixes.
        step3 = page.locator(".step[data-step='3']")
        expect(step3).to_have_class("step active")
        expect(step3.locator(".notice")).to_contain_text("cannot see any subscription")
        simulator.grant_role(GROUP_ONLY.object_id, subscription_scope)
        step3.locator("[data-refresh]").click()
        expect(page.locator("#subscriptionId option")).to_have_text([re.compile("Production")])
        expect(step3.locator(".notice")).to_be_hidden()
        wizard_next(page, 3)
        expect(page.locator(".step[data-step='4']")).to_have_class("step active")
    finally:
        simulator.revoke_role(GROUP_ONLY.object_id, subscription_scope)
        simulator.grant_role(GROUP_ONLY.object_id, group_scope)


def test_no_reader_role_is_refused_on_the_subscription_step(
    page: Page, server: LiveServer, people: People
) -> None:
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts/new")
    walk_wizard(
        page,
        app_id=GROUP_ONLY.app_id,
        tenant=TENANT,
        secret=GROUP_ONLY.secret,
        subscription=PRODUCTION,
        through=3,
    )
    expect(field_error(page, "subscriptionId")).to_contain_text("assign the Reader role")
    expect(page.locator(".step[data-step='4']")).not_to_have_class("step active")


def test_edit_renames_and_replaces_the_secret(
    page: Page, server: LiveServer, people: People
) -> None:
    add_account(server, people.owner, "Edit me")
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    row(page, "Edit me").get_by_label("Edit Edit me").click()
    expect(page.locator("#clientSecret")).to_have_value("")  # never pre-filled
    screenshot(page, "account-edit")
    page.fill("#name", "   ")
    page.click("text=Save changes")
    expect(field_error(page, "name")).to_contain_text("Account name: string should have at least")
    page.fill("#name", "Renamed")
    page.click("text=Save changes")
    expect(page.locator(".alert.success")).to_contain_text("“Renamed” saved")
    expect(row(page, "Renamed")).to_have_count(1)

    # A wrong new secret is refused in place; the name typed is kept, the secret is not.
    row(page, "Renamed").get_by_label("Edit Renamed").click()
    page.fill("#name", "Renamed again")
    page.fill("#clientSecret", "Bad8Q~wrong.secret-value_0123456789abcd")
    page.click("text=Save changes")
    expect(field_error(page, "clientSecret")).to_contain_text("use the secret's Value")
    expect(field_error(page, "clientSecret").locator("a.support")).to_have_attribute(
        "href", "mailto:support@example.com"
    )
    expect(page.locator("#name")).to_have_value("Renamed again")
    expect(page.locator("#clientSecret")).to_have_value("")
    page.fill("#clientSecret", READER.secret)
    page.click("text=Save changes")
    expect(page.locator(".alert.success")).to_contain_text("“Renamed again” saved")

    page.goto(server.url + "/audit")
    edits = page.locator("table.audit tr[data-action=edit]")
    expect(edits.first).to_contain_text("Client secret")
    expect(edits.first).to_contain_text("replaced")
    assert READER.secret not in page.content()


def test_a_stale_edit_form_is_refused(page: Page, server: LiveServer, people: People) -> None:
    account_id = add_account(server, people.owner, "Contended")
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + f"/azure/accounts/{account_id}/edit")
    other = page.context.new_page()  # another administrator saves first
    other.goto(server.url + f"/azure/accounts/{account_id}/edit")
    other.fill("#name", "Theirs")
    other.click("text=Save changes")
    expect(other.locator(".alert.success")).to_be_visible()
    page.fill("#name", "Mine")
    page.click("text=Save changes")
    expect(page.locator("#form-error")).to_contain_text("changed since you loaded it")
    page.goto(server.url + "/azure/accounts")
    expect(row(page, "Theirs")).to_have_count(1)
    expect(row(page, "Mine")).to_have_count(0)


def test_sharing_with_a_team_shows_the_account_to_its_members_only(
    page: Page, server: LiveServer, people: People
) -> None:
    add_account(server, people.owner, "Shared estate")
    add_account(server, people.owner, "Private estate")
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    row(page, "Shared estate").get_by_label("Edit Shared estate").click()
    page.get_by_label(f"{people.team_name}: read").check()
    page.click("text=Save changes")
    expect(page.locator(".alert.success")).to_be_visible()

    page.context.clear_cookies()
    login(page, server.url, people.member, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    expect(row(page, "Shared estate")).to_have_count(1)
    expect(row(page, "Private estate")).to_have_count(0)
    # A member of a read team edits and removes nothing, and adds nothing.
    expect(row(page, "Shared estate").locator(".icon-button")).to_have_count(0)
    expect(page.locator("text=Add Azure Account")).to_have_count(0)

    page.context.clear_cookies()
    login(page, server.url, people.owner, PASSWORD)
    row(page, "Private estate").get_by_label("Edit Private estate").click()
    page.get_by_label(f"{people.team_name}: write").check()
    page.click("text=Save changes")
    expect(page.locator(".alert.success")).to_be_visible()

    # A member of a write team may rename it, but neither share nor remove it.
    page.context.clear_cookies()
    login(page, server.url, people.member, PASSWORD)
    expect(row(page, "Private estate").get_by_label("Remove Private estate")).to_have_count(0)
    row(page, "Private estate").get_by_label("Edit Private estate").click()
    expect(page.locator(".team-access")).to_have_count(0)
    page.fill("#name", "Team estate")
    page.click("text=Save changes")
    expect(row(page, "Team estate")).to_have_count(1)

    page.context.clear_cookies()
    login(page, server.url, people.outsider, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    expect(row(page, "Shared estate")).to_have_count(0)
    expect(row(page, "Team estate")).to_have_count(0)
    expect(page.locator(".empty")).to_contain_text("No Azure account is shared with you")

    response = page.goto(server.url + "/azure/accounts/new")
    assert response is not None and response.status == 403

    # One word for access everywhere (read/write), and teams by their names, never their IDs.
    page.context.clear_cookies()
    login(page, server.url, people.owner, PASSWORD)
    for path in ("/settings/teams", "/azure/accounts/new"):
        page.goto(server.url + path)
        text = page.locator("main").inner_text()
        assert not re.search(r"\b(view|edit) team\b|can view|can edit", text, re.I), path
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", text), path
    expect(page.locator(".team-access thead")).to_contain_text("Read")
    expect(page.locator(".team-access thead")).to_contain_text("Write")


def test_remove_asks_for_confirmation_naming_the_account(
    page: Page, server: LiveServer, people: People
) -> None:
    add_account(server, people.owner, "Doomed")
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    row(page, "Doomed").get_by_label("Remove Doomed").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("Remove Doomed?")
    expect(dialog.locator("button.danger")).to_have_text("Remove")
    screenshot(page, "account-remove-dialog")
    dialog.locator("text=Cancel").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(row(page, "Doomed")).to_have_count(1)

    row(page, "Doomed").get_by_label("Remove Doomed").click()
    page.locator("dialog[open] button.danger").click()
    expect(page.locator(".alert.success")).to_contain_text("“Doomed” removed")
    expect(row(page, "Doomed")).to_have_count(0)


def test_expiry_warnings_30_and_7_days_ahead(
    page: Page, server: LiveServer, people: People
) -> None:
    soon = (utcnow() + timedelta(days=5, hours=1)).isoformat()
    later = (utcnow() + timedelta(days=20, hours=1)).isoformat()
    add_account(server, people.owner, "Expires soon", secretExpiresAt=soon)
    add_account(server, people.owner, "Expires later", secretExpiresAt=later)
    past = (utcnow() - timedelta(days=2)).isoformat()
    add_account(server, people.owner, "Expired", secretExpiresAt=past)
    with server.db.session() as s:
        account_service.mark_expired_secrets(s)  # the scheduled expiry job
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    urgent = row(page, "Expires soon").locator(".expiry")
    expect(urgent).to_have_class("expiry urgent")
    expect(urgent).to_contain_text("expires in 5 days")
    expect(urgent).to_contain_text("replace it now")
    warn = row(page, "Expires later").locator(".expiry")
    expect(warn).to_have_class("expiry warn")
    expect(warn).to_contain_text("expires in 20 days")
    expired = row(page, "Expired")
    expect(expired.locator(".badge")).to_have_text("Secret expired")
    expect(expired.locator(".status-message")).to_contain_text("create a new secret")
    expect(expired.locator(".expiry")).to_have_class("expiry expired")
    screenshot(page, "accounts-expiry-warnings")

    # The date is shown on the edit form; emptied there, it is cleared and the warning goes.
    row(page, "Expires later").get_by_label("Edit Expires later").click()
    expect(page.locator("#secretExpiresAt")).to_have_value(later[:10])
    page.fill("#secretExpiresAt", "")
    page.click("text=Save changes")
    expect(page.locator(".alert.success")).to_contain_text("“Expires later” saved")
    expect(row(page, "Expires later").locator(".expiry")).to_have_count(0)
    expect(row(page, "Expires soon").locator(".expiry")).to_have_count(1)


def test_markup_in_an_account_name_is_shown_escaped(
    page: Page, server: LiveServer, people: People
) -> None:
    name = "<img src=x onerror=alert(1)>"
    add_account(server, people.owner, name)
    alerts: list[str] = []

    def record(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    expect(row(page, name)).to_have_count(1)
    assert page.locator("table.accounts img").count() == 0
    row(page, name).get_by_label(f"Remove {name}").click()
    expect(page.locator("dialog[open] .dialog-name")).to_have_text(name)
    page.locator("dialog[open] >> text=Cancel").click()
    row(page, name).get_by_label(f"Edit {name}").click()
    expect(page.locator("h1")).to_have_text(f"Edit {name}")
    assert alerts == []


def test_csv_import_reports_each_row(
    page: Page, server: LiveServer, people: People, tmp_path: Path
) -> None:
    csv_file = tmp_path / "accounts.csv"
    csv_file.write_text(
        "name,subscriptionId,directoryId,applicationId,clientSecret,secretExpiresAt\n"
        f"Imported prod,{PRODUCTION},{TENANT},{READER.app_id},{READER.secret},2030-01-01\n"
        f"Wrong secret,{PRODUCTION},{TENANT},{READER.app_id},Nope8Q~wrong-secret.value_01234567\n"
        f"Bad id,not-a-guid,{TENANT},{READER.app_id},{READER.secret}\n"
    )
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    page.click("text=Import CSV")
    page.set_input_files("#file", str(csv_file))
    page.click("text=Check and import")
    expect(page.locator("[role=status]")).to_contain_text("1 of 3 accounts connected")
    expect(page.locator("tr[data-row='1'] .badge")).to_have_text("ok")
    expect(page.locator("tr[data-row='2']")).to_contain_text("use the secret's Value")
    expect(page.locator("tr[data-row='3']")).to_contain_text("Subscription ID must be a GUID")
    assert READER.secret not in page.content()
    screenshot(page, "accounts-import")
    page.goto(server.url + "/azure/accounts")
    expect(row(page, "Imported prod")).to_have_count(1)

    header = "name,subscriptionId,directoryId,applicationId,clientSecret\n"
    line = f"n,{PRODUCTION},{TENANT},{READER.app_id},x\n"
    csv_file.write_text(header + line * 101)
    page.goto(server.url + "/azure/accounts/import")
    page.set_input_files("#file", str(csv_file))
    page.click("text=Check and import")
    expect(page.locator(".alert.error")).to_contain_text("at most 100 accounts")
    csv_file.write_text("name,subscription\nx,y\n")
    page.set_input_files("#file", str(csv_file))
    page.click("text=Check and import")
    expect(page.locator(".alert.error")).to_contain_text("missing: subscriptionId")


def test_audit_page_lists_who_did_what(page: Page, server: LiveServer, people: People) -> None:
    account_id = add_account(server, people.owner, "Audited")
    from cloudcanvas.accounts.schemas import AccountUpdate
    from cloudcanvas.identity import repository as identity_repository

    with server.db.session() as s:
        user = identity_repository.get_user_by_email(s, people.owner)
        assert user is not None
        account_service.update_account(
            s,
            actor=actor(s, user),
            account_id=account_id,
            data=AccountUpdate.model_validate({"name": "Audited & renamed"}),
            azure=account_service.AzureContext.from_settings(server.settings),
        )
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts")
    page.click("summary[aria-label='User menu']")
    page.click("text=Audit log")
    added = page.locator("table.audit tr[data-action=add]", has_text="Audited")
    expect(added).to_contain_text(people.owner)
    expect(added.locator("dt", has_text="Subscription ID")).to_have_count(1)  # a label, not a key
    expect(added).to_contain_text(PRODUCTION)
    edited = page.locator("table.audit tr[data-action=edit]", has_text="Audited & renamed")
    expect(edited.locator("dt")).to_have_text(["Account name"])
    expect(edited.locator("dd")).to_have_text("Audited → Audited & renamed")
    screenshot(page, "audit-log")

    page.context.clear_cookies()
    login(page, server.url, people.member, PASSWORD)
    response = page.goto(server.url + "/audit")
    assert response is not None and response.status == 403


def test_the_step_check_never_echoes_the_secret(
    page: Page, server: LiveServer, people: People
) -> None:
    login(page, server.url, people.owner, PASSWORD)
    token = page.locator("#wizard input[name=csrf_token]")
    page.goto(server.url + "/azure/accounts/new")
    wrong = "Leak8Q~do-not.echo_this-secret-0123456789"
    response = page.request.post(
        server.url + "/azure/accounts/new/check",
        multipart={
            "step": "secret",
            "directoryId": TENANT,
            "applicationId": WIZARD.app_id,
            "clientSecret": wrong,
        },
        headers={"X-CSRF-Token": token.input_value()},
    )
    body = response.json()
    assert body["ok"] is False and body["field"] == "clientSecret"
    assert wrong not in response.text()
    refused = page.request.post(server.url + "/azure/accounts/new/check", multipart={"step": "app"})
    assert refused.status == 403  # no CSRF token


def test_free_plan_and_viewers_are_told_what_they_may_not_do(
    page: Page, server: LiveServer
) -> None:
    with server.db.session() as s:
        free_owner = make_user(s, make_org(s, plan="free"), role="owner").email
        viewer = make_user(s, make_org(s, plan="pro"), role="viewer").email
    login(page, server.url, free_owner, PASSWORD)
    expect(page.locator(".alert.error")).to_contain_text("pro or enterprise plan")
    expect(page.locator("summary[aria-label='User menu']")).to_contain_text(free_owner)

    page.context.clear_cookies()
    login(page, server.url, viewer, PASSWORD)
    expect(page.locator(".empty")).to_be_visible()
    expect(page.locator("text=Add Azure Account")).to_have_count(0)
    response = page.goto(server.url + "/azure/accounts/new")
    assert response is not None and response.status == 403
    expect(page.locator(".alert.error")).to_contain_text("the viewer role may not do")


def test_the_edit_page_offers_the_subscriptions_the_app_sees(
    page: Page, server: LiveServer, people: People
) -> None:
    account_id = add_account(
        server, people.owner, "Picker", applicationId=WIZARD.app_id, clientSecret=WIZARD.secret
    )
    login(page, server.url, people.owner, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/edit")
    options = page.locator("#subscription-options")
    expect(options).to_have_attribute("data-loaded", "3")
    labels = options.locator("option").evaluate_all("els => els.map(e => e.textContent)")
    assert any("Development" in label for label in labels)
    assert WIZARD.secret not in page.content()
    page.fill("#subscriptionId", DEVELOPMENT)
    page.click("text=Save changes")
    expect(row(page, "Picker")).to_contain_text(DEVELOPMENT)


def test_connecting_a_connected_subscription_warns_and_offers_the_existing_account(
    page: Page, server: LiveServer, people: People
) -> None:
    add_account(server, people.owner, "Prod")
    login(page, server.url, people.owner, PASSWORD)
    page.goto(server.url + "/azure/accounts/new")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    form = {
        "csrf_token": token,
        "name": "Prod again",
        "subscriptionId": PRODUCTION,
        "directoryId": TENANT,
        "applicationId": READER.app_id,
        "clientSecret": READER.secret,
    }
    response = page.request.post(server.url + "/azure/accounts", form=form, max_redirects=0)
    assert response.status == 400
    page.set_content(response.text())
    warning = page.locator("[data-testid=duplicate-warning]")
    expect(warning).to_contain_text("already connected as")  # (other tests' accounts share it)
    href = warning.locator("a").get_attribute("href") or ""
    assert re.fullmatch(r"/azure/accounts/[0-9a-f-]{36}/diagram", href)
    assert READER.secret not in response.text()
    again = page.request.post(
        server.url + "/azure/accounts", form=form | {"allowDuplicate": "1"}, max_redirects=0
    )
    assert again.status == 303
    page.goto(server.url + "/azure/accounts")
    expect(row(page, "Prod again")).to_contain_text(PRODUCTION)
