"""The blueprint editor in Chromium (issue 11): move a block, add a text, undo, redo, save, reload
and see both; a group drags its members; an isometric drag lands on the right map cell; a stale
save shows the conflict and keeps the edits; a viewer gets no edit controls."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.blueprint import repository, service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.store.models import User
from tests.browser import drag, login, screenshot
from tests.factories import PASSWORD, actor, make_org, make_team, make_user
from tests.live import LiveServer
from tests.web.test_viewer_browser import connect_and_scan

pytestmark = pytest.mark.browser


def _document(projection: str) -> dict[str, Any]:
    return {
        "grid": "standard",
        "name": f"Shop <{projection}>",
        "projection": projection,
        "nodes": [
            {"id": "web", "type": "vm", "name": "web <1>", "mapPos": [0, 0]},
            {"id": "db", "type": "sqldatabase", "name": "db", "mapPos": [10, 2]},
        ],
        "groups": [
            {
                "id": "grp",
                "type": "vnet",
                "name": "vnet-a",
                "mapPos": [8, -2],
                "mapSize": [6, 7],
                "nodes": ["db"],
            },
        ],
        "edges": [{"id": "e1", "from": "web", "to": "db"}],
        "text": [],
    }


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> dict[str, str]:
    with live_server.db.session() as s:
        org = make_org(s)
        owner = make_user(s, org, role="owner", email="bp-owner@example.com")
        viewer = make_user(s, org, role="viewer", email="bp-viewer@example.com")
        team = make_team(s, org, viewer)
        ids = {}
        for projection in ("2d", "isometric"):
            write = BlueprintWrite(data=_document(projection), readers=[f"team/{team.id}"])
            ids[projection] = service.create_blueprint(s, actor=actor(s, owner), write=write).id
        return {"owner": owner.email, "viewer": viewer.email, **ids}


def _stored(server: LiveServer, blueprint_id: str) -> dict[str, Any]:
    with server.db.session() as s:
        blueprint = repository.get_blueprint(s, blueprint_id)
        assert blueprint is not None
        return dict(blueprint.data)


def _open(page: Page, server: LiveServer, blueprint_id: str) -> None:
    page.goto(f"{server.url}/blueprints/{blueprint_id}")
    expect(page.locator("#bp-canvas svg [data-element]").first).to_be_visible()


def _scale(page: Page) -> float:
    """Screen pixels per drawing unit."""
    return float(page.evaluate("document.querySelector('#bp-canvas svg').getScreenCTM().a"))


def _centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drawn(page: Page) -> None:
    """Wait until the drawing shows the document's latest state."""
    page.wait_for_function(
        "() => { const r = document.getElementById('bp');"
        " return r.dataset.drawn !== undefined && r.dataset.drawn === r.dataset.version"
        " && !document.querySelector('#bp-canvas [transform^=translate]'); }"
    )


def test_move_add_text_undo_redo_save_reload(page: Page, live_server: LiveServer, people):
    server, blueprint_id = live_server, people["2d"]
    errors: list[str] = []  # CSP refusals and script errors show up here
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, server.url, people["owner"], PASSWORD)
    _open(page, server, blueprint_id)
    expect(page.locator("#bp-name")).to_have_text("Shop <2d>")
    screenshot(page, "blueprint-editor-open")
    # Move the web block 3.3 map units right and 2 down (2D: 20 drawing units each): snapped to 3, 2.
    scale = _scale(page)
    x, y = _centre(page, "[data-element-id='web']")
    drag(page, x, y, 3.3 * 20 * scale, 2 * 20 * scale)
    _drawn(page)
    expect(page.locator("#bp-status")).to_have_text("Unsaved changes")
    # Drag the group: its member (db) moves with it.
    gx, gy = _centre(page, "[data-element-id='grp'] polygon")
    drag(page, gx, gy, 0, 2 * 20 * scale)
    _drawn(page)
    # Add a text and write in it.
    page.click("#bp-add-text")
    expect(page.locator("#bp-canvas svg g.texts text")).to_have_text("New text")
    page.fill("#bp-text", 'Hello <b>"you"</b>')
    page.press("#bp-text", "Enter")
    texts = page.locator("#bp-canvas svg g.texts text")
    expect(texts).to_have_text('Hello <b>"you"</b>')
    # Recolour the web block.
    x, y = _centre(page, "[data-element-id='web']")
    page.mouse.click(x, y)
    page.locator("#bp-color").evaluate(
        "el => { el.value = '#ff0000'; el.dispatchEvent(new Event('change')); }"
    )
    _drawn(page)
    # Undo the colour and the text edit with the button and Ctrl-Z; redo both with Ctrl-Shift-Z.
    page.click("#bp-undo")
    _drawn(page)
    page.locator("#bp-canvas").focus()
    page.keyboard.press("Control+z")
    expect(texts).to_have_text("New text")
    page.keyboard.press("Control+Shift+z")
    expect(texts).to_have_text('Hello <b>"you"</b>')
    page.click("#bp-redo")
    _drawn(page)
    expect(page.locator("#bp-redo")).to_be_disabled()
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    expect(page.locator("#bp-save")).to_be_disabled()
    screenshot(page, "blueprint-editor-saved")

    stored = _stored(server, blueprint_id)
    nodes = {n["id"]: n for n in stored["nodes"]}
    assert nodes["web"]["mapPos"] == [3, 2]
    assert nodes["web"]["color"] == {"isometric": "#ff0000", "2d": "#ff0000"}
    assert nodes["db"]["mapPos"] == [10, 4]
    assert stored["groups"][0]["mapPos"] == [8, 0]
    assert [t["text"] for t in stored["text"]] == ['Hello <b>"you"</b>']
    assert stored["text"][0]["type"] == "isotext"

    page.reload()
    _open(page, server, blueprint_id)
    expect(texts).to_have_text('Hello <b>"you"</b>')
    moved = page.locator("[data-element-id='web'] use")
    drawn_x = float(moved.get_attribute("x") or "nan")
    assert drawn_x == 3 * 20  # the server drew it where it was saved
    expect(page.locator("#bp-undo")).to_be_disabled()

    # Drag the text two map units right; then delete it: gone after a save.
    tx, ty = _centre(page, "#bp-canvas svg g.texts text")
    before = _stored(server, blueprint_id)["text"][0]["mapPos"]
    drag(page, tx, ty, 2 * 20 * _scale(page), 0)
    _drawn(page)
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    assert _stored(server, blueprint_id)["text"][0]["mapPos"] == [before[0] + 2, before[1]]
    texts.click()
    page.click("#bp-delete")
    expect(texts).to_have_count(0)
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    assert _stored(server, blueprint_id)["text"] == []
    assert errors == []


def test_isometric_drag_lands_on_the_map_cell(page: Page, live_server: LiveServer, people):
    server, blueprint_id = live_server, people["isometric"]
    login(page, server.url, people["owner"], PASSWORD)
    _open(page, server, blueprint_id)
    scale = _scale(page)
    x, y = _centre(page, "[data-element-id='web']")
    # Map (+2, +1) is drawn at ((2 - 1) * 16, (2 + 1) * 8) = (16, 24) drawing units.
    drag(page, x, y, 16 * scale, 24 * scale)
    _drawn(page)
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    nodes = {n["id"]: n for n in _stored(server, blueprint_id)["nodes"]}
    assert nodes["web"]["mapPos"] == [2, 1]
    screenshot(page, "blueprint-editor-isometric")
    # Delete the block with the Delete key: its edge goes with it; the group forgets nothing else.
    x, y = _centre(page, "[data-element-id='web']")
    page.mouse.click(x, y)
    page.keyboard.press("ArrowRight")  # one map unit along x
    _drawn(page)
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    nodes = {n["id"]: n for n in _stored(server, blueprint_id)["nodes"]}
    assert nodes["web"]["mapPos"] == [3, 1]
    page.locator("#bp-canvas").focus()
    page.keyboard.press("Delete")
    expect(page.locator("[data-element-id='web']")).to_have_count(0)
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    stored = _stored(server, blueprint_id)
    assert [n["id"] for n in stored["nodes"]] == ["db"]
    assert stored["edges"] == []
    assert stored["groups"][0]["nodes"] == ["db"]


def _someone_else_renames(server: LiveServer, blueprint_id: str, name: str) -> None:
    """The blueprint's creator saves a new name from elsewhere: the page's ETag is stale."""
    with server.db.session() as s:
        blueprint = repository.get_blueprint(s, blueprint_id)
        assert blueprint is not None
        user = s.get(User, blueprint.creator_id)
        assert user is not None
        data = dict(blueprint.data) | {"name": name}
        write = BlueprintWrite(data=data)
        service.update_blueprint(s, actor=actor(s, user), blueprint_id=blueprint_id, write=write)


def test_stale_save_shows_the_conflict_and_keeps_the_edits(
    page: Page, live_server: LiveServer, people
):
    server, blueprint_id = live_server, people["2d"]
    login(page, server.url, people["owner"], PASSWORD)
    _open(page, server, blueprint_id)
    _someone_else_renames(server, blueprint_id, "Changed elsewhere")
    page.click("#bp-add-text")
    _drawn(page)
    page.click("#bp-save")
    conflict = page.locator("#bp-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("changed elsewhere")
    expect(page.locator("#bp-canvas svg g.texts text").last).to_have_text("New text")
    expect(page.locator("#bp-save")).to_be_enabled()
    screenshot(page, "blueprint-editor-conflict")
    assert _stored(server, blueprint_id)["name"] == "Changed elsewhere"
    page.click("#bp-reload")
    expect(conflict).to_be_hidden()
    expect(page.locator("#bp-name")).to_have_text("Changed elsewhere")
    expect(page.locator("#bp-save")).to_be_disabled()


def test_viewer_sees_no_edit_controls(page: Page, live_server: LiveServer, people):
    server, blueprint_id = live_server, people["2d"]
    login(page, server.url, people["viewer"], PASSWORD)
    _open(page, server, blueprint_id)
    expect(page.locator("#bp-readonly")).to_have_text("Read-only")
    for control in ("#bp-save", "#bp-undo", "#bp-add-text", "#bp-delete", "#bp-color"):
        expect(page.locator(control)).to_have_count(0)
    before = _stored(server, blueprint_id)
    svg = page.locator("#bp-canvas svg")
    home = svg.get_attribute("viewBox")
    x, y = _centre(page, "[data-element-id='web']")
    drag(page, x, y, 80, 40)  # pans the view; changes nothing
    assert _stored(server, blueprint_id) == before
    panned = (svg.get_attribute("viewBox") or "").split()
    assert panned[2:] == (home or "").split()[2:] and panned != (home or "").split()
    page.mouse.move(640, 500)
    page.mouse.wheel(0, -300)  # zooms in around the cursor
    expect(svg).not_to_have_attribute("viewBox", " ".join(panned))
    assert float((svg.get_attribute("viewBox") or "").split()[2]) < float(panned[2])
    page.click("#bp-fit")
    expect(svg).to_have_attribute("viewBox", home or "")
    page.focus("#bp-canvas")  # the keys of panzoom.js, shared with the share viewer
    page.keyboard.press("+")
    assert float((svg.get_attribute("viewBox") or "").split()[2]) < float((home or "").split()[2])
    page.keyboard.press("0")
    expect(svg).to_have_attribute("viewBox", home or "")
    screenshot(page, "blueprint-viewer-readonly")


def test_unsaved_changes_warn_on_leaving(page: Page, live_server: LiveServer, people):
    server, blueprint_id = live_server, people["isometric"]
    login(page, server.url, people["owner"], PASSWORD)
    _open(page, server, blueprint_id)
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.goto(f"{server.url}/azure/accounts")  # nothing changed: leaves without a question
    assert dialogs == []
    _open(page, server, blueprint_id)
    page.click("#bp-add-text")
    _drawn(page)
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 10
    while not dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]


def test_conflict_can_be_resolved_by_saving_over(page: Page, live_server: LiveServer, people):
    server, blueprint_id = live_server, people["isometric"]
    login(page, server.url, people["owner"], PASSWORD)
    _open(page, server, blueprint_id)
    _someone_else_renames(server, blueprint_id, "Renamed meanwhile")
    page.click("#bp-add-text")
    _drawn(page)
    page.keyboard.press("Control+s")
    expect(page.locator("#bp-conflict")).to_be_visible()
    page.click("#bp-dismiss")
    expect(page.locator("#bp-conflict")).to_be_hidden()
    expect(page.locator("#bp-save")).to_be_enabled()  # the edits are still there
    page.click("#bp-save")
    expect(page.locator("#bp-conflict")).to_be_visible()
    page.click("#bp-overwrite")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    expect(page.locator("#bp-conflict")).to_be_hidden()
    stored = _stored(server, blueprint_id)
    assert [t["text"] for t in stored["text"]] == ["New text"]
    assert stored["name"] == "Shop <isometric>"


def test_a_saved_view_is_edited_saved_and_reloaded(page: Page, server: LiveServer) -> None:
    """The whole path on a scanned estate: Save as blueprint in the viewer opens the editor;
    move a block, add a text, undo its edit, save, reload and see both."""
    scanned = connect_and_scan(server, "bp-editor-live@example.com", "Prod to edit")
    login(page, server.url, scanned.email, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{scanned.account_id}/diagram")
    expect(page.locator("#cc-diagram")).to_be_visible()
    page.click("#cc-export summary")
    page.click("#cc-save-blueprint-button")
    page.wait_for_url(re.compile(r"/blueprints/[0-9a-f-]{36}$"))
    blueprint_id = page.url.rsplit("/", 1)[1]
    _open(page, server, blueprint_id)
    front = page.locator("#bp-canvas svg g.resource[data-element]").last  # drawn over the rest
    element_id = front.get_attribute("data-element-id")
    assert element_id
    before = {n["id"]: n["mapPos"] for n in _stored(server, blueprint_id)["nodes"]}
    box = front.bounding_box()
    assert box is not None
    scale = _scale(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    drag(page, x, y, 16 * scale, 24 * scale)  # isometric: map (+2, +1)
    _drawn(page)
    page.click("#bp-add-text")
    page.fill("#bp-text", "Edge proxy")
    page.press("#bp-text", "Enter")
    texts = page.locator("#bp-canvas svg g.texts text").last  # the save keeps group labels
    expect(texts).to_have_text("Edge proxy")
    page.click("#bp-undo")
    expect(texts).to_have_text("New text")
    page.click("#bp-save")
    expect(page.locator("#bp-status")).to_have_text("Saved")
    page.reload()
    _open(page, server, blueprint_id)
    expect(texts).to_have_text("New text")
    screenshot(page, "blueprint-editor-live")
    after = {n["id"]: n["mapPos"] for n in _stored(server, blueprint_id)["nodes"]}
    old = before[element_id]
    assert after[element_id][:2] == [old[0] + 2, old[1] + 1]
    assert {k: v for k, v in after.items() if k != element_id} == {
        k: v for k, v in before.items() if k != element_id
    }
