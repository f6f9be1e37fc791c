"""Budget files: Cloudcraft's CSV (its header, then columns of our own) and an XLSX workbook with
per-group subtotals and a total (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from cloudcanvas.cost.pricing import CostLine
from cloudcanvas.cost.service import Budget

# Cloudcraft's budget export header, exactly.
CLOUDCRAFT_COLUMNS = [
    "category",
    "type",
    "region",
    "count",
    "unitPrice",
    "cost",
    "instanceType",
    "instanceSize",
    "platform",
    "role",
    "engine",
    "storage",
    "dataGb",
    "snapshots",
    "volume",
    "iops",
    "memory",
    "mRequests",
    "computeDuration",
    "readUnits",
    "writeUnits",
    "readConsistency",
    "shards",
    "putUnits",
    "extendedRetention",
    "emailsOut",
    "requests",
    "notifications",
    "notificationType",
    "cache",
    "apiCalls",
    "tier",
    "instance",
]
OUR_COLUMNS = [
    "resourceId",
    "resourceName",
    "resourceGroup",
    "subscriptionId",
    "meter",
    "unit",
    "priceDate",
    "status",
    "reason",
    "currency",
    "period",
]
HEADER = [*CLOUDCRAFT_COLUMNS, *OUR_COLUMNS]

GROUPS: dict[str, Callable[[CostLine], str]] = {
    "region": lambda line: line.resource.location,
    "resourceGroup": lambda line: line.resource.resource_group,
    "subscription": lambda line: line.resource.subscription_id,
    "vnet": lambda line: (line.resource.vnet or "").rsplit("/", 1)[-1] or "(no network)",
    "type": lambda line: line.resource.component,
}


def _row(line: CostLine, budget: Budget) -> dict[str, object]:
    res = line.resource
    row: dict[str, object] = dict.fromkeys(HEADER, "")
    row.update(dict(line.columns))
    row.update(
        category=res.family,
        type=res.component,
        region=res.location,
        count=f"{line.count:g}" if line.status == "priced" else "",
        unitPrice="" if line.unit_price is None else round(line.unit_price, 6),
        cost=round(line.cost, 2) if line.status == "priced" else "",
        instance=res.name,
        resourceId=res.id,
        resourceName=res.name,
        resourceGroup=res.resource_group,
        subscriptionId=res.subscription_id,
        meter=line.meter,
        unit=line.unit,
        priceDate=line.price_date.date().isoformat() if line.price_date else "",
        status=line.status,
        reason=line.reason,
        currency=budget.currency,
        period=budget.period,
    )
    return {column: _inert(value) for column, value in row.items()}


# A cell starting with one of these is a formula to Excel, LibreOffice and openpyxl; a name or tag
# chosen by whoever can write to the subscription must stay text (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def budget_csv(budget: Budget) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for line in budget.lines:
        writer.writerow(_row(line, budget))
    return out.getvalue().encode()


def _grouped(lines: Sequence[CostLine], group_by: str) -> dict[str, list[CostLine]]:
    key = GROUPS[group_by]
    groups: dict[str, list[CostLine]] = {}
    for line in sorted(lines, key=lambda ln: (key(ln), -ln.cost, ln.resource.key)):
        groups.setdefault(key(line), []).append(line)
    return groups


def budget_xlsx(budget: Budget, *, group_by: str = "region") -> bytes:
    """One sheet, rows grouped by ``group_by`` with a subtotal under each group and a total."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Budget"
    sheet.append(HEADER)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    cost_col = HEADER.index("cost") + 1
    total = 0.0
    for name, lines in _grouped(budget.lines, group_by).items():
        for line in lines:
            sheet.append([_row(line, budget)[column] for column in HEADER])
        subtotal = sum(line.cost for line in lines)
        total += subtotal
        sheet.append([f"Subtotal {group_by} {name}"])
        sheet.cell(sheet.max_row, cost_col, round(subtotal, 2)).font = bold
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([f"Total ({budget.currency} per {_PERIODS[budget.period]})"])
    sheet.cell(sheet.max_row, cost_col, round(total, 2)).font = bold
    sheet.cell(sheet.max_row, 1).font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_PERIODS = {"h": "hour", "d": "day", "w": "week", "m": "month", "y": "year"}
