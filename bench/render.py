"""Diagram benchmark: layout + SVG at 1k/10k/50k resources, PNG at 10k, peak memory at 50k,
and Graphviz ``dot`` (what AzViz and ``diagrams`` use) on the same clustered graph.

    .venv/bin/python bench/render.py [--quick] [--dot-timeout SECONDS] [--pictures DIR]

``--pictures DIR`` writes, instead of measuring, one region's estate as 2D PNGs without and with edge bundling
(``edges-routed-2d.png``, ``edges-bundled-2d.png``).
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cloudcanvas.diagram import Graph, RenderOptions, layout, render
from cloudcanvas.diagram.svg import render_svg
from tests.diagram.crossings import crossing_counts, layout_with
from tests.diagram.synthetic import build_graph


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (the bench scripts' one timer)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _layout_svg(graph: Graph) -> None:
    opts = RenderOptions()
    render_svg(layout(graph, opts), opts)


def _dot_source(graph: Graph) -> str:
    """The same graph as DOT, clustered by region and VNet (the Infrastructure grouping)."""
    clusters: dict[tuple[str, str], list[int]] = {}
    index = {node.key: i for i, node in enumerate(graph.nodes)}
    for i, node in enumerate(graph.nodes):
        clusters.setdefault((node.location, node.vnet or "paas"), []).append(i)
    lines = ["digraph G {", "compound=true; node [shape=box];"]
    regions: dict[str, list[tuple[str, list[int]]]] = {}
    for (region, vnet), members in sorted(clusters.items()):
        regions.setdefault(region, []).append((vnet, members))
    for r, (region, vnets) in enumerate(sorted(regions.items())):
        lines.append(f'subgraph cluster_r{r} {{ label="{region}";')
        for v, (_, members) in enumerate(vnets):
            lines.append(f"subgraph cluster_r{r}_v{v} {{ " + " ".join(f"n{m};" for m in members))
            lines.append("}")
        lines.append("}")
    for edge in graph.edges:
        if edge.source in index and edge.target in index:
            lines.append(f"n{index[edge.source]} -> n{index[edge.target]};")
    lines.append("}")
    return "\n".join(lines)


def _dot(graph: Graph, timeout: float) -> str:
    dot = shutil.which("dot")
    if dot is None:
        return "not installed"
    source = _dot_source(graph).encode()
    start = time.perf_counter()
    try:
        subprocess.run([dot, "-Tsvg", "-o", "/dev/null"], input=source, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (timed out)"
    return f"{time.perf_counter() - start:.2f} s"


def _label_overlaps() -> list[tuple[str, str, str]]:
    """Overlapping name boxes (cairo metrics) on a 2,000-resource estate with long names."""
    from cloudcanvas.diagram import group_by_levels
    from tests.diagram.test_labels import collisions, label_boxes, long_named

    graph = long_named(2000)
    rows = []
    for projection in ("2d", "isometric"):
        for grouping in ("infrastructure", "network", "resourcegroup", "region"):
            opts = RenderOptions(projection=projection, group_by=group_by_levels(grouping))
            boxes = label_boxes(opts, graph)
            name = f"label overlaps, {projection} {grouping}"
            rows.append((name, f"{collisions(boxes)} of {len(boxes):,} labels", "0"))
    return rows


def _crossings(sizes: tuple[int, ...]) -> list[tuple[str, str, str]]:
    """Crossings per edge: the layout's own paths, routed round containers, and bundled too."""
    rows = []
    for n in sizes:
        graph = build_graph(n)
        found = [
            crossing_counts(layout_with(graph, RenderOptions(), route_around=r, bundle=b))
            for r, b in ((False, False), (True, False), (True, True))
        ]
        for label, col in (("edge–edge", 1), ("edge–unrelated container", 2)):
            plain, routed, bundled = (f[col] / max(f[0], 1) for f in found)
            rows.append(
                (
                    f"{label} crossings per edge, {n:,} ({found[2][0]:,} edges)",
                    f"{plain:.2f} → {routed:.2f} → {bundled:.2f}",
                    "layout's paths → routed → routed and bundled",
                )
            )
    return rows


def _bundling_cost(graph: Graph) -> list[tuple[str, str, str]]:
    """Layout + SVG at 10k without and with bundling, interleaved in this process (best of 3)."""
    best = {False: math.inf, True: math.inf}
    for _ in range(3):
        for bundle in (False, True):
            opts = RenderOptions()
            start = time.perf_counter()
            render_svg(layout_with(graph, opts, bundle=bundle), opts)
            best[bundle] = min(best[bundle], time.perf_counter() - start)
    return [
        (
            f"layout + SVG, {len(graph.nodes):,}: without → with bundling",
            f"{best[False]:.3f} → {best[True]:.3f} s",
            "same process, interleaved",
        )
    ]


def _pictures(folder: Path) -> None:
    """One region of 100 resources without and with bundling, for the eye (docs/images)."""
    from cloudcanvas.diagram.export import render_png

    graph = build_graph(100, regions=("eastus",))
    opts = RenderOptions(projection="2d", width=1800, height=1400)
    folder.mkdir(parents=True, exist_ok=True)
    for name, bundle in (("routed", False), ("bundled", True)):
        png = render_png(layout_with(graph, opts, bundle=bundle), opts)
        (folder / f"edges-{name}-2d.png").write_bytes(png)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip 50k and dot at 5k")
    parser.add_argument("--dot-timeout", type=float, default=300.0)
    parser.add_argument("--pictures", type=Path, help="only write PNGs without/with bundling")
    args = parser.parse_args()
    if args.pictures is not None:
        _pictures(args.pictures)
        return
    rows: list[tuple[str, str, str]] = []
    graphs = {n: build_graph(n) for n in (1000, 10_000) + (() if args.quick else (50_000,))}
    t = {n: _best(partial(_layout_svg, g), 3 if n < 50_000 else 1) for n, g in graphs.items()}
    for n, seconds in t.items():
        target = {10_000: "< 1 s", 50_000: "< 6 s"}.get(n, "")
        rows.append((f"layout + SVG, {n:,} resources", f"{seconds:.3f} s", target))
    nlogn = (10_000 * math.log(10_000)) / (1000 * math.log(1000))
    rows.append(("t(10k) / t(1k)", f"{t[10_000] / t[1000]:.1f}", f"n log n: {nlogn:.1f}"))
    png = _best(lambda: render(graphs[10_000], "png"), 1)
    rows.append(("PNG, 10,000 resources", f"{png:.2f} s", "< 5 s"))
    if not args.quick:
        tracemalloc.start()
        _layout_svg(graphs[50_000])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(("peak memory, layout + SVG 50k", f"{peak / 2**20:.0f} MiB", "< 1024 MiB"))
    rows.extend(_bundling_cost(graphs[10_000]))
    rows.extend(_label_overlaps())
    rows.extend(_crossings((1000,) if args.quick else (1000, 5000)))
    dot_sizes = (1000,) if args.quick else (1000, 5000)
    for n in dot_sizes:
        graph = build_graph(n)
        ours = _best(partial(_layout_svg, graph), 3)
        theirs = _dot(graph, args.dot_timeout)
        rows.append((f"graphviz dot -Tsvg, {n:,}", theirs, f"cloudcanvas: {ours:.3f} s"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>22}  target / compare")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")


if __name__ == "__main__":
    main()
