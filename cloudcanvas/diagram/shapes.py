"""One SVG symbol per component, defined once in <defs> and placed with <use>.

Isometric symbols are extruded shapes on a BLOCK x BLOCK footprint whose origin projects to the
<use> position: top, left and right faces shaded from the family colour, the glyph painted on
the top face. 2D symbols are tiles with the glyph in the middle.
"""

from __future__ import annotations

import math

from cloudcanvas.diagram.pathdata import transform_path
from cloudcanvas.diagram.style import GLYPHS, family_of, shade, symbol_of

ISO = 16  # px per grid unit along an isometric axis (x: +16,+8; y: -16,+8)
RISE = 14  # px per grid unit of height
FLAT = 20  # px per grid unit in 2D
FOOT = 2.0  # footprint, grid units

GridPoint = tuple[float, float]


def iso(x: float, y: float, z: float = 0.0) -> tuple[float, float]:
    return (x - y) * ISO, (x + y) * ISO / 2 - z * RISE


def _pts(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _n(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _prism(poly: list[GridPoint], height: float, color: str, base: float = 0.0) -> list[str]:
    """Visible side faces (back to front) and the top of an extruded convex polygon."""
    cx = sum(p[0] for p in poly) / len(poly)
    cy = sum(p[1] for p in poly) / len(poly)
    outline = shade(color, 0.55)
    faces: list[tuple[float, str]] = []
    for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1], strict=True):
        nx, ny = by - ay, ax - bx
        if nx * ((ax + bx) / 2 - cx) + ny * ((ay + by) / 2 - cy) < 0:
            nx, ny = -nx, -ny
        if nx + ny <= 1e-9:
            continue
        tone = 0.62 if nx > ny + 1e-9 else 0.8 if ny > nx + 1e-9 else 0.7
        quad = [iso(ax, ay, base), iso(bx, by, base), iso(bx, by, base + height)]
        quad.append(iso(ax, ay, base + height))
        polygon = f'<polygon points="{_pts(quad)}" fill="{shade(color, tone)}"/>'
        faces.append(((ax + bx) / 2 + (ay + by) / 2, polygon))
    faces.sort(key=lambda face: face[0])
    top = [iso(x, y, base + height) for x, y in poly]
    parts = [polygon for _, polygon in faces]
    parts.append(f'<polygon points="{_pts(top)}" fill="{shade(color, 1.12)}"/>')
    return [f'<g stroke="{outline}" stroke-width="0.6" stroke-linejoin="round">', *parts, "</g>"]


def _square(x0: float, y0: float, size: float) -> list[GridPoint]:
    return [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]


def _octagon() -> list[GridPoint]:
    c = 0.55
    return [(c, 0), (2 - c, 0), (2, c), (2, 2 - c), (2 - c, 2), (c, 2), (0, 2 - c), (0, c)]


def _hexagon() -> list[GridPoint]:
    return [(1 + math.cos(a * math.pi / 3), 1 + math.sin(a * math.pi / 3)) for a in range(6)]


def _cylinder(height: float, color: str, rings: bool) -> list[str]:
    r = 0.95
    rx, ry = r * ISO * math.sqrt(2), r * ISO * math.sqrt(2) / 2
    cx, cy_bottom = iso(1, 1)
    cy_top = cy_bottom - height * RISE
    outline = shade(color, 0.55)
    left, right = cx - rx, cx + rx
    body = (
        f"M{_n(left)} {_n(cy_top)}V{_n(cy_bottom)}"
        f"A{_n(rx)} {_n(ry)} 0 0 0 {_n(right)} {_n(cy_bottom)}V{_n(cy_top)}Z"
    )
    half = (
        f"M{_n(cx)} {_n(cy_top + ry)}V{_n(cy_bottom + ry)}"
        f"A{_n(rx)} {_n(ry)} 0 0 0 {_n(right)} {_n(cy_bottom)}V{_n(cy_top)}"
        f"A{_n(rx)} {_n(ry)} 0 0 1 {_n(cx)} {_n(cy_top + ry)}Z"
    )
    parts = [
        f'<g stroke="{outline}" stroke-width="0.6">',
        f'<path d="{body}" fill="{shade(color, 0.8)}"/>',
        f'<path d="{half}" fill="{shade(color, 0.64)}" stroke="none"/>',
    ]
    if rings:
        for level in (0.33, 0.66):
            y = cy_bottom - height * RISE * level
            parts.append(
                f'<path d="M{_n(left)} {_n(y)}A{_n(rx)} {_n(ry)} 0 0 0 {_n(right)} {_n(y)}" '
                f'fill="none" stroke="{shade(color, 1.35)}" stroke-width="1"/>'
            )
    parts.append(
        f'<ellipse cx="{_n(cx)}" cy="{_n(cy_top)}" rx="{_n(rx)}" ry="{_n(ry)}" '
        f'fill="{shade(color, 1.12)}"/>'
    )
    parts.append("</g>")
    return parts


def _iso_glyph(glyph: str, height: float, inset: float) -> str:
    """The glyph painted on the top face: a 24-unit box mapped onto the footprint's plane (the map
    baked into the path: no transform, so a placed symbol stays one paint chunk in a browser)."""
    size = FOOT - 2 * inset
    k = size / 24
    ex, ey = iso(inset, inset, height)
    a, b = k * ISO, k * ISO / 2
    d = transform_path(glyph, (a, b, -a, b, ex, ey))
    width = _n(2.2 * math.sqrt(2 * a * b))  # the map's mean scale
    return (
        f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="{width}" '
        'stroke-linecap="round" stroke-linejoin="round" stroke-opacity="0.95"/>'
    )


def iso_symbol(symbol_id: str, component: str, family: str, color: str = "") -> str:
    fam = family_of(family)
    symbol = symbol_of(component, fam)
    color = color or symbol.color
    kind, height, glyph = symbol.shape, symbol.height, GLYPHS[symbol.glyph]
    if kind == "cylinder":
        parts = _cylinder(height, color, rings=fam == "database")
        inset = 0.45
    elif kind == "cluster":
        parts = []
        for x0, y0 in ((0.05, 0.05), (1.05, 0.05), (0.05, 1.05), (1.05, 1.05)):
            parts += _prism(_square(x0, y0, 0.9), height, color)
        inset = 0.3
    else:
        poly = {"octagon": _octagon, "hexagon": _hexagon}.get(kind, lambda: _square(0, 0, FOOT))()
        parts = _prism(poly, height, color)
        inset = 0.4 if kind == "box" else 0.5
    parts.append(_iso_glyph(glyph, height, inset))
    return f'<g id="{symbol_id}">{"".join(parts)}</g>'


def _flat_outline(kind: str, side: float, radius: float, dx: float, dy: float) -> str:
    """The 2D footprint of a symbol's shape (the same shape as its isometric prism)."""
    if kind in ("octagon", "hexagon"):
        poly = _octagon() if kind == "octagon" else _hexagon()
        k = side / FOOT
        return f'<polygon points="{_pts([(x * k + dx, y * k + dy) for x, y in poly])}"'
    if kind == "cylinder":
        radius = side / 2
    return (
        f'<rect x="{_n(dx)}" y="{_n(dy)}" width="{_n(side)}" height="{_n(side)}" rx="{_n(radius)}"'
    )


def flat_symbol(symbol_id: str, component: str, family: str, color: str = "") -> str:
    fam = family_of(family)
    symbol = symbol_of(component, fam)
    color = color or symbol.color
    side = FOOT * FLAT
    radius = {"database": side / 2, "storage": 12, "network": 3}.get(fam, 7)
    glyph = GLYPHS[symbol.glyph]
    inset = (side - 24) / 2
    return (
        f'<g id="{symbol_id}">{_flat_outline(symbol.shape, side, radius, 1, 2)} '
        'fill="#000000" opacity="0.12"/>'
        f'{_flat_outline(symbol.shape, side, radius, 0, 0)} fill="{color}" '
        f'stroke="{shade(color, 0.6)}" stroke-width="1"/>'
        f'<path d="{transform_path(glyph, (1, 0, 0, 1, inset, inset))}" fill="none" '
        'stroke="#ffffff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></g>'
    )
