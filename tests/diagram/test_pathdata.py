"""Icon glyphs baked onto a block's face: path data under an affine map."""

import math
import re

import pytest

from cloudcanvas.diagram.pathdata import transform_path

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", d)]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("M1 2L3 4Z", "M1 2L3 4Z"),
        ("m1 2l3 4h2v-1z", "M1 2L4 6L6 6L6 5Z"),  # relative, H and V become absolute L
        ("M0 0C1 1 2 2 3 3", "M0 0C1 1 2 2 3 3"),
    ],
)
def test_the_identity_keeps_the_shape_in_absolute_commands(path, expected):
    assert transform_path(path, IDENTITY) == expected


def test_an_affine_map_moves_every_point():
    skew = (2.0, 1.0, -1.0, 0.5, 10.0, 20.0)  # x' = 2x - y + 10, y' = x + 0.5y + 20
    assert transform_path("M1 2L3 4", skew) == "M10 22L12 25"


def test_arcs_become_beziers_that_stay_on_the_circle():
    d = transform_path("M0 0A5 5 0 0 1 10 0", IDENTITY)
    assert "A" not in d and "C" in d
    values = numbers(d)
    assert values[-2:] == pytest.approx([10, 0], abs=0.01)
    start, curves = (values[0], values[1]), values[2:]
    for i in range(0, len(curves), 6):
        p1, p2, p3 = curves[i : i + 2], curves[i + 2 : i + 4], curves[i + 4 : i + 6]
        for t in (0.25, 0.5, 0.75):
            point = [
                (1 - t) ** 3 * start[k]
                + 3 * (1 - t) ** 2 * t * p1[k]
                + 3 * (1 - t) * t**2 * p2[k]
                + t**3 * p3[k]
                for k in (0, 1)
            ]
            assert math.hypot(point[0] - 5, point[1]) == pytest.approx(5, abs=0.05)
        start = (p3[0], p3[1])


def test_a_rotation_keeps_lengths():
    angle = math.radians(30)
    rotate = (math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), 0.0, 0.0)
    x0, y0, x1, y1 = numbers(transform_path("M0 0L10 0", rotate))
    assert math.hypot(x1 - x0, y1 - y0) == pytest.approx(10, abs=0.02)
