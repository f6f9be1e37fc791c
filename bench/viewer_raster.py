"""Which kind of element costs the browser its raster work: the viewer's zoom with one kind of
element removed at a time, in headless Chromium (Debian's, no GPU).

    .venv/bin/python bench/viewer_raster.py [--size 10000] [--variants "as drawn,no edges"]

For each variant a fresh page opens the generated estate's diagram (as bench/viewer.py does),
removes that kind of element from the drawing, waits until the page is calm, then zooms 5 wheel
steps at the middle of the fitted view, 7 more, and 12 back out; after each it prints how long the
page took to be calm again (15 frames in a row under 40 ms) and its longest frame. A variant much
calmer than "as drawn" names what to look at. This is how dashed edges were found to cost 17 s of
raster work (docs/benchmarks.md, "The web viewer").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, sync_playwright
from viewer import CALM, CALM_MS, SHOWN, VIEWPORT, _wheel

from cloudcanvas.simulator import Simulator
from tests.azure_env import make_environment, settings_for
from tests.browser import CHROMIUM, FLAGS, login
from tests.factories import PASSWORD
from tests.live import start_live_server
from tests.web.test_viewer_large_browser import account_with_snapshot, estate

# Elements of the drawing by kind: each variant removes one (or one attribute of one).
VARIANTS = {
    "as drawn": "",
    "no grid": "#cc-diagram path.grid",
    "no group plates": "#cc-diagram g.groups",
    "no edges": "#cc-diagram g.edges",
    "no edge dashes": "#cc-diagram g.edges [stroke-dasharray]@stroke-dasharray",
    "no resources": "#cc-diagram g.resources",
}

CALM_AFTER = """([calm, calmMs]) => new Promise(done => {
  const start = performance.now();
  let last = start, run = 0, worst = 0;
  function tick(now) {
    const frame = now - last;
    last = now;
    worst = Math.max(worst, frame);
    run = frame < calmMs ? run + 1 : 0;
    if (run >= calm || now - start > 300000) done([now - start, worst]);
    else requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})"""

REMOVE = """(target) => {
  const [selector, attribute] = target.split('@');
  for (const element of document.querySelectorAll(selector)) {
    if (attribute) element.removeAttribute(attribute); else element.remove();
  }
}"""


def _calm(page: Page) -> tuple[float, float]:
    took, worst = page.evaluate(CALM_AFTER, [CALM, CALM_MS])
    return float(took) / 1000, float(worst) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    with Simulator(make_environment()) as sim, sync_playwright() as playwright:
        server = start_live_server(
            Path(tempfile.mkdtemp(prefix="cc-bench-raster-")), **settings_for(sim)
        )
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            email = "raster@example.com"
            account_id = account_with_snapshot(server, email, estate(args.size))
            for name in args.variants.split(","):
                context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
                context.set_default_timeout(300_000)
                page = context.new_page()
                login(page, server.url, email, PASSWORD)
                page.goto(f"{server.url}/azure/accounts/{account_id}/diagram")
                page.wait_for_function(SHOWN, polling=20, timeout=120_000)
                if VARIANTS[name]:
                    page.evaluate(REMOVE, VARIANTS[name])
                _calm(page)
                box = page.locator("#cc-canvas").bounding_box()
                assert box is not None
                cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                parts = []
                for label, steps in (("5 in", 5), ("7 more", 7), ("12 out", -12)):
                    _wheel(page, cx, cy, steps)
                    took, worst = _calm(page)
                    parts.append(f"{label}: calm after {took:5.1f} s, longest {worst:4.1f} s")
                print(f"{name:<16} " + " | ".join(parts), flush=True)
                context.close()
        finally:
            browser.close()
            server.stop()


if __name__ == "__main__":
    main()
