"""One entry point: a graph and options in, the bytes of the format asked out."""

from __future__ import annotations

from collections.abc import Callable

from cloudcanvas.diagram.export import (
    overview_pdf,
    overview_png,
    render_json,
    render_mxgraph,
    render_pdf,
    render_png,
)
from cloudcanvas.diagram.layout import Layout, layout
from cloudcanvas.diagram.model import Graph
from cloudcanvas.diagram.options import FORMATS, DiagramOptionsError, RenderOptions
from cloudcanvas.diagram.overview import render_overview_svg
from cloudcanvas.diagram.svg import render_svg

MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "json": "application/json",
    "mxGraph": "application/xml",
}


def _svg(lay: Layout, opts: RenderOptions) -> bytes:
    return render_svg(lay, opts).encode()


_RENDERERS: dict[str, Callable[[Layout, RenderOptions], bytes]] = {
    "svg": _svg,
    "png": render_png,
    "pdf": render_pdf,
    "json": render_json,
    "mxGraph": render_mxgraph,
}


def _overview_svg(lay: Layout, opts: RenderOptions) -> bytes:
    return render_overview_svg(lay, opts).encode()


# level=overview: summary tiles in place of each group's resources (the data formats stay whole)
_OVERVIEW_RENDERERS: dict[
    Callable[[Layout, RenderOptions], bytes], Callable[[Layout, RenderOptions], bytes]
] = {_svg: _overview_svg, render_png: overview_png, render_pdf: overview_pdf}


def render(graph: Graph, fmt: str, opts: RenderOptions | None = None) -> bytes:
    """Draw ``graph`` in ``fmt`` (svg, png, pdf, json, mxGraph), after filter and exclusions."""
    renderer = _RENDERERS.get(fmt) or _RENDERERS.get(fmt.lower() if fmt != "mxgraph" else "mxGraph")
    if renderer is None:
        raise DiagramOptionsError(f"format must be one of {', '.join(FORMATS)}")
    opts = opts or RenderOptions()
    if opts.level == "overview":
        renderer = _OVERVIEW_RENDERERS.get(renderer, renderer)
    return renderer(layout(graph, opts), opts)
