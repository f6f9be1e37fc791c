"""In Chromium: the Blueprints page (rename, duplicate, delete with its confirmation), share
settings and the share link opened logged out (the drawing; a rotated or revoked link 404s; the
frame headers; pan and zoom by mouse, wheel, keys, touch and in a frame), and "Save as blueprint"
from an account's diagram."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from cloudcanvas.blueprint import service
from cloudcanvas.blueprint import share as share_service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.store.models import Blueprint
from tests.api.test_blueprints import document
from tests.browser import drag, login, screenshot
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


def _shared_link(server: LiveServer, email: str, name: str, *, embeddable: bool = True) -> str:
    """A blueprint shared by link."""
    bp = _owner_with_blueprint(server, email, name)
    with server.db.session() as s:
        owner = identity_repository.get_user_by_email(s, email)
        share = share_service.enable_share(
            s, actor=actor(s, owner), blueprint_id=bp, embeddable=embeddable
        )
        return server.url + share_service.share_path(share)


def _box(svg: Locator) -> list[float]:
    """The part of the drawing shown: the SVG's viewBox (x, y, width, height)."""
    return [float(n) for n in (svg.get_attribute("viewBox") or "").split()]


def _under(svg: Locator, x: float, y: float) -> list[float]:
    """The drawing point (drawing units) under the screen point (x, y)."""
    found: list[float] = svg.evaluate(
        "(svg, [x, y]) => { const p = new DOMPoint(x, y).matrixTransform("
        "svg.getScreenCTM().inverse()); return [p.x, p.y]; }",
        [x, y],
    )
    return found


def _zooms_and_pans(public: Page, svg: Locator) -> None:
    """The + button, the wheel at the cursor and a drag each change the view."""
    home = _box(svg)
    public.click("#bp-zoom-in")
    zoomed = _box(svg)
    assert zoomed[2] == pytest.approx(home[2] / 1.25)  # the centre stays, the scale grows
    assert zoomed[0] + zoomed[2] / 2 == pytest.approx(home[0] + home[2] / 2)
    public.mouse.move(500, 400)
    before = _under(svg, 500, 400)
    public.mouse.wheel(0, -200)
    public.wait_for_function(
        "w => document.querySelector('#bp-drawing svg').viewBox.baseVal.width < w", arg=zoomed[2]
    )
    wheeled = _box(svg)
    assert _under(svg, 500, 400) == pytest.approx(before, abs=0.01)  # the cursor's point stays
    scale = float(svg.evaluate("svg => svg.getScreenCTM().a"))
    drag(public, 500, 400, 120, -60)
    panned = _box(svg)
    assert panned[2:] == wheeled[2:]
    assert panned[0] == pytest.approx(wheeled[0] - 120 / scale, abs=0.01)
    assert panned[1] == pytest.approx(wheeled[1] + 60 / scale, abs=0.01)


def _fills(svg: Locator, drawing: Locator) -> bool:
    """The SVG element is as large as the drawing's box (zooming never scales the element)."""
    shown = svg.bounding_box()
    inner: list[float] = drawing.evaluate("d => [d.clientWidth, d.clientHeight]")
    assert shown is not None
    return [shown["width"], shown["height"]] == pytest.approx(inner, abs=0.5)


def _fitted(svg: Locator, drawing: Locator, home: str) -> bool:
    """The SVG fills the drawing's box and shows the blueprint's whole drawing (its own viewBox),
    touching two opposite sides."""
    shown = svg.bounding_box()
    assert shown is not None
    scale = float(svg.evaluate("svg => svg.getScreenCTM().a"))
    box = _box(svg)
    room = [shown["width"] - box[2] * scale, shown["height"] - box[3] * scale]
    shows_all = svg.get_attribute("viewBox") == home and -0.5 < min(room) < 0.5
    return shows_all and _fills(svg, drawing)


def test_share_link_pans_and_zooms_logged_out(browser: Browser, server: LiveServer) -> None:
    link = _shared_link(server, "bp-share-zoom@example.com", "Zoomable shop")
    stranger = browser.new_context(viewport={"width": 1280, "height": 860}, has_touch=True)
    try:
        public = stranger.new_page()
        errors: list[str] = []
        public.on("pageerror", lambda error: errors.append(str(error)))
        public.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        answer = public.goto(link)
        assert (
            answer is not None and "script-src 'self';" in answer.headers["content-security-policy"]
        )
        expect(public.locator("script:not([src])")).to_have_count(0)  # scripts from /static only
        svg = public.locator("[data-testid=shared-drawing] svg")
        drawing = public.locator("#bp-drawing")
        home = svg.get_attribute("viewBox") or ""
        assert _fitted(svg, drawing, home)  # fitted to the window on load
        _zooms_and_pans(public, svg)
        label = svg.locator("g.texts text")
        small = label.bounding_box()
        public.click("#bp-zoom-in")
        large = label.bounding_box()  # the vector drawn again bigger, the element as large
        assert small is not None and large is not None and large["height"] > small["height"]
        assert _fills(svg, drawing) and not _fitted(svg, drawing, home)
        public.mouse.move(400, 300)  # off the buttons: none of them shows its hover state
        screenshot(public, "share-page")
        public.click("#bp-fit")
        expect(svg).to_have_attribute("viewBox", home)

        public.keyboard.press("+")
        right = _box(svg)
        assert right[2] == pytest.approx(float(home.split()[2]) / 1.25)
        public.keyboard.press("ArrowRight")  # looks further right
        assert _box(svg)[0] > right[0] and _box(svg)[2:] == right[2:]
        public.keyboard.press("0")
        expect(svg).to_have_attribute("viewBox", home)

        _touch_pans_and_pinches(public, svg)
        public.keyboard.press("0")
        public.set_viewport_size({"width": 700, "height": 600})
        assert _fitted(svg, drawing, home)  # and still fitted after a resize
        assert errors == []
    finally:
        stranger.close()


def _touch_pans_and_pinches(public: Page, svg: Locator) -> None:
    """One finger drags the view; two fingers spread apart zoom in."""
    cdp = public.context.new_cdp_session(public)

    def touch(kind: str, *points: tuple[float, float]) -> None:
        fingers = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": fingers})

    home = _box(svg)
    touch("touchStart", (600, 450))
    for step in range(1, 6):
        touch("touchMove", (600 + 20 * step, 450))
    touch("touchEnd")
    dragged = _box(svg)
    assert dragged[0] < home[0] and dragged[1:] == home[1:]
    touch("touchStart", (560, 450), (640, 450))
    for step in range(1, 6):
        touch("touchMove", (560 - 20 * step, 450), (640 + 20 * step, 450))
    touch("touchEnd")
    assert _box(svg)[2] < dragged[2] / 2  # the fingers went from 80 px apart to 280 px


def test_embedded_share_link_pans_and_zooms_in_a_frame(
    browser: Browser, server: LiveServer
) -> None:
    link = _shared_link(server, "bp-share-frame@example.com", "Framed shop")
    refused = _shared_link(server, "bp-share-noframe@example.com", "Unframed", embeddable=False)
    stranger = browser.new_context(viewport={"width": 1000, "height": 700})
    frame = '<!doctype html><iframe src="{}" width="800" height="520"></iframe>'
    try:
        with _other_site(frame.format(link)) as embedder:
            _pans_and_zooms_in_a_frame(stranger.new_page(), embedder)
        with _other_site(frame.format(refused)) as embedder:  # not opted in: no drawing
            host = stranger.new_page()
            host.goto(embedder, wait_until="load")  # the frame's load, refused or not
            assert host.frame_locator("iframe").locator("#bp-drawing").count() == 0
    finally:
        stranger.close()


@contextmanager
def _other_site(page: str) -> Iterator[str]:
    """Another origin on loopback (Chromium refuses frames of loopback pages in public ones)
    that answers every GET with ``page``; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()
        thread.join(timeout=10)


def _pans_and_zooms_in_a_frame(host: Page, embedder: str) -> None:
    """The + button, the wheel, a drag and Fit work in the share viewer framed by another site."""
    host.goto(embedder)
    frame = host.frame_locator("iframe")
    svg = frame.locator("[data-testid=shared-drawing] svg")
    expect(svg).to_be_visible()
    home = svg.get_attribute("viewBox") or ""
    frame.locator("#bp-zoom-in").click()
    zoomed = svg.get_attribute("viewBox") or ""
    assert _box(svg)[2] == pytest.approx(float(home.split()[2]) / 1.25)
    box = host.locator("iframe").bounding_box()
    assert box is not None
    x, y = box["x"] + 400, box["y"] + 300
    host.mouse.move(x, y)
    host.mouse.wheel(0, -200)
    expect(svg).not_to_have_attribute("viewBox", zoomed)
    wheeled = _box(svg)
    assert wheeled[2] < float(zoomed.split()[2])
    drag(host, x, y, -100, 0)  # looks further right
    assert _box(svg)[0] > wheeled[0] and _box(svg)[2:] == wheeled[2:]
    frame.locator("#bp-fit").click()
    expect(svg).to_have_attribute("viewBox", home)


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
