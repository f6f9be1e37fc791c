"""A browser opens a 10,000-resource diagram (13,718 resources, about 13,000 drawn) and it stays
usable: pan and zoom move the view, zooming out past the detail threshold switches the drawing to
its simplified level of detail and zooming back in restores it, and a click on a resource shows
its details. Timings are measured by bench/viewer.py, not here."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from playwright.sync_api import Dialog, Page, expect

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.svg import label_text
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator import generate_environment
from cloudcanvas.simulator.graph import container_rows, resource_rows
from tests.azure_env import PRODUCTION, READER, TENANT
from tests.browser import drag, login, screenshot
from tests.factories import PASSWORD, actor, add_snapshot, make_org, make_user
from tests.live import LiveServer


def shown_as(name: str) -> str:
    """A name as the isometric drawing writes it (shortened in the middle when long)."""
    return label_text(name, RenderOptions())


pytestmark = pytest.mark.browser


def estate(resources: int, seed: int = 3) -> Inventory:
    """A generated estate (``resources=10_000`` gives 13,718 resources), normalized."""
    env = generate_environment(resources=resources, subscriptions=1, principals=1, seed=seed)
    return build_inventory(resource_rows(env), container_rows(env))


def account_with_snapshot(
    server: LiveServer, email: str, inventory: Inventory, *, tag: str = "generated"
) -> str:
    """An owner and a connected account whose latest snapshot is ``inventory``; the account id.
    Snapshots of the same ``tag`` and size share the server's caches (their content hash)."""
    azure = account_service.AzureContext.from_settings(server.settings)
    with server.db.session() as s:
        owner = make_user(s, make_org(s, plan="pro"), role="owner", email=email)
        data = AccountCreate.model_validate(
            {
                "name": f"Estate of {len(inventory)}",
                "subscriptionId": PRODUCTION,
                "directoryId": TENANT,
                "applicationId": READER.app_id,
                "clientSecret": READER.secret,
            }
        )
        account = account_service.create_account(s, actor=actor(s, owner), data=data, azure=azure)
        add_snapshot(s, account.id, inventory, tag)
        return account.id


@dataclass(frozen=True)
class Large:
    server: LiveServer
    account_id: str
    email: str


@pytest.fixture(scope="module")
def large(server: LiveServer) -> Large:
    email = "large@example.com"
    return Large(server, account_with_snapshot(server, email, estate(10_000)), email)


# The resource drawn nearest the middle of the canvas that a click at its point would hit.
NEAREST = """() => {
  const canvas = document.getElementById('cc-canvas').getBoundingClientRect();
  const cx = canvas.left + canvas.width / 2, cy = canvas.top + canvas.height / 2;
  let best = null;
  for (const r of document.querySelectorAll('#cc-diagram g.resource')) {
    const b = r.getBoundingClientRect();
    const x = b.left + b.width / 2, y = b.top + b.height * 0.6;
    if (x < canvas.left + 20 || x > canvas.right - 20 || y < canvas.top + 20 || y > canvas.bottom - 60) continue;
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit.closest('g.resource') !== r) continue;
    const d = Math.hypot(x - cx, y - cy);
    const name = r.querySelector('title').textContent;
    if (!best || d < best.d) best = {d, x, y, id: r.id, key: r.dataset.key, name};
  }
  return best;
}"""


def stage_transform(page: Page) -> str:
    return str(page.evaluate("document.getElementById('cc-stage').style.transform"))


def view_box(page: Page) -> str:
    return page.locator("#cc-diagram").get_attribute("viewBox") or ""


def committed(page: Page, before: str) -> list[float]:
    """Wait until the viewer committed a view other than ``before`` (the view rests); return it."""
    page.wait_for_function(
        "b => document.getElementById('cc-diagram').getAttribute('viewBox') !== b", arg=before
    )
    return [float(v) for v in view_box(page).split()]


def names_shown(page: Page) -> list[str]:
    """The resource names on screen: the names layer's texts, when it is displayed."""
    return list(
        page.evaluate(
            """() => {
              const layer = document.getElementById('cc-names');
              if (getComputedStyle(layer).display === 'none') return [];
              return [...layer.querySelectorAll('text')].map(t => t.textContent);
            }"""
        )
    )


def test_a_10k_diagram_pans_zooms_with_level_of_detail_and_shows_a_clicked_resource(
    page: Page, large: Large
) -> None:
    login(page, large.server.url, large.email, PASSWORD)
    page.goto(f"{large.server.url}/azure/accounts/{large.account_id}/diagram")
    expect(page.locator("#cc-loading")).to_be_hidden(timeout=60_000)
    drawn = page.locator("#cc-diagram g.resource").count()
    assert drawn > 13_000
    expect(page.locator("#cc-count")).to_have_text(
        re.compile(rf"^\d+ resources shown \({drawn} as blocks, \d+ as containers\)$")
    )
    viewer = page.locator("#cc-viewer")
    # Fitted, 13,000 blocks are a few pixels wide: an overview without labels or glyphs.
    expect(viewer).to_have_attribute("data-lod", "overview")
    assert names_shown(page) == []
    # The 13,000 names are not in the drawing's SVG, where they would be laid out on every view.
    assert page.locator("#cc-diagram text").count() < 2_000
    screenshot(page, "diagram-10k")
    fitted_box, moved = view_box(page), stage_transform(page)
    fitted = [float(v) for v in fitted_box.split()]

    canvas = page.locator("#cc-canvas").bounding_box()
    assert canvas is not None
    cx, cy = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    drag(page, cx, cy, 200, 100)
    panned = committed(page, fitted_box)
    assert panned[0] < fitted[0] and panned[1] < fitted[1]  # dragged right and down
    assert panned[2] == pytest.approx(fitted[2])  # the same zoom
    assert stage_transform(page) != moved  # the composited stage moved, the SVG stayed
    assert not page.evaluate("document.getElementById('cc-diagram').style.transform")

    page.mouse.move(cx, cy)
    for _ in range(6):
        page.mouse.wheel(0, -300)
    expect(viewer).to_have_attribute("data-lod", "detail")  # close enough to read the names
    expect(page.locator("#cc-shield")).to_be_hidden()  # the view rests: the SVG takes clicks
    zoomed = [float(v) for v in view_box(page).split()]
    assert zoomed[2] < panned[2] / 10  # about 25x closer
    # Names around the view only: a few hundred of 13,000, the one in the middle among them.
    around = names_shown(page)
    assert 0 < len(around) < 2_000
    # Group labels, likewise, are drawn around the view in a layer of their own: the drawing
    # keeps none (laid out again at every commit of the view, they cost 100-200 ms a frame).
    assert page.locator("#cc-diagram g.group > text").count() == 0
    labels = page.locator("#cc-group-labels text")
    assert 0 < labels.count() < 1_000

    target = page.evaluate(NEAREST)
    assert target, "no resource to click in the zoomed view"
    assert shown_as(target["name"]) in around
    page.mouse.click(target["x"], target["y"])
    panel = page.locator("#cc-panel")
    expect(panel.locator(".cc-res-name")).to_have_text(target["name"])
    expect(page.locator(f"#{target['id']}")).to_have_class("resource cc-selected")
    screenshot(page, "diagram-10k-detail")

    # Dragged away, past the names laid out around the view, the names there show once it rests.
    page.click("#cc-close")
    for _ in range(4):
        before = view_box(page)
        drag(page, cx + 250, cy + 150, -500, -300, steps=8)
        committed(page, before)
    elsewhere = page.evaluate(NEAREST)
    assert elsewhere, "no resource in the middle after the drag"
    assert shown_as(elsewhere["name"]) in names_shown(page)

    page.click("button[data-fit]")
    expect(viewer).to_have_attribute("data-lod", "overview")
    assert names_shown(page) == []
    # Fitted, only the top-level groups' names (the regions) are drawn, at a size one can read.
    assert page.locator("#cc-group-labels text:not(.cc-top)").count() == 0
    assert page.locator("#cc-group-labels text.cc-top").count() > 0


def test_names_drawn_at_detail_are_text_never_markup(page: Page, large: Large) -> None:
    inventory = estate(60, seed=5)
    key = next(k for k, r in sorted(inventory.resources.items()) if r.arm_type.endswith("/disks"))
    hostile = "<img src=x onerror=1>"
    inventory.resources[key] = replace(inventory.resources[key], name=hostile)
    email = "hostile-names@example.com"
    account_id = account_with_snapshot(large.server, email, inventory)
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    login(page, large.server.url, email, PASSWORD)
    # Filtered to the one resource, the fitted view is close enough for names.
    page.goto(f"{large.server.url}/azure/accounts/{account_id}/diagram?filter=onerror")
    expect(page.locator("#cc-count")).to_have_text("1 resource shown")
    expect(page.locator("#cc-viewer")).to_have_attribute("data-lod", "detail")
    assert names_shown(page) == [hostile]
    assert page.locator("#cc-canvas img").count() == 0
    assert dialogs == []
