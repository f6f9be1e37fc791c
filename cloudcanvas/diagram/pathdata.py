"""SVG path data under an affine transform, baked into the coordinates.

The icon glyphs are drawn in a 24-unit box and mapped onto a block's top face. Baking that map
into the path (instead of a ``transform`` attribute) keeps each placed symbol a single paint
layer in browsers: a 10,000-resource diagram then has half the paint chunks to composite.
Arcs become cubic Béziers, since an arc under a skew is no longer an axis-aligned arc.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

Matrix = tuple[float, float, float, float, float, float]  # SVG's matrix(a b c d e f)
Point = tuple[float, float]

_TOKEN = re.compile(r"[MmLlHhVvCcAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "A": 7, "Z": 0}


def _commands(d: str) -> Iterator[tuple[str, list[float]]]:
    tokens = _TOKEN.findall(d)
    i, command = 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                yield command, []
                continue
        n = _ARITY[command.upper()] if command else len(tokens)
        if not command or i + n > len(tokens):
            raise ValueError(f"malformed path data: {d!r}")
        yield command, [float(t) for t in tokens[i : i + n]]
        i += n
        if command == "M":
            command = "L"  # implicit lineto after a moveto
        elif command == "m":
            command = "l"


def _arc(p0: Point, args: list[float]) -> list[tuple[Point, Point, Point]]:
    """An elliptical arc (SVG's endpoint form) as cubic Bézier segments of at most 90 degrees."""
    rx, ry, angle, large, sweep, x2, y2 = args
    x1, y1 = p0
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0 or (x1, y1) == (x2, y2):
        return [((x1, y1), (x2, y2), (x2, y2))]
    phi = math.radians(angle)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    xp, yp = cos * dx + sin * dy, -sin * dx + cos * dy
    scale = xp * xp / (rx * rx) + yp * yp / (ry * ry)
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp
    den = rx * rx * yp * yp + ry * ry * xp * xp
    coef = math.sqrt(max(0.0, num / den)) * (-1 if large == sweep else 1)
    cxp, cyp = coef * rx * yp / ry, -coef * ry * xp / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2
    start = math.atan2((yp - cyp) / ry, (xp - cxp) / rx)
    delta = math.atan2((-yp - cyp) / ry, (-xp - cxp) / rx) - start
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    count = max(1, math.ceil(abs(delta) / (math.pi / 2) - 1e-9))
    step = delta / count
    k = 4 / 3 * math.tan(step / 4)

    def at(ux: float, uy: float) -> Point:
        return cx + rx * cos * ux - ry * sin * uy, cy + rx * sin * ux + ry * cos * uy

    out = []
    for i in range(count):
        a, b = start + i * step, start + (i + 1) * step
        c1 = at(math.cos(a) - k * math.sin(a), math.sin(a) + k * math.cos(a))
        c2 = at(math.cos(b) + k * math.sin(b), math.sin(b) - k * math.cos(b))
        out.append((c1, c2, at(math.cos(b), math.sin(b))))
    out[-1] = (out[-1][0], out[-1][1], (x2, y2))
    return out


def _absolute(d: str) -> Iterator[tuple[str, list[Point]]]:
    """The path as absolute M, L, C and Z segments."""
    x = y = sx = sy = 0.0
    for command, args in _commands(d):
        upper, rel = command.upper(), command.islower()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if upper == "Z":
            x, y = sx, sy
            yield "Z", []
            continue
        if upper == "H":
            points = [(args[0] + ox, y)]
        elif upper == "V":
            points = [(x, args[0] + oy)]
        elif upper == "A":
            for c1, c2, end in _arc((x, y), [*args[:5], args[5] + ox, args[6] + oy]):
                yield "C", [c1, c2, end]
            x, y = args[5] + ox, args[6] + oy
            continue
        else:
            points = [(args[i] + ox, args[i + 1] + oy) for i in range(0, len(args), 2)]
        x, y = points[-1]
        if upper == "M":
            sx, sy = x, y
        yield ("L" if upper in "HV" else upper), points


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def transform_path(d: str, matrix: Matrix) -> str:
    """``d`` with ``matrix`` applied to every point (absolute commands, arcs as Béziers)."""
    a, b, c, dd, e, f = matrix
    out = []
    for command, points in _absolute(d):
        mapped = [(a * px + c * py + e, b * px + dd * py + f) for px, py in points]
        out.append(command + " ".join(f"{_n(px)} {_n(py)}" for px, py in mapped))
    return "".join(out)
