"""Draw a blueprint document as it is: its nodes where ``mapPos`` puts them, its groups, edges,
texts and colours, through the same renderers as a snapshot (no auto-layout).

The document was checked by the blueprint package; anything we cannot draw (an edge to a missing
node, an element without ``mapPos``) is skipped, never an error: a user's drawing always exports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from cloudcanvas.diagram import costlayer
from cloudcanvas.diagram.export import render_mxgraph, render_pdf, render_png
from cloudcanvas.diagram.layout import BLOCK, Layout, PlacedEdge, PlacedGroup, PlacedNode
from cloudcanvas.diagram.model import Node
from cloudcanvas.diagram.options import FORMATS, DiagramOptionsError, RenderOptions
from cloudcanvas.diagram.style import THEMES
from cloudcanvas.diagram.svg import project_for, render_svg

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
GROUP_KINDS = ("region", "vnet", "subnet", "resourcegroup", "services")


def _pos(item: Mapping[str, Any], key: str = "mapPos") -> tuple[int, int] | None:
    value = item.get(key)
    if isinstance(value, list) and len(value) >= 2:
        return round(float(value[0])), round(float(value[1]))
    return None


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def node_color(item: Mapping[str, Any]) -> str | None:
    """The block's own colour: ``color.isometric`` (or ``color.2d``, or a plain string)."""
    color = item.get("color")
    if isinstance(color, dict):
        color = color.get("isometric") or color.get("2d")
    return color if isinstance(color, str) and HEX.match(color) else None


def _node(item: Mapping[str, Any], index: int) -> PlacedNode | None:
    pos = _pos(item)
    if pos is None:
        return None
    element = _text(item, "id") or f"node-{index}"
    resource_id = _text(item, "resourceId")
    node = Node(
        key=resource_id.lower() or element,
        resource_id=resource_id,
        name=_text(item, "label") if "label" in item else _text(item, "name"),
        component=_text(item, "type") or "block",
        family=_text(item, "family") or "other",
        arm_type=_text(item, "armType"),
        location=_text(item, "region"),
        subscription_id=_text(item, "subscriptionId"),
        resource_group=_text(item, "resourceGroup"),
        color=node_color(item) or "",
    )
    return PlacedNode(node=node, id=f"n{index}", x=pos[0], y=pos[1], group=None)


def _group(item: Mapping[str, Any], index: int, members: dict[str, str]) -> PlacedGroup | None:
    pos, size = _pos(item), _pos(item, "mapSize")
    if pos is None or size is None:
        return None
    kind = _text(item, "kind") or _text(item, "type")
    nodes = item.get("nodes")
    return PlacedGroup(
        id=f"g{index}",
        kind=kind if kind in GROUP_KINDS else "services",
        key=_text(item, "key") or _text(item, "id"),
        label=_text(item, "name"),
        x=pos[0],
        y=pos[1],
        w=max(1, size[0]),
        h=max(1, size[1]),
        depth=1,
        parent=None,
        node=None,
        node_ids=tuple(members[n] for n in nodes if n in members)
        if isinstance(nodes, list)
        else (),
    )


def _edge(item: Mapping[str, Any], index: int, placed: dict[str, PlacedNode]) -> PlacedEdge | None:
    source, target = placed.get(_text(item, "from")), placed.get(_text(item, "to"))
    if source is None or target is None:
        return None
    half = BLOCK / 2
    points = (
        (source.x + half, source.y + half),
        (target.x + half, target.y + half),
    )
    return PlacedEdge(f"e{index}", source.id, target.id, _text(item, "kind") or "link", points)


def document_layout(data: Mapping[str, Any]) -> Layout:
    """The document's own placement as a ``Layout`` (what every renderer draws)."""
    by_id: dict[str, PlacedNode] = {}
    nodes = []
    for index, item in enumerate(data.get("nodes") or []):
        placed = _node(item, index) if isinstance(item, dict) else None
        if placed is not None:
            nodes.append(placed)
            by_id[_text(item, "id")] = placed
    members = {key: p.id for key, p in by_id.items()}
    groups = [_group(g, i, members) for i, g in enumerate(data.get("groups") or [])]
    edges = [_edge(e, i, by_id) for i, e in enumerate(data.get("edges") or [])]
    kept_groups = tuple(g for g in groups if g is not None)
    extents = [(p.x + BLOCK, p.y + BLOCK) for p in nodes] + [
        (g.x + g.w, g.y + g.h) for g in kept_groups
    ]
    return Layout(
        nodes=tuple(nodes),
        groups=kept_groups,
        edges=tuple(e for e in edges if e is not None),
        width=max((x for x, _ in extents), default=0),
        height=max((y for _, y in extents), default=0),
    )


def document_texts(data: Mapping[str, Any]) -> list[tuple[str, float, float, str | None, float]]:
    """The free text labels: (text, x, y, colour, size).

    A snapshot exported as JSON carries each group's name twice: as the group's ``name`` and as a
    text bound to it (``"group": <id>``, for Cloudcraft, which draws no group names). Drawn from
    the group already, such a text is left out while it still says the group's name."""
    names = {
        _text(g, "id"): _text(g, "name") for g in data.get("groups") or [] if isinstance(g, dict)
    }
    texts = []
    for item in data.get("text") or []:
        pos = _pos(item) if isinstance(item, dict) else None
        if pos is None or not _text(item, "text"):
            continue
        bound = _text(item, "group")
        if bound and bound in names and names[bound] == _text(item, "text"):
            continue
        color = item.get("color")
        size = item.get("textSize")
        texts.append(
            (
                _text(item, "text"),
                float(pos[0]),
                float(pos[1]),
                color if isinstance(color, str) and HEX.match(color) else None,
                float(size) if isinstance(size, int | float) and 4 <= size <= 200 else 14.0,
            )
        )
    return texts


def options_for(data: Mapping[str, Any], opts: RenderOptions, name: str) -> RenderOptions:
    """The document's projection and theme unless the query asked otherwise."""
    projection = data.get("projection") if data.get("projection") in ("isometric", "2d") else None
    theme = data.get("theme")
    base = theme.get("base") if isinstance(theme, dict) else theme
    try:
        return RenderOptions(
            projection=projection or opts.projection,
            theme=base if base in ("light", "dark") else opts.theme,
            label=opts.label,
            autoconnect=opts.autoconnect,
            grid=opts.grid,
            transparent=opts.transparent,
            scale=opts.scale,
            width=opts.width,
            height=opts.height,
            landscape=opts.landscape,
            paper_size=opts.paper_size,
            title=name or None,
            cost=opts.cost,
        )
    except DiagramOptionsError:  # pragma: no cover - values checked above
        return opts


def _svg_texts(data: Mapping[str, Any], opts: RenderOptions, ink: str) -> str:
    project = project_for(opts)
    out = ['<g class="texts">']
    for text, x, y, color, size in document_texts(data):
        px, py = project(x, y)
        out.append(
            f'<text x="{px:.0f}" y="{py:.0f}" font-size="{size:.0f}" '
            f'fill="{color or ink}">{escape(text)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _paint_texts(data: Mapping[str, Any], opts: RenderOptions, ink: str) -> Callable[[Any], None]:
    """The free texts for PNG and PDF, drawn as the SVG draws them (a PDF keeps them as text)."""
    project = project_for(opts)
    texts = document_texts(data)

    def overlay(ctx: Any) -> None:
        ctx.select_font_face("sans-serif")
        for text, x, y, color, size in texts:
            hex_color = color or ink
            ctx.set_source_rgb(*(int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)))
            ctx.set_font_size(size)
            ctx.move_to(*project(x, y))
            ctx.show_text(text)

    return overlay


def render_document(
    data: Mapping[str, Any], fmt: str, opts: RenderOptions | None = None, *, name: str = ""
) -> bytes:
    """The blueprint document drawn in ``fmt``; ``json`` is the document itself."""
    opts = options_for(data, opts or RenderOptions(), name)
    if fmt == "json":
        if opts.cost is not None:  # cost per node and a summary beside the document's own fields
            data = costlayer.document_layer(data, document_layout(data), opts.cost)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    lay = document_layout(data)
    if fmt == "svg":
        svg = render_svg(lay, opts)
        texts = _svg_texts(data, opts, THEMES[opts.theme].text)
        return (svg[: -len("</svg>")] + texts + "</svg>").encode()
    if fmt in ("png", "pdf"):
        overlay = _paint_texts(data, opts, THEMES[opts.theme].text)
        return (render_png if fmt == "png" else render_pdf)(lay, opts, overlay)
    if fmt != "mxGraph":
        raise DiagramOptionsError(f"format must be one of {', '.join(FORMATS)}")
    return render_mxgraph(lay, opts)
