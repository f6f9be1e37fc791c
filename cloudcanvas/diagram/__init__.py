"""Diagrams: a ``Graph`` and ``RenderOptions`` in, the bytes of an SVG, PNG, PDF, JSON blueprint
or draw.io file out. Pure: no database, no Azure, no web framework.

    from cloudcanvas.diagram import RenderOptions, render, layout, parse_filter, apply_filter
    data = render(graph, "svg", RenderOptions(projection="2d", theme="dark"))
"""

from cloudcanvas.diagram.filter import FilterError, apply_filter, parse_filter
from cloudcanvas.diagram.layout import Layout, PlacedEdge, PlacedGroup, PlacedNode, layout
from cloudcanvas.diagram.model import Edge, Graph, Node
from cloudcanvas.diagram.options import (
    FORMATS,
    GROUP_LEVELS,
    GROUP_PRESETS,
    PAPER_SIZES,
    DiagramOptionsError,
    RenderOptions,
    group_by_levels,
)
from cloudcanvas.diagram.render import MEDIA_TYPES, render

__all__ = [
    "FORMATS",
    "GROUP_LEVELS",
    "GROUP_PRESETS",
    "MEDIA_TYPES",
    "PAPER_SIZES",
    "DiagramOptionsError",
    "Edge",
    "FilterError",
    "Graph",
    "Layout",
    "Node",
    "PlacedEdge",
    "PlacedGroup",
    "PlacedNode",
    "RenderOptions",
    "apply_filter",
    "group_by_levels",
    "layout",
    "parse_filter",
    "render",
]
