"""In Chromium: the Blueprints page (rename, duplicate, delete with its confirmation), share
settings and the share link opened logged out (the drawing; a rotated or revoked link 404s; the
frame headers), and "Save as blueprint" from an account's diagram."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from cloudcanvas.blueprint import service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.store.models import Blueprint
from tests.api.test_blueprints import document
from tests.browser import login, screenshot
from tests.factories import PASSWORD, actor, make_org, make_user
from tests.live import LiveServer
from tests.web.test_viewer_browser import connect_and_scan

pytestmark = pytest.mark.browser


def _owner_with_blueprint(server: LiveServer, email: str, name: str) -> str:
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=email)
        write = BlueprintWrite(data=document(name=name))
        return service.create_blueprint(s, actor=actor(s, owner), write=write).id


def _names(server: LiveServer, email: str) -> list[str]:
    with server.db.session() as s:
        user = identity_repository.get_user_by_email(s, email)
        found = s.query(Blueprint).filter_by(organization_id=user.organization_id)
        return sorted(b.name for b in found)


def test_blueprints_page_rename_duplicate_delete(page: Page, server: LiveServer) -> None:
    email = "bp-list@example.com"
    bp = _owner_with_blueprint(server, email, "Checkout <flow>")
    login(page, server.url, email, PASSWORD)
    page.click("nav.mainnav >> text=Blueprints")
    expect(page).to_have_url(server.url + "/blueprints")
    row = page.locator(f"tr[data-blueprint-id='{bp}']")
    expect(row.locator(".bp-name")).to_have_text("Checkout <flow>")
    expect(row.locator(".bp-name")).to_have_attribute("href", f"/blueprints/{bp}")
    expect(row).to_contain_text(email)
    screenshot(page, "blueprints-page")

    row.locator("summary", has_text="Rename").click()
    row.locator("input[name=name]").fill("Checkout v2")
    row.locator("button", has_text="Save").click()
    expect(page.locator(".alert.success")).to_contain_text("Renamed to “Checkout v2”")
    assert _names(server, email) == ["Checkout v2"]

    page.locator(f"tr[data-blueprint-id='{bp}'] button", has_text="Duplicate").click()
    expect(page.locator(".alert.success")).to_contain_text("Checkout v2 (copy)")
    expect(page.locator("tr[data-blueprint-id]")).to_have_count(2)

    row = page.locator(f"tr[data-blueprint-id='{bp}']")
    row.get_by_role("button", name="Delete Checkout v2").click()
    dialog = page.locator(f"dialog#delete-{bp}")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()  # the confirmation can say no
    expect(dialog).to_be_hidden()
    assert _names(server, email) == ["Checkout v2", "Checkout v2 (copy)"]
    row.get_by_role("button", name="Delete Checkout v2").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(page.locator(".alert.success")).to_contain_text("Deleted “Checkout v2”")
    expect(page.locator("tr[data-blueprint-id]")).to_have_count(1)
    assert _names(server, email) == ["Checkout v2 (copy)"]


def test_share_link_opens_logged_out_and_dies_when_rotated_or_revoked(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    email = "bp-share@example.com"
    bp = _owner_with_blueprint(server, email, "Shared shop")
    login(page, server.url, email, PASSWORD)
    page.goto(f"{server.url}/blueprints/{bp}/share")
    page.click("#enable-share")
    link = page.locator("#share-link").input_value()
    assert re.fullmatch(re.escape(server.url) + r"/share/[\w-]{22}/[\w-]{22}", link)
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_be_visible()
    screenshot(page, "blueprint-share-settings")

    stranger = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        public = stranger.new_page()
        answer = public.goto(link)
        assert answer is not None and answer.status == 200
        drawing = public.locator("[data-testid=shared-drawing] svg.cloudcanvas-diagram")
        expect(drawing).to_be_visible()
        expect(drawing.locator("g.texts text")).to_have_text("Hello <script>")
        expect(public.locator("meta[name=robots]")).to_have_attribute(
            "content", re.compile("noindex")
        )
        assert answer.headers["x-robots-tag"].startswith("noindex")
        assert answer.headers["x-frame-options"] == "DENY"  # not opted in: no frames
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        expect(public.locator("nav.mainnav")).to_have_count(0)  # logged out: no app menus
        screenshot(public, "blueprint-share-viewer")

        page.click("#toggle-embed")  # opt in to embedding
        expect(page.locator("#toggle-embed")).to_have_text("Refuse embedding")
        framed = public.goto(link)
        assert framed is not None and "x-frame-options" not in framed.headers
        assert "frame-ancestors *" in framed.headers["content-security-policy"]

        page.click("#rotate-link")
        new_link = page.locator("#share-link").input_value()
        assert new_link != link
        old = public.goto(link)
        assert old is not None and old.status == 404
        expect(public.locator("h1")).to_have_text("Not found")
        fresh = public.goto(new_link)
        assert fresh is not None and fresh.status == 200

        page.click("#revoke-link")
        expect(page.locator("#enable-share")).to_be_visible()
        revoked = public.goto(new_link)
        assert revoked is not None and revoked.status == 404
    finally:
        stranger.close()


def test_save_a_view_as_a_live_blueprint(page: Page, server: LiveServer) -> None:
    scanned = connect_and_scan(server, "bp-save@example.com", "Prod for blueprints")
    login(page, server.url, scanned.email, PASSWORD)
    region = scanned.locations[0]
    page.goto(f"{server.url}/azure/accounts/{scanned.account_id}/diagram?location={region}")
    expect(page.locator("#cc-diagram")).to_be_visible()
    page.click("label:has(input[name=theme][value=dark])")
    expect(page.locator("#cc-diagram")).to_have_attribute("data-theme", "dark")
    page.select_option("#cc-group", "resourcegroup")
    page.wait_for_url(re.compile("groupBy=resourcegroup"))
    page.click("#cc-export summary")  # the Export menu offers it first
    expect(page.locator("#cc-save-blueprint-button")).to_be_visible()
    screenshot(page, "viewer-save-as-blueprint")
    page.click("#cc-save-blueprint-button")
    page.wait_for_url(re.compile(r"/blueprints/[0-9a-f-]{36}$"))
    bp_id = page.url.rsplit("/", 1)[1]
    with server.db.session() as s:
        data = s.get(Blueprint, bp_id).data
    assert data["liveAccount"] == {"id": scanned.account_id, "type": "azure"}
    assert data["liveOptions"]["updatesEnabled"] is True
    assert data["theme"] == {"base": "dark"} and data["groupBy"] == ["resourcegroup"]
    assert data["location"] == region and data["nodes"]
    assert {n["region"] for n in data["nodes"]} == {region}
    page.goto(f"{server.url}/blueprints")
    row = page.locator(f"tr[data-blueprint-id='{bp_id}']")
    expect(row).to_contain_text("Prod for blueprints")
    expect(row.locator(".badge")).to_have_text("live")
