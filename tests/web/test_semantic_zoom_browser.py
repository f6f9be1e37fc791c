"""Semantic zoom in the viewer: zoomed out, each group's resources are a labelled summary tile;
zoomed in, the resources; zoomed out again, the tiles. A large estate (20,000+ resources) comes
without resources at first, and the resources of the groups in view arrive as the view rests close
enough to read them. Timings are measured by bench/viewer.py, not here."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cloudcanvas.inventory.graph import to_graph
from tests.browser import login
from tests.factories import PASSWORD
from tests.live import LiveServer
from tests.web.test_viewer_large_browser import account_with_snapshot, estate

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/cc-semantic-zoom")

# What is drawn at the middle of the canvas: a tile, a resource, or something else.
AT_MIDDLE = """() => {
  const c = document.getElementById('cc-canvas').getBoundingClientRect();
  const hit = document.elementFromPoint(c.left + c.width / 2, c.top + c.height / 2);
  if (!hit) return 'nothing';
  if (hit.closest('.tile')) return 'tile';
  if (hit.closest('g.resource')) return 'resource';
  return hit.tagName;
}"""

TILED_COUNT = """() => [...document.querySelectorAll('#cc-diagram .tile')]
  .reduce((sum, t) => sum + Number(t.dataset.count), 0)"""

# The tiles' texts on screen (drawn for the tiles in view that are large enough to read).
TILE_TEXT = """() => [...document.querySelectorAll('#cc-tile-text text')]
  .filter(t => getComputedStyle(t).display !== 'none').map(t => t.textContent)"""


def _open(page: Page, server: LiveServer, email: str, account_id: str) -> None:
    login(page, server.url, email, PASSWORD)
    page.goto(f"{server.url}/azure/accounts/{account_id}/diagram")
    expect(page.locator("#cc-loading")).to_be_hidden(timeout=90_000)


def _middle(page: Page) -> tuple[float, float]:
    box = page.locator("#cc-canvas").bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _zoom_in_until_detail(page: Page) -> None:
    x, y = _middle(page)
    page.mouse.move(x, y)
    for _ in range(20):
        if page.locator("#cc-viewer").get_attribute("data-lod") == "detail":
            break
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(350)  # the view rests: the level of detail is chosen
    expect(page.locator("#cc-viewer")).to_have_attribute("data-lod", "detail")
    expect(page.locator("#cc-shield")).to_be_hidden()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_zoomed_out_tiles_zoomed_in_resources(page: Page, server: LiveServer) -> None:
    inventory = estate(1_500, seed=11)
    email = "semantic-medium@example.com"
    account_id = account_with_snapshot(server, email, inventory)
    _open(page, server, email, account_id)
    viewer = page.locator("#cc-viewer")
    tiles = page.locator("#cc-diagram .tile")
    # Fitted, 2,000 resources are dots: the groups are tiles, the big ones labelled.
    expect(viewer).to_have_attribute("data-lod", "overview")
    assert tiles.count() > 20
    expect(tiles.first).to_be_visible()
    _shot(page, "medium-fitted")
    shown = page.evaluate(TILE_TEXT)
    # The readable tiles say what they hold (name, count, families), the tiny ones not.
    assert 0 < len(shown) < tiles.count()
    assert any(re.search(r"\d+ resources", text) for text in shown)
    assert page.evaluate(AT_MIDDLE) in ("tile", "rect", "polygon", "svg")
    total = page.evaluate(TILED_COUNT)
    blocks = page.locator("#cc-stage g.resource").count()
    assert total == blocks  # every resource in one tile, none twice

    _zoom_in_until_detail(page)
    expect(tiles.first).to_be_hidden()
    expect(page.locator("#cc-names text").first).to_be_attached()
    assert page.evaluate(TILE_TEXT) == []
    _shot(page, "medium-detail")

    page.click("button[data-fit]")
    expect(viewer).to_have_attribute("data-lod", "overview")
    expect(tiles.first).to_be_visible()

    # The export menu offers the overview level for SVG, PNG and PDF.
    page.click("#cc-export summary")
    page.select_option("#cc-export-level", "overview")
    for fmt in ("svg", "png", "pdf"):
        href = page.locator(f"a[data-format={fmt}]").get_attribute("href") or ""
        assert "level=overview" in href
    assert "level" not in (page.locator("a[data-format=json]").get_attribute("href") or "")
    href = page.locator("a[data-format=svg]").get_attribute("href")
    exported = page.request.get(f"{server.url}{href}")
    assert exported.ok
    body = exported.text()
    assert 'class="tile"' in body and 'class="resource"' not in body


def test_a_large_estate_loads_tiles_then_the_resources_in_view(
    page: Page, server: LiveServer
) -> None:
    inventory = estate(15_000, seed=3)
    assert len(inventory) >= 20_000
    email = "semantic-large@example.com"
    account_id = account_with_snapshot(server, email, inventory)
    _open(page, server, email, account_id)
    viewer = page.locator("#cc-viewer")
    resources = page.locator("#cc-stage g.resource")
    tiles = page.locator("#cc-diagram .tile")
    expect(viewer).to_have_attribute("data-lod", "overview")
    assert resources.count() == 0  # no resource in the first drawing
    assert tiles.count() > 500
    # The counts are those of the whole drawing, resources and containers named as such.
    expect(page.locator("#cc-count")).to_have_text(
        re.compile(r"^\d+ resources shown \(\d+ as blocks, \d+ as containers\)$")
    )
    blocks = int(re.findall(r"\((\d+) as blocks", page.locator("#cc-count").inner_text())[0])
    assert blocks == page.evaluate(TILED_COUNT)
    _shot(page, "large-fitted")

    # The legend counts what the view holds, from the inventory, though no resource is drawn yet.
    page.click("#cc-legend-button")
    subnets = sum(1 for n in to_graph(inventory, None).nodes if n.component == "azuresubnet")
    count = page.locator("#cc-legend li[data-type=azuresubnet] .cc-legend-count")
    expect(count).to_be_attached(timeout=30_000)
    assert int(re.sub(r"\D", "", count.inner_text())) == subnets
    shown = int(page.locator("#cc-count").inner_text().split()[0])
    assert int(re.sub(r"\D", "", page.locator("#cc-legend-total").inner_text())) == shown
    assert resources.count() == 0
    page.keyboard.press("Escape")
    expect(page.locator("#cc-legend")).to_be_hidden()

    _zoom_in_until_detail(page)
    expect(resources.first).to_be_attached(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#cc-stage g.resource').length > 0 &&"
        " document.querySelectorAll('#cc-names text').length > 0"
    )
    loaded = resources.count()
    assert 0 < loaded < 6_000  # the groups around the view, not the estate
    expect(tiles.first).to_be_hidden()
    _shot(page, "large-detail")

    # A click on a resource fetched this way opens its details.
    target = page.evaluate(
        """() => {
          const c = document.getElementById('cc-canvas').getBoundingClientRect();
          for (const r of document.querySelectorAll('#cc-stage g.resource')) {
            const b = r.getBoundingClientRect();
            const x = b.left + b.width / 2, y = b.top + b.height * 0.6;
            if (x < c.left + 20 || x > c.right - 80 || y < c.top + 20 || y > c.bottom - 60) continue;
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest('g.resource') === r)
              return {x, y, name: r.querySelector('title').textContent};
          }
          return null;
        }"""
    )
    assert target, "no resource on screen at the detail level"
    page.mouse.click(target["x"], target["y"])
    expect(page.locator("#cc-panel .cc-res-name")).to_have_text(target["name"])
    page.click("#cc-close")

    # Zoomed out again: the resources leave the page, the tiles are back.
    page.click("button[data-fit]")
    expect(viewer).to_have_attribute("data-lod", "overview")
    expect(resources).to_have_count(0)
    expect(tiles.first).to_be_visible()

    # A click on a tile zooms to it, and its resources come.
    page.locator("#cc-zoom-level").wait_for()
    tile = page.evaluate(
        """() => {
          const c = document.getElementById('cc-canvas').getBoundingClientRect();
          let best = null;
          for (const t of document.querySelectorAll('#cc-diagram .tile')) {
            const b = t.getBoundingClientRect();
            const x = b.left + b.width / 2, y = b.top + b.height / 2;
            if (x < c.left + 20 || x > c.right - 80 || y < c.top + 20 || y > c.bottom - 60) continue;
            const hit = document.elementFromPoint(x, y);
            if (!hit || hit.closest('.tile') !== t) continue;
            if (!best || b.width > best.w) best = {x, y, w: b.width, id: t.dataset.group};
          }
          return best;
        }"""
    )
    assert tile, "no tile to click"
    page.mouse.click(tile["x"], tile["y"])
    expect(viewer).to_have_attribute("data-lod", "detail")
    page.wait_for_function("() => document.querySelectorAll('#cc-parts g.resource').length > 0")


def _sharpness(png: bytes) -> float:
    """The 99.9th percentile of the brightness step between neighbouring pixels: text drawn as
    vectors at the screen's scale has steps of most of the range; a bitmap scaled up 10x blurs
    each edge over 10 pixels, and its steps are a tenth of that."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    steps = sorted(
        abs(int(pixels[x + 1, y]) - int(pixels[x, y]))
        for y in range(0, height, 2)
        for x in range(width - 1)
    )
    return float(steps[int(len(steps) * 0.999)])


def test_names_stay_crisp_at_1000_percent(page: Page, server: LiveServer) -> None:
    inventory = estate(300, seed=13)
    email = "semantic-crisp@example.com"
    account_id = account_with_snapshot(server, email, inventory)
    _open(page, server, email, account_id)
    # Zoom at a resource near the middle: the point under the cursor stays put.
    spot = page.evaluate(
        """() => {
          const c = document.getElementById('cc-canvas').getBoundingClientRect();
          const cx = c.left + c.width / 2, cy = c.top + c.height / 2;
          let best = null;
          for (const r of document.querySelectorAll('#cc-stage g.resource')) {
            const b = r.getBoundingClientRect();
            const x = b.left + b.width / 2, y = b.bottom;
            const d = Math.hypot(x - cx, y - cy);
            if (!best || d < best.d) best = {x, y, d};
          }
          return best;
        }"""
    )
    assert spot, "no resource drawn"
    x, y = spot["x"], spot["y"]
    page.mouse.move(x, y)
    level = page.locator("#cc-zoom-level")
    for _ in range(12):
        if int(level.inner_text().rstrip("%")) >= 1000:
            break
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(400)
    zoom = int(level.inner_text().rstrip("%"))
    assert 1000 <= zoom <= 2000
    expect(page.locator("#cc-shield")).to_be_hidden()
    expect(page.locator("#cc-names text").first).to_be_attached()
    page.wait_for_timeout(600)  # the stage is rastered again at the new scale
    canvas = page.locator("#cc-canvas")
    box = canvas.bounding_box()
    assert box is not None
    clip = {"x": max(box["x"], x - 300), "y": max(box["y"], y - 150), "width": 600, "height": 300}
    shot = page.screenshot(clip=clip)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"zoom-{zoom}.png").write_bytes(shot)
    assert _sharpness(shot) >= 120
