"""PNG and PDF: the layout painted straight onto a cairo surface.

cairosvg draws each component symbol once (into a vector recording); cairo then stamps it at every
resource and draws plates, edges and labels itself. Converting the whole SVG through cairosvg
costs about 3.5 ms per element (35 s for 10,000 resources); this path stays under a few seconds.
The picture is the same as the SVG's: same geometry, colours and symbols (from ``shapes``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

from cloudcanvas.diagram import costlayer, legend
from cloudcanvas.diagram.layout import HEADER, PAD, Layout, PlacedGroup
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.shapes import FLAT, ISO, RISE, flat_symbol, iso, iso_symbol
from cloudcanvas.diagram.style import THEMES, Theme
from cloudcanvas.diagram.svg import (
    EDGE_DASH,
    MARGIN,
    Frame,
    clip,
    frame,
    label_anchor,
    label_text,
    legend_place,
    project_for,
)

MIN_LABEL_PX = 3.5
PDF_ZOOM = 8.0  # how far a reader zooms into a PDF, for the label cut-off
SYMBOL_BOX = (-40.0, -60.0, 120.0, 120.0)  # x, y, w, h around a symbol's origin, in px


def _libs() -> tuple[Any, Any, Any]:
    import cairocffi  # type: ignore[import-untyped]
    import cairosvg.parser
    import cairosvg.surface

    return cairocffi, cairosvg.parser, cairosvg.surface


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _symbol(svg_fragment: str, symbol_id: str) -> Any:
    """Record one symbol as vector drawing operations, by way of cairosvg."""
    return _record(f'<defs>{svg_fragment}</defs><use href="#{symbol_id}"/>', SYMBOL_BOX)


def _record(svg_body: str, view: tuple[float, float, float, float]) -> Any:
    """Record SVG drawn in the ``view`` box (x, y, w, h) as vector operations, by cairosvg."""
    cairo, parser, surface = _libs()
    x, y, w, h = view

    class Recording(surface.Surface):  # type: ignore[misc,name-defined]
        device_units_per_user_units = 1

        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            extents = (0, 0, width, height)
            return cairo.RecordingSurface(cairo.CONTENT_COLOR_ALPHA, extents), width, height

    document = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
        f'viewBox="{x:.0f} {y:.0f} {w:.0f} {h:.0f}">{svg_body}</svg>'
    )
    return Recording(parser.Tree(bytestring=document.encode()), None, 96).cairo


def paint(
    ctx: Any, lay: Layout, opts: RenderOptions, box: Frame, zoom: float, *, vector: bool = False
) -> None:
    """Draw the whole diagram on ``ctx`` in the SVG's user units (the caller set ``zoom``).

    Names smaller than MIN_LABEL_PX on the output are left out: unreadable, and slow to stroke.
    """
    cairo = _libs()[0]
    theme = THEMES[opts.theme]
    if not opts.transparent:
        ctx.set_source_rgb(*_rgb(theme.background))
        ctx.rectangle(box.x, box.y, box.w, box.h)
        ctx.fill()
    ctx.set_line_join(cairo.LINE_JOIN_ROUND)
    if opts.grid:
        _grid(ctx, lay, opts, theme)
    for group in sorted(lay.groups, key=lambda g: (g.depth, g.y + g.x, g.id)):
        _group(ctx, group, opts, theme)
    _edges(ctx, lay, opts, theme)
    _nodes(ctx, lay, opts)
    if opts.label and 9 * zoom >= MIN_LABEL_PX:
        _labels(ctx, lay, opts, theme, halo=not vector)
    if opts.cost is not None:
        costlayer.paint_layer(ctx, lay, opts)
    if opts.legend:
        _legend(ctx, lay, opts, theme)
    if opts.title:
        ctx.select_font_face("sans-serif", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_BOLD)
        ctx.set_font_size(24)
        ctx.set_source_rgb(*_rgb(theme.text))
        ctx.move_to(box.x + 24, box.y + 34)
        ctx.show_text(clip(opts.title, 120))


def _grid(ctx: Any, lay: Layout, opts: RenderOptions, theme: Theme) -> None:
    project = project_for(opts)
    m = MARGIN
    x0, y0, x1, y1 = -m, -m, lay.width + m, lay.height + m
    step = max(1, math.ceil(max(x1 - x0, y1 - y0) / 240))
    for x in range(x0, x1 + 1, step):
        ctx.move_to(*project(x, y0))
        ctx.line_to(*project(x, y1))
    for y in range(y0, y1 + 1, step):
        ctx.move_to(*project(x0, y))
        ctx.line_to(*project(x1, y))
    ctx.set_source_rgb(*_rgb(theme.grid))
    ctx.set_line_width(1)
    ctx.stroke()


def _group(ctx: Any, group: PlacedGroup, opts: RenderOptions, theme: Theme) -> None:
    cairo = _libs()[0]
    project = project_for(opts)
    fill, stroke, ink = theme.plates.get(group.kind, theme.plates["region"])
    x0, y0, x1, y1 = group.x, group.y, group.x + group.w, group.y + group.h
    if group.depth == 1 and opts.projection == "isometric":
        drop = 0.35 * RISE
        front = [iso(x1, y0), iso(x1, y1), iso(x0, y1)]
        _polygon(ctx, front + [(px, py + drop) for px, py in reversed(front)])
        ctx.set_source_rgb(*_rgb(stroke))
        ctx.fill()
    _polygon(ctx, [project(x0, y0), project(x1, y0), project(x1, y1), project(x0, y1)])
    ctx.set_source_rgb(*_rgb(fill))
    ctx.fill_preserve()
    ctx.set_source_rgb(*_rgb(stroke))
    ctx.set_line_width(2 if group.depth == 1 else 1.4)
    ctx.stroke()
    size = 1.25 if group.depth == 1 else 1.0
    weight = cairo.FONT_WEIGHT_BOLD if group.depth == 1 else cairo.FONT_WEIGHT_NORMAL
    ctx.select_font_face("sans-serif", cairo.FONT_SLANT_NORMAL, weight)
    limit = max(4, int((group.w - 2 * PAD) / (0.58 * size)))
    lx, ly = group.x + PAD, group.y + HEADER - 0.9
    ctx.save()
    if opts.projection == "2d":
        ctx.translate(lx * FLAT, ly * FLAT)
        ctx.set_font_size(size * 14)
    else:
        ex, ey = iso(lx, ly)
        ctx.transform(cairo.Matrix(ISO, ISO / 2, -ISO, ISO / 2, ex, ey))
        ctx.set_font_size(size)
    ctx.move_to(0, 0)
    ctx.set_source_rgb(*_rgb(ink))
    ctx.show_text(clip(group.label, limit))
    ctx.restore()


def _polygon(ctx: Any, points: list[tuple[float, float]]) -> None:
    ctx.move_to(*points[0])
    for point in points[1:]:
        ctx.line_to(*point)
    ctx.close_path()


def _edges(ctx: Any, lay: Layout, opts: RenderOptions, theme: Theme) -> None:
    project = project_for(opts)
    ctx.set_line_width(1.6)
    red, green, blue = _rgb(theme.edge)
    ctx.set_source_rgba(red, green, blue, 0.85)
    for kind in sorted({edge.kind for edge in lay.edges}):
        ctx.set_dash(list(EDGE_DASH.get(kind, ())))
        for edge in lay.edges:
            if edge.kind != kind:
                continue
            ctx.move_to(*project(*edge.points[0]))
            for point in edge.points[1:]:
                ctx.line_to(*project(*point))
        ctx.stroke()
    ctx.set_dash([])


def _legend(ctx: Any, lay: Layout, opts: RenderOptions, theme: Theme) -> None:
    """The SVG's legend, recorded from the same fragment and stamped in place."""
    x, y, width = legend_place(lay, opts)
    view = (x, y, width, legend.height_for(lay, width))
    if view[3] <= 0:
        return
    ctx.set_source_surface(_record(legend.svg_legend(lay, opts, theme, x, y, width), view), x, y)
    ctx.rectangle(x, y, view[2], view[3])
    ctx.fill()


def _nodes(ctx: Any, lay: Layout, opts: RenderOptions) -> None:
    make = flat_symbol if opts.projection == "2d" else iso_symbol
    project = project_for(opts)
    symbols: dict[tuple[str, str, str], Any] = {}
    x, y, w, h = SYMBOL_BOX
    for placed in sorted(lay.nodes, key=lambda p: (p.x + p.y, p.x)):
        kind = (placed.node.component, placed.node.family, placed.node.color)
        if kind not in symbols:
            symbols[kind] = _symbol(make("s", *kind), "s")
        px, py = project(placed.x, placed.y)
        ctx.set_source_surface(symbols[kind], px + x, py + y)
        ctx.rectangle(px + x, py + y, w, h)
        ctx.fill()


def _labels(ctx: Any, lay: Layout, opts: RenderOptions, theme: Theme, *, halo: bool) -> None:
    """Names under the blocks; a PDF keeps them as text (outlining them costs seconds)."""
    cairo = _libs()[0]
    ctx.select_font_face("sans-serif", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
    ctx.set_font_size(9)
    for placed in lay.nodes:
        x, y = label_anchor(placed, opts)
        text = label_text(placed.node.name, opts)
        width = ctx.text_extents(text)[4]
        ctx.move_to(x - width / 2, y)
        if halo:
            ctx.text_path(text)
        else:
            ctx.set_source_rgb(*_rgb(theme.text))
            ctx.show_text(text)
    if not halo:
        return
    ctx.set_source_rgb(*_rgb(theme.text_halo))
    ctx.set_line_width(2.5)
    ctx.stroke_preserve()
    ctx.set_source_rgb(*_rgb(theme.text))
    ctx.fill()


Overlay = Callable[[Any], None]  # draws more on the context, in the SVG's user units


def render_png(
    lay: Layout, opts: RenderOptions, max_pixels: int, overlay: Overlay | None = None
) -> bytes:
    """A PNG of the size the options ask for, its area capped at ``max_pixels``; ``overlay``
    draws on top (a blueprint's free texts)."""
    cairo = _libs()[0]
    box = frame(lay, opts)
    width, height = box.width, box.height
    if width * height > max_pixels:
        shrink = math.sqrt(max_pixels / (width * height))
        width, height = width * shrink, height * shrink
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(1, round(width)), max(1, round(height)))
    ctx = cairo.Context(surface)
    zoom = _fit(ctx, box, surface.get_width(), surface.get_height(), 0.0)
    paint(ctx, lay, opts, box, zoom)
    if overlay is not None:
        overlay(ctx)
    out = io.BytesIO()
    surface.write_to_png(out)
    return out.getvalue()


def render_pdf(
    lay: Layout,
    opts: RenderOptions,
    page: tuple[float, float],
    margin: float,
    overlay: Overlay | None = None,
) -> bytes:
    """A one-page PDF of ``page`` size (points), the drawing fitted inside the margins."""
    cairo = _libs()[0]
    box = frame(lay, opts)
    out = io.BytesIO()
    surface = cairo.PDFSurface(out, page[0], page[1])
    ctx = cairo.Context(surface)
    zoom = _fit(ctx, box, page[0], page[1], margin)
    paint(
        ctx, lay, opts, box, zoom * PDF_ZOOM, vector=True
    )  # a PDF gets zoomed in: keep smaller names
    if overlay is not None:
        overlay(ctx)
    surface.finish()
    return out.getvalue()


def _fit(ctx: Any, box: Frame, width: float, height: float, margin: float) -> float:
    """Scale the drawing to fit inside (width, height) less the margin, centred; the scale."""
    scale = min((width - 2 * margin) / box.w, (height - 2 * margin) / box.h)
    ctx.translate((width - box.w * scale) / 2, (height - box.h * scale) / 2)
    ctx.scale(scale, scale)
    ctx.translate(-box.x, -box.y)
    return scale
