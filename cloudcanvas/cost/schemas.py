"""Budget request options, validated: a bad value names its parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cloudcanvas.cost.pricing import CURRENCIES, PERIODS, RATES
from cloudcanvas.diagram.filter import FilterError, parse_filter
from cloudcanvas.errors import BadRequest

GROUP_BY = ("region", "resourceGroup", "subscription", "vnet", "type")


@dataclass(frozen=True, slots=True)
class BudgetOptions:
    location: str | None = None
    currency: str = "USD"
    period: str = "m"
    rate: str = "effective"
    group_by: str = "region"
    filter: str | None = None
    exclude: tuple[str, ...] = ()


def _choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = (params.get(name) or default).strip()
    if name == "currency":
        value = value.upper()
    if value not in allowed:
        raise BadRequest(
            f"{name} must be one of {', '.join(allowed)}; got {value!r}.", code=f"invalid_{name}"
        )
    return value


def budget_options(params: Mapping[str, str], location: str | None) -> BudgetOptions:
    """Cloudcraft's budget parameters (currency, period, rate) and the diagram's filters."""
    text = (params.get("filter") or "").strip() or None
    if text:
        try:
            parse_filter(text)
        except FilterError as error:
            raise BadRequest(f"filter: {error.message}", code="invalid_filter") from None
    return BudgetOptions(
        location=location,
        currency=_choice(params, "currency", CURRENCIES, "USD"),
        period=_choice(params, "period", PERIODS, "m"),
        rate=_choice(params, "rate", RATES, "effective"),
        group_by=_choice(params, "groupBy", GROUP_BY, "region"),
        filter=text,
        exclude=tuple(p.strip() for p in (params.get("exclude") or "").split(",") if p.strip()),
    )
