"""The pricing core, pure: a list of inventory resources and a price table in, cost lines out.

Nothing here reads the database or the network, so an account's snapshot, a blueprint's nodes
mapped to snapshot resources, or a 100,000-resource benchmark are priced the same way. Prices are
per hour after ``hourly_price``; ``period`` scales them (Azure's month is 730 hours).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cloudcanvas.cost.rules import HOURS, Charge, Free, Unpriced, rules_for
from cloudcanvas.inventory.model import Resource

CURRENCIES = ("USD", "AUD", "CHF", "DKK", "EUR", "GBP", "HKD", "JPY", "NOK", "NZD", "SEK", "ZAR")
PERIODS = tuple(HOURS)
RATES = ("effective", "stated")

# unitOfMeasure → hours one unit lasts ("1/Month" is a month of one thing).
_UNIT_HOURS = {"hour": 1.0, "day": 24.0, "month": HOURS["m"], "year": HOURS["y"]}
# "1 Hour", "100 Hours", "1/Month", "1/Day"; "1 GB/Month" is per GB a month (the quantity is GB).
_UNIT = re.compile(r"^(\d+)\s*(?:gb)?\s*/?\s*(hour|day|month|year)s?$")


@dataclass(frozen=True, slots=True)
class Price:
    """One Consumption meter of the Retail Prices API, as cached."""

    service: str
    region: str
    arm_sku: str
    sku: str
    product: str
    meter: str
    unit: str  # unitOfMeasure: "1 Hour", "1/Month", "1 GB/Month", "100/Month" ...
    retail_price: float  # what the API calls retailPrice ("effective")
    unit_price: float  # unitPrice ("stated")
    fetched_at: datetime


def hourly(price: float, unit: str) -> float | None:
    """A price per unit of measure as a price per hour; None for units of use (GB, operations)."""
    hours = _unit_hours(unit)
    return None if hours is None else price / hours


@functools.cache
def _unit_hours(unit: str) -> float | None:
    """How many hours one unit of measure lasts (a handful of distinct units: cached)."""
    match = _UNIT.match(unit.strip().lower())
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_HOURS[match.group(2)]


@dataclass(slots=True)
class PriceTable:
    """Cached meters by (serviceName, region, key field value); lookups are dict hits."""

    currency: str = "USD"
    by_key: dict[tuple[str, str, str], list[Price]] = field(default_factory=dict)
    # A snapshot repeats a few hundred distinct charges over its resources: each matched once.
    _found: dict[tuple[Charge, str], Price | None] = field(default_factory=dict, repr=False)

    def add(self, price: Price) -> None:
        self._found.clear()
        for value in {price.arm_sku, price.sku} - {""}:
            self.by_key.setdefault((price.service, price.region, value), []).append(price)

    def find(self, charge: Charge, region: str) -> Price | None:
        key = (charge, region)
        if key in self._found:
            return self._found[key]
        found = next(
            (
                candidate
                for candidate in self.by_key.get((charge.service, region, charge.value), ())
                if _matches(candidate, charge)
            ),
            None,
        )
        self._found[key] = found
        return found

    @property
    def oldest(self) -> datetime | None:
        dates = [p.fetched_at for prices in self.by_key.values() for p in prices]
        return min(dates) if dates else None

    def __len__(self) -> int:
        return len(self.by_key)


def _matches(price: Price, charge: Charge) -> bool:
    key = price.arm_sku if charge.field == "armSkuName" else price.sku
    if key != charge.value:
        return False
    product, meter = price.product.lower(), price.meter.lower()
    if charge.product_has and charge.product_has.lower() not in product:
        return False
    if charge.product_lacks and charge.product_lacks.lower() in product:
        return False
    if charge.meter_has and charge.meter_has.lower() not in meter:
        return False
    return "spot" not in meter and "low priority" not in meter


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is 2x slower, on 100k lines
class CostLine:
    """One charge of one resource, priced (or not, with the reason). Read-only by convention."""

    resource: Resource
    status: str  # "priced", "usage-based", "unpriced"
    count: float = 0.0
    unit_price: float | None = None  # per unit of measure, in the table's currency
    unit: str = ""
    cost: float = 0.0  # for the period asked; 0 when usage-based or unpriced
    meter: str = ""
    price_date: datetime | None = None
    reason: str = ""
    columns: tuple[tuple[str, str], ...] = ()


def _line(
    res: Resource, rule: Charge | Unpriced | Free, table: PriceTable, hours: float, rate: str
) -> CostLine:
    if isinstance(rule, Free):
        return CostLine(res, "priced", count=1.0, meter="no charge", reason=rule.reason)
    if isinstance(rule, Unpriced):
        return CostLine(res, "unpriced", reason=rule.reason)
    price = table.find(rule, res.location)
    if price is None:
        reason = f"no {rule.service} meter for {rule.value} in {res.location} in the price list"
        return CostLine(res, "unpriced", reason=reason, columns=rule.columns)
    unit_price = price.retail_price if rate == "effective" else price.unit_price
    per_hour = hourly(unit_price, price.unit)
    usage = rule.usage_based or per_hour is None
    return CostLine(
        res,
        "usage-based" if usage else "priced",
        count=0.0 if usage else rule.quantity,
        unit_price=unit_price,
        unit=price.unit,
        cost=0.0 if usage or per_hour is None else per_hour * rule.quantity * hours,
        meter=f"{price.product} / {price.meter}",
        price_date=price.fetched_at,
        reason="billed per unit of use; the scan does not know the quantity" if usage else "",
        columns=rule.columns,
    )


def price_resources(
    resources: Iterable[Resource], table: PriceTable, *, period: str = "m", rate: str = "effective"
) -> list[CostLine]:
    """Every charge of every resource for the period, in the table's currency."""
    hours = HOURS[period]
    return [_line(res, rule, table, hours, rate) for res in resources for rule in rules_for(res)]


def charges_of(resources: Iterable[Resource]) -> set[tuple[str, str, str, str]]:
    """(serviceName, region, key field, value) of every meter the resources need: what to fetch."""
    return {
        (rule.service, res.location, rule.field, rule.value)
        for res in resources
        for rule in rules_for(res)
        if isinstance(rule, Charge)
    }


def totals(lines: Sequence[CostLine]) -> dict[str, float]:
    """Cost per resource key (a resource with several charges sums them)."""
    out: dict[str, float] = {}
    for line in lines:
        out[line.resource.key] = out.get(line.resource.key, 0.0) + line.cost
    return out
