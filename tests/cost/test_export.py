"""Budget files carry names chosen by whoever can write to a subscription: they stay text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from cloudcanvas.cost.export import budget_csv, budget_xlsx
from cloudcanvas.cost.pricing import price_resources
from cloudcanvas.cost.service import Budget
from tests.cost.test_pricing import res, table

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def test_a_name_that_looks_like_a_formula_stays_text_in_csv_and_xlsx() -> None:
    vm = res("microsoft.compute/virtualmachines", HOSTILE, sku="Standard_D2s_v5")
    budget = Budget(
        lines=price_resources([vm], table()), currency="USD", period="m", rate="effective",
        prices_as_of=None, stale_reason=None,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(budget_csv(budget).decode())))
    assert rows and all(row["instance"] == "'" + HOSTILE for row in rows)
    sheet = load_workbook(io.BytesIO(budget_xlsx(budget))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + HOSTILE in values
    assert not any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values)
