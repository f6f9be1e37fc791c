"""Golden diagrams, compared by structure: what is drawn, where, and how big.

The PNGs in docs/images/ were checked by eye; these summaries pin them. After an intended change,
regenerate with ``CLOUDCANVAS_UPDATE_GOLDEN=1 pytest tests/diagram/test_golden.py`` and look again.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cloudcanvas.diagram import RenderOptions, render
from tests.diagram.synthetic import build_graph

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "infrastructure-isometric-light": RenderOptions(),
    "network-2d-dark": RenderOptions(
        projection="2d", theme="dark", group_by=("region", "vnet", "subnet")
    ),
    "resourcegroup-isometric-nolabels": RenderOptions(group_by=("resourcegroup",), label=False),
}


def _summary(svg: bytes) -> dict[str, Any]:
    root = ET.fromstring(svg)
    tags = Counter(el.tag.split("}")[1] for el in root.iter())
    classes = Counter(el.get("class") for el in root.iter() if el.get("class"))
    groups = sorted(
        (g.get("data-kind"), g.findtext("{http://www.w3.org/2000/svg}title"))
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "group"
    )
    uses = [
        (u.get("href"), u.get("x"), u.get("y"))
        for u in root.iter("{http://www.w3.org/2000/svg}use")
    ]
    return {
        "viewBox": root.get("viewBox"),
        "size": [root.get("width"), root.get("height")],
        "tags": dict(sorted(tags.items())),
        "classes": dict(sorted(classes.items())),
        "groups": [list(g) for g in groups],
        "first_uses": [list(u) for u in uses[:12]],
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_structure(name: str) -> None:
    summary = _summary(render(build_graph(150), "svg", CASES[name]))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("CLOUDCANVAS_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(summary, indent=1) + "\n")
    assert summary == json.loads(path.read_text())
