"""The viewer's legend: what ``legend.json`` computes once the view's graph is at hand (the viewer
keeps it), the kinds counted after the filter and grouping and their symbols drawn, against the
layout the same view needs for its drawing.

    .venv/bin/python bench/legend.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from render import _best  # bench/render.py, beside this script

from cloudcanvas.diagram import Graph, RenderOptions, layout
from cloudcanvas.diagram.legend import kinds_in, symbol_svg
from tests.diagram.synthetic import build_graph


def _legend(graph: Graph, opts: RenderOptions) -> int:
    kinds = kinds_in(graph, opts)
    return sum(len(symbol_svg(kind, opts, f"cc-legend-{i}")) for i, kind in enumerate(kinds))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 resources only")
    args = parser.parse_args()
    views = {
        "infrastructure": RenderOptions(),
        "network, filtered": RenderOptions(
            group_by=("region", "vnet", "subnet"), filter="env=prod OR type=azuresubnet"
        ),
    }
    print(f"{'resources':>10}  {'view':<18}  {'legend':>9}  {'layout':>9}")
    for n in (10_000,) if args.quick else (10_000, 50_000, 100_000):
        graph = build_graph(n)
        for name, opts in views.items():
            legend = _best(partial(_legend, graph, opts), 3)
            lay = _best(partial(layout, graph, opts), 1)
            print(f"{n:>10,}  {name:<18}  {legend:>8.3f}s  {lay:>8.3f}s")


if __name__ == "__main__":
    main()
