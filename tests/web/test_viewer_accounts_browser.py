"""Several accounts in one diagram in the viewer (issue 13): "Draw with" adds another account's
latest snapshot; its resources are drawn and their details open."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from tests.azure_env import DEVELOPMENT, PRODUCTION, READER, TENANT, WIZARD
from tests.browser import login
from tests.factories import PASSWORD, actor, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def connect_and_scan(server: LiveServer, owner_id: str, name: str, sub: str, app: object) -> str:
    azure = account_service.AzureContext.from_settings(server.settings)
    with server.db.session() as s:
        from cloudcanvas.store.models import User

        owner = s.get(User, owner_id)
        assert owner is not None
        data = AccountCreate.model_validate(
            {
                "name": name,
                "subscriptionId": sub,
                "directoryId": TENANT,
                "applicationId": app.app_id,  # type: ignore[attr-defined]
                "clientSecret": app.secret,  # type: ignore[attr-defined]
            }
        )
        account = account_service.create_account(s, actor=actor(s, owner), data=data, azure=azure)
        scan, _ = inventory_service.start_scan(s, account=account, actor=None)
        account_id, scan_id = account.id, scan.id
    scan_job.run_scan(server.db, azure, scan_id)
    deadline = time.monotonic() + 60
    while True:
        with server.db.session() as s:
            found = inventory_repository.get_scan(s, scan_id)
            if found is not None and not found.active:
                return account_id
        assert time.monotonic() < deadline, "the scan did not finish"
        time.sleep(0.1)


def test_draw_with_another_account(page: Page, server: LiveServer) -> None:
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email="estate@example.com")
        owner_id, email = owner.id, owner.email
    prod = connect_and_scan(server, owner_id, "Prod", PRODUCTION, READER)
    dev = connect_and_scan(server, owner_id, "Dev <team>", DEVELOPMENT, WIZARD)
    login(page, server.url, email, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{prod}/diagram?location=all")
    resources = page.locator("#cc-diagram g.resource")
    expect(resources.first).to_be_attached()
    expect(page.locator(f"#cc-diagram g.resource[data-key*='{DEVELOPMENT}']")).to_have_count(0)
    alone = resources.count()
    expect(page.locator("#cc-with option")).to_have_text(["Dev <team>"])
    page.select_option("#cc-with", [dev])
    expect(
        page.locator(f"#cc-diagram g.resource[data-key*='{DEVELOPMENT}']").first
    ).to_be_attached()
    assert resources.count() > alone
    # the details of a resource of the other account open
    other = page.locator(f"#cc-diagram g.resource[data-key*='{DEVELOPMENT}']").first
    key = other.get_attribute("data-key") or ""
    details = page.request.get(
        f"{server.url}/azure/accounts/{prod}/resources?key={key}&with={dev}&format=json"
    )
    assert details.status == 200 and details.json()["key"] == key
