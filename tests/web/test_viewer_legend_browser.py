"""A browser opens the viewer's legend: the symbols of the view, as drawn, named and counted; it
follows the filter and the projection, and Escape or its button closes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import screenshot
from tests.live import LiveServer
from tests.web.test_viewer_browser import Scanned, connect_and_scan, open_diagram

pytestmark = pytest.mark.browser

# The legend's lines as the user reads them: name -> count.
LINES = """() => Object.fromEntries([...document.querySelectorAll('#cc-legend-list li')].map(li =>
  [li.querySelector('.cc-legend-name').firstChild.textContent,
   Number(li.querySelector('.cc-legend-count').textContent.replace(/\\D/g, ''))]))"""


# The fills of the subnet's symbol, in the legend and in the diagram's own <defs>.
SUBNET_FACES = """() => [...document.querySelectorAll(
  '#cc-legend li[data-type=azuresubnet] svg [fill]')].map(e => e.getAttribute('fill'))"""
SUBNET_FACES_DRAWN = """() => {
  const use = document.querySelector('#cc-diagram g.resource[data-type=azuresubnet] use');
  const symbol = document.querySelector('#cc-diagram ' + use.getAttribute('href'));
  return [...symbol.querySelectorAll('[fill]')].map(e => e.getAttribute('fill'));
}"""


@pytest.fixture(scope="module")
def scanned(server: LiveServer) -> Scanned:
    return connect_and_scan(server, "legend@example.com", "Production")


def _shown_total(page: Page) -> int:
    text = page.locator("#cc-count").inner_text()
    return int(re.match(r"(\d+) resources? shown", text).group(1))


def test_the_legend_lists_follows_and_closes(page: Page, server, scanned) -> None:
    open_diagram(page, server, scanned)
    button = page.locator("#cc-legend-button")
    legend = page.locator("#cc-legend")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "cc-legend")
    expect(legend).to_be_hidden()

    # Keyboard: the button takes the focus and Enter opens the panel.
    button.focus()
    page.keyboard.press("Enter")
    expect(legend).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    subnet = legend.locator("li[data-type=azuresubnet]")
    expect(subnet.locator(".cc-legend-name")).to_have_text("Subnet")
    lines = page.evaluate(LINES)
    drawn = page.evaluate(
        "() => document.querySelectorAll('#cc-diagram g.resource[data-type=azuresubnet]').length"
    )
    assert lines["Subnet"] == drawn > 0
    assert lines["Public IP address"] > 0 and lines["Network security group"] > 0
    assert lines["Service Bus queue"] > 0  # named in the user's words, not "Sbqueue"
    # Every resource the footer counts is in one line of the legend, blocks and areas alike.
    assert sum(lines.values()) == _shown_total(page)
    expect(page.locator("#cc-legend-total")).to_have_text(f"{_shown_total(page)} resources")
    # The symbol is the diagram's own: the same faces in the same colours.
    assert page.evaluate(SUBNET_FACES) == page.evaluate(SUBNET_FACES_DRAWN) != []
    # Close enough to see the blocks beside their symbols, for the documentation's picture.
    page.locator("#cc-canvas").focus()
    for _ in range(6):
        if page.locator("#cc-viewer").get_attribute("data-lod") == "detail":
            break
        page.keyboard.press("+")
        page.wait_for_timeout(300)
    expect(page.locator("#cc-shield")).to_be_hidden()
    page.evaluate("() => document.activeElement.blur()")
    screenshot(page, "viewer-legend")

    # The filter: the legend follows the view drawn.
    page.fill("#cc-filter", "type=azuresubnet")
    page.click(".cc-apply")
    expect(legend.locator("li")).to_have_count(1)
    expect(subnet.locator(".cc-legend-count")).to_have_text(str(drawn))
    expect(page.locator("#cc-legend-total")).to_have_text(f"{drawn} resources")

    # 2D: the symbols are the flat tiles.
    page.locator("input[name=projection][value='2d']").check(force=True)
    expect(legend).to_have_attribute("data-projection", "2d")
    expect(subnet.locator("svg rect").first).to_be_attached()

    # Escape closes it, focus back on its button; the button opens and closes it too.
    legend.locator(".cc-legend-list").click()
    page.keyboard.press("Escape")
    expect(legend).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    button.click()
    expect(legend).to_be_visible()
    button.click()
    expect(legend).to_be_hidden()
    # On the canvas, with no resource selected, Escape closes it too.
    button.click()
    expect(legend).to_be_visible()
    page.focus("#cc-canvas")
    page.keyboard.press("Escape")
    expect(legend).to_be_hidden()
    expect(page.locator("#cc-canvas")).to_be_focused()


def test_the_legend_is_fetched_only_when_open(page: Page, server, scanned) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/legend.json" in r.url else None)
    open_diagram(page, server, scanned)
    page.fill("#cc-filter", "type=azurensg")
    page.click(".cc-apply")
    expect(page.locator("#cc-loading")).to_be_hidden()
    assert asked == []  # the first drawing and the next ones never wait for it
    page.click("#cc-legend-button")
    expect(page.locator("#cc-legend li")).to_have_count(1)
    assert len(asked) == 1 and "filter=type%3Dazurensg" in asked[0]
    page.click("#cc-legend-close")
    expect(page.locator("#cc-legend")).to_be_hidden()
    expect(page.locator("#cc-legend-button")).to_be_focused()
