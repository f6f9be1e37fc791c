"""Semantic zoom: a group's resources summarised as one labelled tile, and the resources of chosen
groups drawn alone.

At the overview level a group's own resources (its items grid, beside its child groups) are drawn
as a tile in their place: the group's name, how many resources, the counts by family and the worst
status among them. The viewer shows tiles while the view is too far out to read resources, and
fetches the resources of the groups in view (``render_groups_svg``) as it zooms in; exports take
``level=overview``. Both drawings come from the same layout, in the same coordinates.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram import raster, svg
from cloudcanvas.diagram.layout import CELL, OFFSET, Layout, PlacedGroup, PlacedNode
from cloudcanvas.diagram.model import Node
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.shapes import FLAT, ISO, flat_symbol, iso_symbol
from cloudcanvas.diagram.style import THEMES

# A resource's state fact (power state, provisioning state...) by how bad it is; unknown: ok.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "failed": ("fail", "error", "unhealthy", "degraded", "cancel", "unavailable"),
    "stopped": ("stop", "dealloc", "disabled", "paused", "suspend", "offline", "inactive"),
    "changing": ("updat", "creat", "delet", "provision", "start", "migrat", "scaling", "pending"),
}
STATUS_ORDER = ("ok", "changing", "stopped", "failed")  # worst last
STATUS_COLOR = {"ok": "#2da44e", "changing": "#d4a72c", "stopped": "#8c959f", "failed": "#cf222e"}
NAME_CHARS = 18
ADDRESS_RANGE = re.compile(r"[0-9a-fA-F:.]+/\d{1,3}")
SYMBOL_PREFIX = "d"  # symbols of resource drawings: apart from the overview's own


@dataclass(frozen=True, slots=True)
class Tile:
    """A group's own resources, summarised: where they sit (grid units) and what they are."""

    group: PlacedGroup
    x: int
    y: int
    w: int
    h: int
    total: int
    families: tuple[tuple[str, int], ...]  # most first, then by name
    status: str  # the worst among the resources: ok, changing, stopped or failed


def status_of(node: Node) -> str:
    """A resource's status from its ``state`` fact: ok, changing, stopped or failed."""
    state = str(node.properties.get("state", "")).lower()
    for status in ("failed", "stopped", "changing"):
        if any(word in state for word in STATUS_WORDS[status]):
            return status
    return "ok"


def worst_status(nodes: Iterable[Node]) -> str:
    return max((status_of(n) for n in nodes), key=STATUS_ORDER.index, default="ok")


def tiles(lay: Layout) -> list[Tile]:
    """One tile per group that has resources of its own, over the area they take."""
    members: dict[str, list[PlacedNode]] = {}
    for node in lay.nodes:
        if node.group is not None:
            members.setdefault(node.group, []).append(node)
    out = []
    for group in lay.groups:
        placed = members.get(group.id)
        if not placed:
            continue
        x0 = min(p.x for p in placed) - OFFSET
        y0 = min(p.y for p in placed) - OFFSET
        x1 = max(p.x for p in placed) - OFFSET + CELL
        y1 = max(p.y for p in placed) - OFFSET + CELL
        counts = Counter(p.node.family or "other" for p in placed)
        families = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        status = worst_status(p.node for p in placed)
        out.append(Tile(group, x0, y0, x1 - x0, y1 - y0, len(placed), families, status))
    return out


def tile_lines(tile: Tile) -> list[str]:
    """The tile's text: name, count and worst status, then the counts by family, the most
    numerous first (short lines: a tile's text is as large as its width allows)."""
    count = f"{tile.total} resource" + ("" if tile.total == 1 else "s")
    status = "" if tile.status == "ok" else f", {tile.status}"
    families = [f"{n} {family}" for family, n in tile.families]
    if len(families) > 3:
        families[2:] = [f"{sum(n for _, n in tile.families[2:])} other"]
    return [tile_name(tile.group.label), count + status, *families]


def tile_name(label: str) -> str:
    """A tile's first line: the group's label, shortened in the middle. A VNet's address ranges
    go first when both do not fit (its plate's label keeps them): shortened together, names read
    alike (``vnet-port…2.0.0/16`` for ``vnet-portal-prod 10.2.0.0/16``)."""
    if len(label) > NAME_CHARS:
        name, _, ranges = label.partition(" ")
        if ranges and all(ADDRESS_RANGE.fullmatch(r) for r in ranges.replace(",", " ").split()):
            label = name
    return svg.clip_middle(label, NAME_CHARS)


def _tile_svg(tile: Tile, opts: RenderOptions, lean: bool) -> str:
    """The tile drawn flat on the floor: in 2D as is, in isometric through the floor's map.

    ``lean`` (the viewer): one element, its text in data attributes (``data-lines``, and
    ``data-text``: where the first line starts and the font size, on the floor), which the viewer
    draws only for the tiles in view that are large enough to read; tens of thousands of texts on
    the page would be laid out and styled on every change of the view."""
    theme = THEMES[opts.theme]
    unit = FLAT if opts.projection == "2d" else ISO
    x, y, w, h = tile.x * unit, tile.y * unit, tile.w * unit, tile.h * unit
    lines = tile_lines(tile)
    pad = min(w, h) * 0.08
    longest = max(len(line) for line in lines)
    size = min((h - 2 * pad) / (len(lines) * 1.3), (w - 2 * pad) / (0.6 * longest))
    color = STATUS_COLOR[tile.status]
    project = svg.project_for(opts)
    corners = [project(tile.x, tile.y), project(tile.x + tile.w, tile.y)]
    corners += [project(tile.x + tile.w, tile.y + tile.h), project(tile.x, tile.y + tile.h)]
    bx, by = min(c[0] for c in corners), min(c[1] for c in corners)
    bw, bh = max(c[0] for c in corners) - bx, max(c[1] for c in corners) - by
    points = " ".join(f"{cx:.0f},{cy:.0f}" for cx, cy in corners)
    attrs = (
        f'data-group="{tile.group.id}" data-status="{tile.status}" data-count="{tile.total}" '
        f'data-box="{bx:.0f} {by:.0f} {bw:.0f} {bh:.0f}"'
    )
    look = (
        f'fill="{theme.background}" fill-opacity="0.92" stroke="{color}" '
        f'stroke-width="{min(8.0, max(1.5, pad / 3)):.1f}" stroke-linejoin="round"'
    )
    if lean:
        text = f"{x + pad:.1f} {y + pad + size:.1f} {size:.1f}"
        return (
            f'<polygon class="tile" {attrs} data-text="{text}" '
            f'data-lines={quoteattr(chr(10).join(lines))} points="{points}" {look}/>'
        )
    texts = []
    for index, line in enumerate(lines):
        weight = ' font-weight="bold"' if index == 0 else ""
        ty = y + pad + size * (1.3 * index + 1)
        texts.append(f'<text x="{x + pad:.1f}" y="{ty:.1f}"{weight}>{escape(line)}</text>')
    frame = "" if opts.projection == "2d" else ' transform="matrix(1 0.5 -1 0.5 0 0)"'
    title = f"{tile.group.label}: " + ", ".join(lines[1:])
    return (
        f'<g class="tile" {attrs}><title>{escape(title)}</title>'
        f'<polygon points="{points}" {look}/>'
        f'<g{frame} font-size="{size:.1f}" fill="{theme.text}">{"".join(texts)}</g></g>'
    )


def render_overview_svg(lay: Layout, opts: RenderOptions, *, lean: bool = False) -> str:
    """The drawing at the overview level: plates and group labels as in detail, each group's own
    resources as one tile, the edges between groups (peerings...). Resources outside every group
    stay drawn. The root carries the counts of what the detail level shows."""
    loose = tuple(p for p in lay.nodes if p.group is None)
    kept = {p.id for p in loose} | {g.id for g in lay.groups}
    edges = tuple(e for e in lay.edges if e.source in kept and e.target in kept)
    document = svg.render_svg(replace(lay, nodes=loose, edges=edges), opts)
    containers = sum(1 for g in lay.groups if g.node is not None)
    counts = f'data-level="overview" data-blocks="{len(lay.nodes)}" data-containers="{containers}" '
    return add_tiles(document, lay, opts, lean=lean).replace("<svg ", "<svg " + counts, 1)


def add_tiles(document: str, lay: Layout, opts: RenderOptions, *, lean: bool = False) -> str:
    """``document`` (an SVG of ``lay``) with the tiles drawn over everything else."""
    tiled = [_tile_svg(tile, opts, lean) for tile in tiles(lay)]
    head, _, _ = document.rpartition("</svg>")
    return f'{head}<g class="tiles" font-family="{svg.FONT}">{"".join(tiled)}</g>\n</svg>'


def _within(lay: Layout, group_ids: Collection[str]) -> set[str]:
    """The groups asked for and every group inside them."""
    inside = set(group_ids)
    for group in sorted(lay.groups, key=lambda g: g.depth):
        if group.parent in inside:
            inside.add(group.id)
    return inside


def render_groups_svg(lay: Layout, opts: RenderOptions, group_ids: Collection[str]) -> str:
    """The resources of the groups asked for (their own, not their child groups'), the edges
    that touch them and their names, in the full drawing's coordinates: the viewer adds them to
    the overview as it zooms in. Symbols carry ids of their own (``d`` + the full drawing's), the
    same in every such drawing of this layout."""
    wanted = set(group_ids) & {g.id for g in lay.groups}  # ids asked for, never drawn as given
    nodes = tuple(p for p in lay.nodes if p.group in wanted)
    ids = {p.id for p in nodes}
    edges = tuple(e for e in lay.edges if e.source in ids or e.target in ids)
    part = replace(lay, nodes=nodes, edges=edges)
    symbols = {kind: SYMBOL_PREFIX + sid for kind, sid in svg._symbol_ids(lay).items()}
    make = flat_symbol if opts.projection == "2d" else iso_symbol
    used = sorted({(p.node.component, p.node.family, p.node.color) for p in nodes})
    theme = THEMES[opts.theme]
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="cloudcanvas-part" '
        f"data-groups={quoteattr(' '.join(sorted(wanted)))}>",
        "<defs>",
        *(make(symbols[kind], *kind) for kind in used),
        "</defs>",
        *svg._edges(part, opts, theme),
    ]
    for gid in sorted(wanted):  # the resources of each group in a group of their own
        own = tuple(p for p in nodes if p.group == gid)
        drawn = svg._nodes(replace(part, nodes=own), opts, symbols, True)
        out += [f'<g class="resources" data-group="{gid}">', *drawn[1:]]
    out.append('<g class="names">')
    for placed in nodes:
        x, y = svg.label_anchor(placed, opts)
        name = escape(svg.label_text(placed.node.name, opts))
        out.append(f'<text x="{x:.0f}" y="{y:.0f}" data-group="{placed.group}">{name}</text>')
    out += ["</g>", "</svg>"]
    return "\n".join(out)


def render_overview_png(lay: Layout, opts: RenderOptions, max_pixels: int) -> bytes:
    """The overview as a PNG of the size the options ask for, its area capped at ``max_pixels``."""
    cairo = raster._libs()[0]
    box = svg.frame(lay, opts)
    width, height = box.width, box.height
    if width * height > max_pixels:
        shrink = math.sqrt(max_pixels / (width * height))
        width, height = width * shrink, height * shrink
    out = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(1, round(width)), max(1, round(height)))
    ctx = cairo.Context(out)
    raster._fit(ctx, box, out.get_width(), out.get_height(), 0.0)
    _paint(ctx, lay, opts, box)
    data = io.BytesIO()
    out.write_to_png(data)
    return data.getvalue()


def render_overview_pdf(
    lay: Layout, opts: RenderOptions, page: tuple[float, float], margin: float
) -> bytes:
    """The overview on a one-page PDF of ``page`` size (points), fitted inside the margins."""
    cairo = raster._libs()[0]
    box = svg.frame(lay, opts)
    data = io.BytesIO()
    out = cairo.PDFSurface(data, page[0], page[1])
    ctx = cairo.Context(out)
    raster._fit(ctx, box, page[0], page[1], margin)
    _paint(ctx, lay, opts, box)
    out.finish()
    return data.getvalue()


def _paint(ctx: Any, lay: Layout, opts: RenderOptions, box: svg.Frame) -> None:
    """The overview SVG drawn as vectors on ``ctx``, whose user units are the drawing's."""
    cairo, parser, surface = raster._libs()
    document = render_overview_svg(lay, replace(opts, scale=1.0, width=None, height=None))

    class Recording(surface.Surface):  # type: ignore[misc,name-defined]
        device_units_per_user_units = 1

        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            extents = (0, 0, width, height)
            return cairo.RecordingSurface(cairo.CONTENT_COLOR_ALPHA, extents), width, height

    recorded = Recording(parser.Tree(bytestring=document.encode()), None, 96).cairo
    ctx.translate(box.x, box.y)
    ctx.set_source_surface(recorded, 0, 0)
    ctx.paint()
