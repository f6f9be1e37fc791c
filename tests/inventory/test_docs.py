"""docs/resource-types.md lists every recognised type and every relation kind."""

from __future__ import annotations

import re
from pathlib import Path

from cloudcanvas.inventory.model import RELATION_KINDS
from cloudcanvas.inventory.types import CATALOGUE, CLOUDCRAFT_COMPONENTS, KIND_COMPONENTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "resource-types.md"


def table_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `microsoft."):
            rows.setdefault(cells[0].strip("`"), []).append(" ".join(cells[1:]))
    return rows


def test_every_catalogue_type_is_documented_with_its_component_and_family() -> None:
    rows = table_rows()
    for arm_type, entry in CATALOGUE.items():
        assert arm_type in rows, arm_type
        assert any(f"`{entry.component}`" in r and entry.family in r for r in rows[arm_type])


def test_documented_types_exist() -> None:
    assert set(table_rows()) <= set(CATALOGUE)


def test_kind_overrides_are_documented() -> None:
    rows = table_rows()
    for arm_type, rules in KIND_COMPONENTS.items():
        for needle, component in rules:
            assert any(f"`{needle}`" in r and f"`{component}`" in r for r in rows[arm_type])


def test_count_and_cloudcraft_ids() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"**{len(CATALOGUE)} ARM types**" in text
    for component in CLOUDCRAFT_COMPONENTS:
        assert f"`{component}`" in text


def test_every_relation_kind_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(RELATION_KINDS)
