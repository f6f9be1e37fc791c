"""Reading a draw.io (mxGraph) export as draw.io does: a cell is an ``<mxCell>``, or the
``<mxCell>`` inside an ``<object>`` that holds the cell's id, label and data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    id: str
    label: str
    data: dict[str, str]  # the <object>'s other attributes (empty for a bare mxCell)
    cell: ET.Element  # the <mxCell>: style, parent, vertex/edge, source/target

    def get(self, name: str) -> str | None:
        return self.cell.get(name)


def cells(document: bytes) -> dict[str, Cell]:
    model = ET.fromstring(document)
    assert model.tag == "mxfile"
    root = model.find("diagram/mxGraphModel/root")
    assert root is not None
    found: dict[str, Cell] = {}
    for child in root:
        if child.tag == "object":
            inner = child.find("mxCell")
            assert inner is not None and inner.get("id") is None and inner.get("value") is None
            data = {k: v for k, v in child.attrib.items() if k not in ("id", "label")}
            found[child.attrib["id"]] = Cell(
                child.attrib["id"], child.get("label", ""), data, inner
            )
        else:
            assert child.tag == "mxCell", child.tag
            found[child.attrib["id"]] = Cell(child.attrib["id"], child.get("value", ""), {}, child)
    return found
