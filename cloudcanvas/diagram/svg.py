"""The SVG drawing of a layout, in isometric or 2D projection.

Every string that came from Azure goes through ``escape``/``quoteattr``. The document holds no
script, no event attributes and no references other than local ``#id`` uses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram import costlayer, legend
from cloudcanvas.diagram.layout import BLOCK, HEADER, PAD, Layout, PlacedGroup, PlacedNode
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.shapes import FLAT, ISO, RISE, flat_symbol, iso, iso_symbol
from cloudcanvas.diagram.style import THEMES, Theme

MARGIN = 4  # grid units around the drawing
LABEL_CHARS = 22
# In 2D, neighbouring names share a baseline 100 units apart (CELL * FLAT): 16 characters of the
# 9-unit sans-serif (DejaVu Sans, the widest usual fallback) and the halo fit; isometric
# neighbours sit 40+ units lower (tests/diagram/test_labels.py measures both).
LABEL_CHARS_2D = 16
FONT = "Helvetica, Arial, sans-serif"
EDGE_DASH = {
    "peering": (6.0, 4.0),
    "private-link": (2.0, 3.0),
    "hub-connection": (6.0, 4.0),  # a VNet joined to a Virtual WAN hub: a peering in effect
    "expressroute": (6.0, 4.0),
    "next-hop": (4.0, 2.0),
}  # dash, gap (drawing units)
DASH_PIECE = 600  # the longest piece of a dashed edge, in drawing units (see _dashed)


@dataclass(frozen=True, slots=True)
class Frame:
    """The drawing's viewBox and its size in pixels."""

    x: float
    y: float
    w: float
    h: float
    width: float
    height: float


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def clip_middle(text: str, limit: int) -> str:
    """``text`` shortened in the middle, keeping both ends: the ends tell apart names like
    ``vm-hr-prod-010-web89-1`` and ``-2``, which an end cut would make identical."""
    if len(text) <= limit:
        return text
    head = limit // 2
    tail = limit - 1 - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def label_text(name: str, opts: RenderOptions) -> str:
    """A resource's name as drawn under its block, short enough not to reach its neighbours'."""
    return clip_middle(name, LABEL_CHARS_2D if opts.projection == "2d" else LABEL_CHARS)


def project_for(opts: RenderOptions) -> Callable[[float, float], tuple[float, float]]:
    if opts.projection == "2d":
        return lambda x, y: (x * FLAT, y * FLAT)
    return lambda x, y: ((x - y) * ISO, (x + y) * ISO / 2)


def _drawing_box(lay: Layout, opts: RenderOptions) -> Frame:
    """The viewBox around the projected drawing (and the cost panel), without the legend."""
    project = project_for(opts)
    m = MARGIN
    rects = [(g.x, g.y, g.x + g.w, g.y + g.h) for g in lay.groups if g.depth == 1]
    rects += [(p.x, p.y, p.x + BLOCK, p.y + BLOCK) for p in lay.nodes if p.group is None]
    rects = rects or [(0, 0, 0, 0)]
    corners = [
        project(x, y)
        for x0, y0, x1, y1 in rects
        for x, y in ((x0 - m, y0 - m), (x1 + m, y0 - m), (x0 - m, y1 + m), (x1 + m, y1 + m))
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    top = min(ys) - (3 * RISE if opts.projection == "isometric" else 0)
    if opts.title:
        top -= 48
    box = Frame(min(xs), top, max(xs) - min(xs), max(ys) - top + 24, 0, 0)
    if opts.cost is not None:  # room on the right for the budget panel
        box = Frame(*costlayer.panel_room((box.x, box.y, box.w, box.h)), 0, 0)
    return box


def legend_place(lay: Layout, opts: RenderOptions) -> tuple[float, float, float]:
    """Where the legend goes: (x, y, width), under the drawing."""
    box = _drawing_box(lay, opts)
    return box.x + 12, box.y + box.h, max(box.w, legend.MIN_W) - 24


def frame(lay: Layout, opts: RenderOptions) -> Frame:
    """ViewBox around the projected drawing, and the pixel size from scale, width, height."""
    box = _drawing_box(lay, opts)
    if opts.legend:
        w = max(box.w, legend.MIN_W)
        box = Frame(box.x, box.y, w, box.h + legend.height_for(lay, w - 24), 0, 0)
    width, height = box.w * opts.scale, box.h * opts.scale
    if opts.width and opts.height:
        width, height = opts.width, opts.height
    elif opts.width:
        width, height = opts.width, opts.width * box.h / box.w
    elif opts.height:
        width, height = opts.height * box.w / box.h, opts.height
    return Frame(box.x, box.y, box.w, box.h, max(1.0, width), max(1.0, height))


def render_svg(lay: Layout, opts: RenderOptions, *, detail: bool = True) -> str:
    """The SVG document; ``detail=False`` leaves out titles and data attributes (rasters)."""
    theme = THEMES[opts.theme]
    box = frame(lay, opts)
    symbols = _symbol_ids(lay)
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="{box.x:.0f} {box.y:.0f} {box.w:.0f} {box.h:.0f}" '
        f'width="{box.width:.0f}" height="{box.height:.0f}" font-family="{FONT}" '
        f'class="cloudcanvas-diagram" data-projection="{opts.projection}" '
        f'data-theme="{opts.theme}">',
        f"<title>{escape(opts.title or 'Azure diagram')}</title>",
        "<defs>",
    ]
    make = flat_symbol if opts.projection == "2d" else iso_symbol
    out += [make(sid, *kind) for kind, sid in sorted(symbols.items())]
    out.append("</defs>")
    if not opts.transparent:
        out.append(
            f'<rect class="background" x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" '
            f'height="{box.h:.0f}" fill="{theme.background}"/>'
        )
    if opts.grid:
        out += _grid(lay, opts, theme)
    if opts.title:
        out.append(_title(opts.title, lay, opts, theme))
    out += _groups(lay, opts, theme, detail)
    out += _edges(lay, opts, theme)
    out += _nodes(lay, opts, symbols, detail)
    if opts.label:
        out += _labels(lay, opts, theme)
    if opts.cost is not None:
        out += costlayer.svg_layer(lay, opts)
    if opts.legend:
        out.append(legend.svg_legend(lay, opts, theme, *legend_place(lay, opts)))
    out.append("</svg>")
    return "\n".join(out)


def _symbol_ids(lay: Layout) -> dict[tuple[str, str, str], str]:
    kinds = sorted({(p.node.component, p.node.family, p.node.color) for p in lay.nodes})
    return {kind: f"c{index}" for index, kind in enumerate(kinds)}


def _grid(lay: Layout, opts: RenderOptions, theme: Theme) -> list[str]:
    project = project_for(opts)
    m = MARGIN
    x0, y0, x1, y1 = -m, -m, lay.width + m, lay.height + m
    step = max(1, math.ceil(max(x1 - x0, y1 - y0) / 240))
    segments = []
    for x in range(x0, x1 + 1, step):
        (ax, ay), (bx, by) = project(x, y0), project(x, y1)
        segments.append(f"M{ax:.0f} {ay:.0f}L{bx:.0f} {by:.0f}")
    for y in range(y0, y1 + 1, step):
        (ax, ay), (bx, by) = project(x0, y), project(x1, y)
        segments.append(f"M{ax:.0f} {ay:.0f}L{bx:.0f} {by:.0f}")
    return [
        f'<path class="grid" d="{"".join(segments)}" fill="none" stroke="{theme.grid}" '
        'stroke-width="1"/>'
    ]


def _title(title: str, lay: Layout, opts: RenderOptions, theme: Theme) -> str:
    box = frame(lay, opts)
    return (
        f'<text class="title" x="{box.x + 24:.0f}" y="{box.y + 34:.0f}" font-size="24" '
        f'font-weight="bold" fill="{theme.text}">{escape(clip(title, 120))}</text>'
    )


def _groups(lay: Layout, opts: RenderOptions, theme: Theme, detail: bool) -> list[str]:
    project = project_for(opts)
    out = ['<g class="groups">']
    for group in sorted(lay.groups, key=lambda g: (g.depth, g.y + g.x, g.id)):
        fill, stroke, ink = theme.plates.get(group.kind, theme.plates["region"])
        corners = [(group.x, group.y), (group.x + group.w, group.y)]
        corners += [(group.x + group.w, group.y + group.h), (group.x, group.y + group.h)]
        points = " ".join(f"{px:.0f},{py:.0f}" for px, py in (project(*c) for c in corners))
        attrs = (
            f' id="{group.id}" class="group" data-kind="{group.kind}" data-depth="{group.depth}"'
        )
        if detail:
            attrs += f" data-key={quoteattr(group.key)}"
            if group.node is not None:
                attrs += f" data-resource-id={quoteattr(group.node.resource_id)}"
        title = f"<title>{escape(group.label)}</title>" if detail else ""
        width = 2 if group.depth == 1 else 1.4
        plate = (
            f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
        )
        edge = _plate_edge(group, opts, stroke) if group.depth == 1 else ""
        out.append(f"<g{attrs}>{title}{edge}{plate}{_group_label(group, opts, ink)}</g>")
    out.append("</g>")
    return out


def _plate_edge(group: PlacedGroup, opts: RenderOptions, color: str) -> str:
    """The thickness of a top-level plate (isometric only): its two front sides."""
    if opts.projection == "2d":
        return ""
    x0, y0, x1, y1 = group.x, group.y, group.x + group.w, group.y + group.h
    drop = 0.35 * RISE
    front = [iso(x1, y0), iso(x1, y1), iso(x0, y1)]
    lowered = [(px, py + drop) for px, py in reversed(front)]
    points = " ".join(f"{px:.0f},{py:.0f}" for px, py in front + lowered)
    return f'<polygon points="{points}" fill="{color}"/>'


def _group_label(group: PlacedGroup, opts: RenderOptions, ink: str) -> str:
    size = 1.25 if group.depth == 1 else 1.0
    limit = max(4, int((group.w - 2 * PAD) / (0.58 * size)))
    text = escape(clip(group.label, limit))
    weight = ' font-weight="bold"' if group.depth == 1 else ""
    lx, ly = group.x + PAD, group.y + HEADER - 0.9
    if opts.projection == "2d":
        return (
            f'<text x="{lx * FLAT:.0f}" y="{ly * FLAT:.0f}" font-size="{size * 14:.0f}" '
            f'fill="{ink}"{weight}>{text}</text>'
        )
    ex, ey = iso(lx, ly)
    # The isometric map at unit scale and the font at full size: a text scaled up 16 times from a
    # 1-unit font makes Chromium give each label (and what overlaps it) a compositing layer.
    return (
        f'<text transform="matrix(1 0.5 -1 0.5 {ex:.0f} {ey:.0f})" '
        f'font-size="{size * ISO:g}" fill="{ink}"{weight}>{text}</text>'
    )


def _edges(lay: Layout, opts: RenderOptions, theme: Theme) -> list[str]:
    if not lay.edges:
        return []
    project = project_for(opts)
    out = [
        f'<g class="edges" fill="none" stroke="{theme.edge}" stroke-width="1.6" '
        'stroke-linejoin="round" opacity="0.85">'
    ]
    for edge in lay.edges:
        coords = [project(x, y) for x, y in edge.points]
        attrs = (
            f'id="{edge.id}" data-from="{edge.source}" data-to="{edge.target}" '
            f"data-kind={quoteattr(edge.kind)}"
        )
        dash = EDGE_DASH.get(edge.kind)
        if dash is None:
            d = "M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in coords)
            out.append(f'<path {attrs} d="{d}"/>')
        else:
            out.append(f'<g {attrs} stroke-dasharray="{dash[0]:g} {dash[1]:g}">')
            out += _dashed(coords, dash[0] + dash[1])
            out.append("</g>")
    out.append("</g>")
    return out


def _dashed(coords: list[tuple[float, float]], period: float) -> list[str]:
    """A dashed line as pieces of at most DASH_PIECE units, each starting the pattern where the
    previous one left it. A browser dashes a whole path again for every raster tile the path
    touches: one long dashed path made a deep zoom on a 10,000-resource diagram cost 17 s of
    raster work (against 2 s in pieces)."""
    pieces = []
    run = 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(coords):
        length = math.hypot(bx - ax, by - ay)
        count = max(1, math.ceil(length / DASH_PIECE))
        for i in range(count):
            x0, y0 = ax + (bx - ax) * i / count, ay + (by - ay) * i / count
            x1, y1 = ax + (bx - ax) * (i + 1) / count, ay + (by - ay) * (i + 1) / count
            offset = run % period
            shift = f' stroke-dashoffset="{offset:.1f}"' if offset >= 0.05 else ""
            pieces.append(f'<path d="M{x0:.1f} {y0:.1f}L{x1:.1f} {y1:.1f}"{shift}/>')
            run += length / count
    return pieces


def _nodes(
    lay: Layout, opts: RenderOptions, symbols: dict[tuple[str, str, str], str], detail: bool
) -> list[str]:
    project = project_for(opts)
    out = ['<g class="resources">']
    # Painter's order: the isometric back (small x + y) first.
    for placed in sorted(lay.nodes, key=lambda p: (p.x + p.y, p.x)):
        node = placed.node
        px, py = project(placed.x, placed.y)
        use = f'<use href="#{symbols[(node.component, node.family, node.color)]}" x="{px:.0f}" y="{py:.0f}"/>'
        if not detail:
            out.append(use)
            continue
        out.append(
            f'<g id="{placed.id}" class="resource" data-key={quoteattr(node.key)} '
            f"data-resource-id={quoteattr(node.resource_id)} data-type={quoteattr(node.component)}>"
            f"<title>{escape(node.name)}</title>{use}</g>"
        )
    out.append("</g>")
    return out


def label_anchor(placed: PlacedNode, opts: RenderOptions) -> tuple[float, float]:
    """Where a resource's name is centred, under its block (SVG and raster agree)."""
    if opts.projection == "2d":
        return (placed.x + BLOCK / 2) * FLAT, (placed.y + BLOCK) * FLAT + 13
    x, y = iso(placed.x + BLOCK, placed.y + BLOCK)
    return x, y + 12


def _labels(lay: Layout, opts: RenderOptions, theme: Theme) -> list[str]:
    """Names under the blocks, drawn twice (halo, then ink) through one shared group."""
    texts = ['<defs><g id="labels">']
    for placed in lay.nodes:
        x, y = label_anchor(placed, opts)
        texts.append(
            f'<text x="{x:.0f}" y="{y:.0f}">{escape(label_text(placed.node.name, opts))}</text>'
        )
    texts.append("</g></defs>")
    style = 'font-size="9" text-anchor="middle"'
    texts.append(
        f'<use class="label-halo" href="#labels" {style} fill="{theme.text_halo}" '
        f'stroke="{theme.text_halo}" stroke-width="2.5" stroke-linejoin="round" opacity="0.85"/>'
    )
    texts.append(f'<use class="labels" href="#labels" {style} fill="{theme.text}"/>')
    return texts
