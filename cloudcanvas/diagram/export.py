"""Exports beside SVG: PNG and PDF through cairosvg, a Cloudcraft-style blueprint JSON, and
draw.io (mxGraph) XML. None of them holds a hyperlink or an external reference."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram import costlayer, overview, raster
from cloudcanvas.diagram.layout import BLOCK, Layout, PlacedEdge, PlacedGroup, PlacedNode
from cloudcanvas.diagram.model import Node
from cloudcanvas.diagram.options import PAPER_SIZES, RenderOptions
from cloudcanvas.diagram.style import THEMES, symbol_of
from cloudcanvas.diagram.svg import frame

MAX_RASTER_PIXELS = 16_000_000  # a cap on PNG area so that a huge estate cannot exhaust memory
PDF_MARGIN = 24.0  # points
BLUEPRINT_NAMESPACE = uuid.UUID("6c1f7a52-2d0e-4c55-9a3e-1b7f0f4c2a10")
MX_UNIT = 20  # px per grid unit in draw.io


def render_png(lay: Layout, opts: RenderOptions, overlay: raster.Overlay | None = None) -> bytes:
    """A PNG at the size asked (width/height/scale), its area capped at MAX_RASTER_PIXELS."""
    return raster.render_png(lay, opts, MAX_RASTER_PIXELS, overlay)


def render_pdf(lay: Layout, opts: RenderOptions, overlay: raster.Overlay | None = None) -> bytes:
    """A one-page PDF of the paper size asked, the drawing fitted inside; landscape as asked,
    or, when not asked, whenever the drawing is wider than tall (it then fills more of the page)."""
    return raster.render_pdf(lay, opts, _page(lay, opts), PDF_MARGIN, overlay)


def overview_png(lay: Layout, opts: RenderOptions) -> bytes:
    """The overview level (summary tiles) as a PNG, capped like ``render_png``."""
    return overview.render_overview_png(lay, opts, MAX_RASTER_PIXELS)


def overview_pdf(lay: Layout, opts: RenderOptions) -> bytes:
    """The overview level on a PDF page, its orientation chosen as ``render_pdf`` does."""
    return overview.render_overview_pdf(lay, opts, _page(lay, opts), PDF_MARGIN)


def _page(lay: Layout, opts: RenderOptions) -> tuple[float, float]:
    page_w, page_h = PAPER_SIZES[opts.paper_size]
    box = frame(lay, opts)
    landscape = box.w > box.h if opts.landscape is None else opts.landscape
    return (page_h, page_w) if landscape else (page_w, page_h)


def _node_uuid(key: str) -> str:
    return str(uuid.uuid5(BLUEPRINT_NAMESPACE, key))


def render_json(lay: Layout, opts: RenderOptions) -> bytes:
    """A Cloudcraft-style blueprint document; every node keeps its ARM id as ``resourceId``."""
    uuids = {placed.id: _node_uuid(placed.node.key) for placed in lay.nodes}
    uuids.update({group.id: _node_uuid("group:" + group.id) for group in lay.groups})
    name = opts.title or "Azure diagram"
    data = {
        "grid": "standard",
        "name": name,
        "version": 1,
        "projection": opts.projection,
        "theme": {"base": opts.theme},
        "groupBy": list(opts.group_by),
        "nodes": [_node_json(placed, uuids) for placed in lay.nodes],
        "groups": [_group_json(group, uuids) for group in lay.groups],
        "edges": [_edge_json(edge, uuids) for edge in lay.edges],
        "text": [_label_json(group, uuids, opts) for group in lay.groups],
        "icons": [],
        "images": [],
        "surfaces": [],
        "connectors": [],
        "disabledLayers": [],
    }
    if opts.cost is not None:
        costlayer.json_layer(data, lay, opts)
    document = {"grid": "standard", "name": name, "data": data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _node_json(placed: PlacedNode, uuids: dict[str, str]) -> dict[str, Any]:
    node = placed.node
    return {
        "id": uuids[placed.id],
        "type": node.component,
        "mapPos": [placed.x, placed.y],
        "region": node.location,
        "resourceId": node.resource_id,
        "name": node.name,
        "family": node.family,
        "armType": node.arm_type,
        "subscriptionId": node.subscription_id,
        "resourceGroup": node.resource_group,
        "tags": dict(sorted(node.tags.items())),
        "properties": dict(sorted(node.properties.items())),
        "ipAddresses": list(node.ip_addresses),
        "color": {"isometric": symbol_of(node.component, node.family).color},
    }


def _group_json(group: PlacedGroup, uuids: dict[str, str]) -> dict[str, Any]:
    kind = group.kind
    body: dict[str, Any] = {
        "id": uuids[group.id],
        "type": kind if kind in ("vnet", "subnet") else "zone",
        "kind": kind,
        "name": group.label,
        "key": group.key,
        "mapPos": [group.x, group.y],
        "mapSize": [group.w, group.h],
        "nodes": [uuids[node_id] for node_id in group.node_ids],
        "parent": uuids[group.parent] if group.parent else None,
    }
    if group.node is not None:
        body["resourceId"] = group.node.resource_id
        body["region"] = group.node.location
    return body


def _edge_json(edge: PlacedEdge, uuids: dict[str, str]) -> dict[str, Any]:
    return {
        "id": _node_uuid("edge:" + edge.id),
        "from": uuids[edge.source],
        "to": uuids[edge.target],
        "kind": edge.kind,
        "points": [list(point) for point in edge.points],
    }


def _label_json(group: PlacedGroup, uuids: dict[str, str], opts: RenderOptions) -> dict[str, Any]:
    """A group's name as a blueprint text element, just inside its top-left corner."""
    return {
        "id": _node_uuid("text:" + group.id),
        "text": group.label,
        "mapPos": [group.x + 2, group.y + 1],
        "isometric": opts.projection == "isometric",
        "group": uuids[group.id],
    }


def render_mxgraph(lay: Layout, opts: RenderOptions) -> bytes:
    """draw.io XML: groups are container cells, nodes their children, edges attached to nodes.

    A cell drawn for an Azure resource is wrapped in draw.io's ``<object>``, whose attributes are
    the shape's data (Edit Data in draw.io): ``resourceId``, ``type`` and ``region``."""
    # draw.io places a child relative to its container: the origin of each group drawn so far.
    origin: dict[str, tuple[int, int]] = {}
    cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    cost = (opts.cost, costlayer.summarize(lay, opts.cost)) if opts.cost is not None else None
    for group in sorted(lay.groups, key=lambda g: (g.depth, g.id)):
        cells.append(_mx_group(group, origin, THEMES[opts.theme].plates, cost))
        origin[group.id] = (group.x, group.y)
    cells.extend(_mx_node(placed, origin, cost) for placed in lay.nodes)
    boxes = {group.id: (group.x, group.y, group.w, group.h) for group in lay.groups}
    cells.extend(_mx_edge(edge, boxes) for edge in lay.edges)
    if cost is not None:
        cells.append(costlayer.mx_panel(lay, cost[0], cost[1], MX_UNIT))
    name = quoteattr(opts.title or "Azure diagram")
    body = "".join(cells)
    xml = (
        f'<mxfile host="cloudcanvas" type="device"><diagram id="cloudcanvas" name={name}>'
        '<mxGraphModel dx="0" dy="0" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" '
        'arrows="1" fold="1" page="0" pageScale="1" math="0" shadow="0">'
        f"<root>{body}</root></mxGraphModel></diagram></mxfile>"
    )
    return xml.encode()


def _mx_group(
    group: PlacedGroup,
    origin: dict[str, tuple[int, int]],
    plates: Mapping[str, tuple[str, str, str]],
    cost: tuple[costlayer.CostData, costlayer.Summary] | None = None,
) -> str:
    parent = group.parent or "1"
    px, py = origin.get(parent, (0, 0))
    fill, stroke, ink = plates.get(group.kind, plates["region"])
    style = (
        f"rounded=0;whiteSpace=wrap;html=0;container=1;collapsible=0;fillColor={fill};"
        f"strokeColor={stroke};fontColor={ink};verticalAlign=top;align=left;spacingLeft=8;"
    )
    geometry = (group.x - px, group.y - py, group.w, group.h)
    data = _mx_data(group.node) if group.node is not None else None
    label = group.label + (costlayer.mx_group(group.id, cost[1], cost[0]) if cost else "")
    return _mx_vertex(group.id, label, style, parent, geometry, data)


def _mx_node(
    placed: PlacedNode,
    origin: dict[str, tuple[int, int]],
    cost: tuple[costlayer.CostData, costlayer.Summary] | None = None,
) -> str:
    parent = placed.group or "1"
    px, py = origin.get(parent, (0, 0))
    color = symbol_of(placed.node.component, placed.node.family).color
    style = (
        f"rounded=1;whiteSpace=wrap;html=0;fillColor={color};strokeColor=none;"
        "fontColor=#ffffff;fontSize=9;"
    )
    geometry = (placed.x - px, placed.y - py, BLOCK, BLOCK)
    label, data = placed.node.name, _mx_data(placed.node)
    if cost is not None:
        more, more_style, more_data = costlayer.mx_node(placed.id, cost[1], cost[0])
        label, style, data = label + more, style + more_style, data | more_data
    return _mx_vertex(placed.id, label, style, parent, geometry, data)


def _mx_edge(edge: PlacedEdge, boxes: Mapping[str, tuple[int, int, int, int]]) -> str:
    """The routed path as draw.io waypoints, drawn straight between them (no edge style of
    draw.io's own, which would route again and lose the bundles and the ways round containers).
    A resource's end leaves its shape where the first run meets the outline; an end on a
    VNet or subnet is pinned to the point in its header the layout starts it from."""
    style = (
        "edgeStyle=none;rounded=0;endArrow=none;"
        + _mx_pin("exit", edge.points[0], boxes.get(edge.source))
        + _mx_pin("entry", edge.points[-1], boxes.get(edge.target))
    )
    waypoints = "".join(
        f'<mxPoint x="{x * MX_UNIT:g}" y="{y * MX_UNIT:g}"/>' for x, y in edge.points[1:-1]
    )
    array = f'<Array as="points">{waypoints}</Array>' if waypoints else ""
    return (
        f'<mxCell id="{edge.id}" edge="1" parent="1" source="{edge.source}" '
        f'target="{edge.target}" value={quoteattr(edge.kind)} style="{style}">'
        f'<mxGeometry relative="1" as="geometry">{array}</mxGeometry></mxCell>'
    )


def _mx_pin(end: str, point: tuple[float, float], box: tuple[int, int, int, int] | None) -> str:
    if box is None:
        return ""
    x, y, w, h = box
    return f"{end}X={(point[0] - x) / w:.4g};{end}Y={(point[1] - y) / h:.4g};{end}Perimeter=0;"


def _mx_data(node: Node) -> dict[str, str]:
    return {"resourceId": node.resource_id, "type": node.component, "region": node.location}


def _mx_vertex(
    cell_id: str,
    label: str,
    style: str,
    parent: str,
    geometry: tuple[int, int, int, int],
    data: dict[str, str] | None = None,
) -> str:
    x, y, w, h = (value * MX_UNIT for value in geometry)
    shape = (
        f'style="{escape(style)}" vertex="1" parent="{parent}"><mxGeometry x="{x}" y="{y}" '
        f'width="{w}" height="{h}" as="geometry"/></mxCell>'
    )
    if data is None:
        return f'<mxCell id="{cell_id}" value={quoteattr(label)} {shape}'
    # With data the id and label belong to the <object>, never to its cell.
    attrs = "".join(f" {name}={quoteattr(value)}" for name, value in data.items())
    return f'<object id="{cell_id}" label={quoteattr(label)}{attrs}><mxCell {shape}</object>'
