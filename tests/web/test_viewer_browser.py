"""A browser opens a scanned account's diagram: pans, zooms, fits, filters, switches projection,
theme and region, clicks a resource for its details and connections, and downloads every export."""

from __future__ import annotations

import io
import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from tests import mxgraph
from tests.azure_env import PRODUCTION, READER, TENANT
from tests.browser import drag, login, screenshot
from tests.factories import PASSWORD, actor, make_org, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Scanned:
    email: str
    account_id: str
    resource_ids: frozenset[str]
    locations: tuple[str, ...]


def connect_and_scan(server: LiveServer, email: str, name: str) -> Scanned:
    """An owner, an account connected through the service, and one finished scan."""
    azure = account_service.AzureContext.from_settings(server.settings)
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=email)
        data = AccountCreate.model_validate(
            {
                "name": name,
                "subscriptionId": PRODUCTION,
                "directoryId": TENANT,
                "applicationId": READER.app_id,
                "clientSecret": READER.secret,
            }
        )
        account = account_service.create_account(s, actor=actor(s, owner), data=data, azure=azure)
        scan, _ = inventory_service.start_scan(s, account=account, actor=None)
        account_id, scan_id = account.id, scan.id
    scan_job.run_scan(server.db, azure, scan_id)
    deadline = time.monotonic() + 60  # the scheduler may have queued it first: wait for it
    while True:
        with server.db.session() as s:
            scan = inventory_repository.get_scan(s, scan_id)
            if scan is not None and not scan.active:
                break
        assert time.monotonic() < deadline, "the scan did not finish"
        time.sleep(0.1)
    with server.db.session() as s:
        account = account_repository.get(s, account_id)
        snapshot = inventory_service.latest_snapshot(s, account)
        assert snapshot is not None
        inventory = inventory_service.load_inventory(snapshot)
        ids = frozenset(r.id for r in inventory.resources.values())
        by_size = sorted(snapshot.location_index.items(), key=lambda item: -item[1])
        locations = tuple(location for location, _ in by_size)
    return Scanned(email, account_id, ids, locations)


@pytest.fixture(scope="module")
def scanned(server: LiveServer) -> Scanned:
    return connect_and_scan(server, "viewer@example.com", 'Prod <shop> & "friends"/eu')


def open_diagram(page: Page, server: LiveServer, scanned: Scanned, query: str = "") -> None:
    login(page, server.url, scanned.email, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{scanned.account_id}/diagram{query}")
    expect(page.locator("#cc-diagram g.resource").first).to_be_attached()
    expect(page.locator("#cc-loading")).to_be_hidden()


def shown(page: Page) -> int:
    return page.locator("#cc-diagram g.resource").count()


def view_box(page: Page) -> str:
    return page.locator("#cc-diagram").get_attribute("viewBox") or ""


def settle(page: Page, before: str) -> str:
    """Wait until the viewer committed a view other than ``before``; return it."""
    page.wait_for_function(
        "b => document.getElementById('cc-diagram').getAttribute('viewBox') !== b", arg=before
    )
    page.wait_for_function("() => !document.getElementById('cc-diagram').style.transform")
    return view_box(page)


def test_pan_zoom_fit_filter_projection_theme_region(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned)
    expect(page.locator(".account-title").first).to_have_text('Prod <shop> & "friends"/eu')
    total = shown(page)
    assert total > 10
    containers = page.locator("#cc-diagram g.group[data-resource-id]").count()
    footer = f"{total + containers} resources shown ({total} as blocks, {containers} as containers)"
    expect(page.locator("#cc-count")).to_have_text(footer)
    # The footer, the region picker and the snapshot line count the same resources.
    everything = page.locator("#cc-location option[value='']").inner_text()
    assert everything == f"All regions ({total + containers})"
    assert f"{total + containers} resources in" in page.locator(".cc-status").inner_text()
    fitted = view_box(page)

    canvas = page.locator("#cc-canvas").bounding_box()
    cx, cy = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    drag(page, cx, cy, 120, 60, steps=6)
    panned = settle(page, fitted)
    px, py, pw, _ = map(float, panned.split())
    fx, fy, fw, _ = map(float, fitted.split())
    assert px < fx and py < fy and pw == pytest.approx(fw)  # dragged right and down: same zoom

    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    zoomed = settle(page, panned)
    assert float(zoomed.split()[2]) < pw * 0.8  # zoomed in around the cursor
    assert page.locator("#cc-zoom-level").inner_text() != "100%"
    page.click("button[data-fit]")
    assert settle(page, zoomed) == fitted

    # The keyboard on the focused canvas: arrows pan, + zooms in, 0 fits again.
    page.focus("#cc-canvas")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    keyed = settle(page, fitted)
    kx, ky, kw, _ = map(float, keyed.split())
    assert kx > fx and ky > fy and kw == pytest.approx(fw)
    page.keyboard.press("+")
    closer = settle(page, keyed)
    assert float(closer.split()[2]) == pytest.approx(fw / 1.25, rel=0.01)
    page.keyboard.press("0")
    assert settle(page, closer) == fitted

    page.keyboard.press("+")
    page.keyboard.press("+")
    zoomed_in = settle(page, fitted)
    page.fill("#cc-filter", "type=azurensg")
    page.click("button.cc-apply")
    expect(page.locator("#cc-count")).not_to_have_text(footer)
    nsgs = shown(page)
    # A filter re-fits: the view is the filtered drawing's fit, not the zoom it had before.
    filtered_fit = view_box(page)
    assert filtered_fit != zoomed_in
    page.click("button[data-fit]")
    page.wait_for_timeout(300)
    assert view_box(page) == filtered_fit
    assert 0 < nsgs < total
    assert page.locator("#cc-diagram g.resource:not([data-type=azurensg])").count() == 0
    assert "filter=type%3Dazurensg" in page.url  # the view can be shared

    page.fill("#cc-filter", "type=azurensg AND (")
    page.press("#cc-filter", "Enter")
    expect(page.locator("#cc-error")).to_be_visible()
    assert page.locator("#cc-error").inner_text().strip()
    assert page.locator("#cc-filter").get_attribute("aria-invalid") == "true"
    assert shown(page) == nsgs  # the last good drawing stays
    expect(page.locator("#cc-no-match")).to_be_hidden()
    page.fill("#cc-filter", "no-such-resource-anywhere")
    page.click("button.cc-apply")
    expect(page.locator("#cc-no-match")).to_be_visible()
    expect(page.locator("#cc-no-match")).to_contain_text("No resources match")
    expect(page.locator("#cc-count")).to_have_text("0 resources shown")
    page.fill("#cc-filter", "")
    page.click("button.cc-apply")
    expect(page.locator("#cc-error")).to_be_hidden()
    expect(page.locator("#cc-count")).to_have_text(footer)
    expect(page.locator("#cc-no-match")).to_be_hidden()

    page.click("label:has(input[name=projection][value='2d'])")
    expect(page.locator("#cc-diagram")).to_have_attribute("data-projection", "2d")
    page.click("label:has(input[name=theme][value=dark])")
    expect(page.locator("#cc-diagram")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#cc-viewer")).to_have_attribute("data-theme", "dark")
    page.click("label:has(input[name=projection][value=isometric])")
    page.click("label:has(input[name=theme][value=light])")
    expect(page.locator("#cc-diagram")).to_have_attribute("data-theme", "light")

    region = scanned.locations[-1]  # the smallest region
    page.select_option("#cc-location", region)
    page.wait_for_url(re.compile(f"location={region}"))
    expect(page.locator("#cc-loading")).to_be_hidden()
    regional = shown(page)
    assert 0 < regional < total or len(scanned.locations) == 1
    page.select_option("#cc-location", "")
    expect(page.locator("#cc-count")).to_have_text(footer)
    page.select_option("#cc-group", "resourcegroup")
    expect(page.locator("#cc-diagram g.group[data-kind=resourcegroup]").first).to_be_attached()
    page.select_option("#cc-group", "infrastructure")
    expect(page.locator("#cc-diagram g.group[data-kind=vnet]").first).to_be_attached()
    screenshot(page, "diagram-viewer")


# The characters after which the element's text starts a new line, at a width of 150 px.
BREAKS_IN_NARROW_BOX = """(code) => {
  code.parentElement.style.width = "150px";
  const range = document.createRange();
  const text = code.textContent;
  const befores = [];
  let top = null;
  let offset = 0;
  for (const node of Array.from(code.childNodes).filter((n) => n.nodeType === 3)) {
    for (let i = 0; i < node.length; i++, offset++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (top !== null && rect.top > top + 2) befores.push(text[offset - 1]);
      top = rect.top;
    }
  }
  code.parentElement.style.width = "";
  return befores;
}"""


def test_click_a_resource_for_its_details_and_connections(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned, "?groupBy=network")
    nic = page.locator("#cc-diagram g.resource[data-type=azurenic]").first
    name = nic.locator("title").text_content()
    resource_id = nic.get_attribute("data-resource-id")
    panel = page.locator("#cc-panel")
    # Zoomed out, the NIC's subnet is a summary tile: a click there zooms in to it; once the
    # resources show, the click opens the NIC.
    for _ in range(6):
        box = nic.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if panel.is_visible():
            break
        page.wait_for_timeout(600)
    expect(panel).to_be_visible()
    expect(panel.locator(".cc-res-name")).to_have_text(name)
    expect(panel.locator(".cc-id")).to_have_text(resource_id)
    details = panel.inner_text()
    for label in ("ARM type", "Resource group", "Location", "Subscription", "Connections"):
        assert label in details
    assert "microsoft.network/networkinterfaces" in details
    # In a narrow panel the ARM type wraps after a slash only, never in the middle of a word.
    breaks = panel.locator("[data-testid=arm-type]").evaluate(BREAKS_IN_NARROW_BOX)
    assert breaks and all(before == "/" for before in breaks), breaks
    assert nic.get_attribute("class") == "resource cc-selected"
    connections = panel.locator(".cc-conns li")
    assert connections.count() >= 1
    assert "subnet" in panel.locator(".cc-conns").inner_text()
    screenshot(page, "diagram-details")

    other = panel.locator(".cc-link").first
    other_name = other.inner_text()
    other.click()
    expect(panel.locator(".cc-res-name")).to_have_text(other_name)
    assert page.locator("#cc-diagram .cc-selected").count() == 1
    page.click("#cc-close")
    expect(panel).to_be_hidden()

    as_json = page.request.get(
        f"{server.url}/azure/accounts/{scanned.account_id}/resources",
        params={"key": resource_id.lower(), "format": "json"},
    ).json()
    assert as_json["resourceId"] == resource_id and as_json["connections"]
    assert "portal.azure" not in page.content()  # no portal for a simulated cloud


def test_every_export_downloads_and_parses(page: Page, server, scanned, tmp_path: Path) -> None:
    open_diagram(page, server, scanned)
    files = {}
    for fmt in ("svg", "png", "pdf", "json", "mxGraph"):
        page.click("#cc-export summary")
        with page.expect_download() as info:
            page.click(f"a[data-format={fmt}]")
        download = info.value
        assert download.suggested_filename.startswith("Prod-shop-friends-eu-all-regions.")
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        files[fmt] = target.read_bytes()
    svg = ET.fromstring(files["svg"])
    assert svg.tag.endswith("svg") and b"<script" not in files["svg"]
    assert files["png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert files["pdf"].startswith(b"%PDF")
    assert b"portal.azure" not in b"".join(files.values())
    blueprint = json.loads(files["json"])["data"]
    ids = {n["resourceId"] for n in blueprint["nodes"]}
    ids |= {g["resourceId"] for g in blueprint["groups"] if "resourceId" in g}
    assert ids >= scanned.resource_ids
    cells = mxgraph.cells(files["mxGraph"])
    parents = {c.get("parent") for c in cells.values()}
    groups = [c for c in cells.values() if c.get("vertex") == "1" and c.id in parents]
    edges = [c for c in cells.values() if c.get("edge") == "1"]
    assert groups and edges
    assert all(e.get("source") in cells and e.get("target") in cells for e in edges)
    assert {c.data.get("resourceId") for c in cells.values()} >= scanned.resource_ids

    page.fill("#cc-filter", "type=azurensg")
    page.click("button.cc-apply")
    link = page.locator("a[data-format=json]")
    expect(link).to_have_attribute("href", re.compile(r"/export\.json\?.*filter=type%3Dazurensg"))


def _pdf_page(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_pdf_export_takes_paper_and_orientation(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned)
    pages = []
    for paper, orientation in (("Letter", "auto"), ("A4", "auto"), ("A4", "false"), ("A3", "true")):
        page.click("#cc-export summary")
        page.select_option("#cc-pdf-paper", paper)
        page.select_option("#cc-pdf-orientation", orientation)
        with page.expect_download() as info:
            page.click("a[data-format=pdf]")
        pages.append(_pdf_page(Path(info.value.path()).read_bytes()))
    # The demo's drawing is wider than tall: landscape unless portrait is asked.
    assert pages == [(792, 612), (842, 595), (595, 842), (1191, 842)]
    page.click("#cc-export summary")
    page.select_option("#cc-pdf-orientation", "false")
    page.fill("#cc-filter", "type=azurensg")
    page.click("button.cc-apply")  # the viewer rewrites the export links after a redraw
    expect(page.locator("a[data-format=svg]")).to_have_attribute("href", re.compile("azurensg"))
    with page.expect_download() as info:
        page.click("#cc-export summary")
        page.click("a[data-format=pdf]")
    assert _pdf_page(Path(info.value.path()).read_bytes()) == (842, 1191)
    assert "paperSize" not in (page.locator("a[data-format=svg]").get_attribute("href") or "")


def test_the_diagram_routes_need_the_session_and_check_options(page: Page, server, scanned):
    base = f"{server.url}/azure/accounts/{scanned.account_id}"
    anonymous = httpx.get(f"{base}/diagram.svg", follow_redirects=False)
    assert anonymous.status_code in (303, 401)
    login(page, server.url, scanned.email, PASSWORD)
    bad = page.request.get(f"{base}/diagram.svg", params={"filter": "name=("})
    assert bad.status == 400 and bad.json()["code"] == "invalid_filter"
    bad = page.request.get(f"{base}/diagram.svg", params={"projection": "oblique"})
    assert bad.status == 400 and "projection" in bad.json()["error"]
    assert page.request.get(f"{base}/export.gif").status == 404
    assert page.request.get(f"{base}/resources", params={"key": "/nope"}).status == 404
