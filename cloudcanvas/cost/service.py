"""Cost services: refresh the price cache for what scans found, and price a set of resources.

The price cache is filled by filtered Retail Prices API lookups (the SKUs and regions present,
never the whole catalogue), daily by the scheduler, on demand by ``cloudcanvas prices refresh``,
and for SKUs never looked up when a budget asks for them. When the API is down, the cached prices
are used with their date; when nothing is cached, ``PricesUnavailable`` says so (diagrams do not
depend on prices at all).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import service as account_service
from cloudcanvas.azure import advisor, costs
from cloudcanvas.azure.advisor import Saving
from cloudcanvas.azure.credentials import Credentials
from cloudcanvas.config import Settings
from cloudcanvas.cost import repository
from cloudcanvas.cost.catalogue import Catalogue, CatalogueError, Lookup, plan_lookups
from cloudcanvas.cost.errors import PricesUnavailable
from cloudcanvas.cost.pricing import CostLine, Price, PriceTable, charges_of, price_resources
from cloudcanvas.cost.schemas import BudgetOptions
from cloudcanvas.diagram.filter import apply_filter, parse_filter
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import SnapshotNotFound
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory, Resource
from cloudcanvas.inventory.rendering import SnapshotCaches, inventory_of
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, CachedPrice

log = logging.getLogger(__name__)

Need = tuple[str, str, str, str]  # (serviceName, region, key field, value)
# Price list URL → (when, why) it last failed: budgets with cached prices do not wait on a down
# price list again for five minutes (they use the cache); the scheduler and the CLI always try.
_last_outage: dict[str, tuple[float, str | None]] = {}


@dataclass(slots=True)
class Refresh:
    """What a refresh did: the lookups and requests made, the meters stored, the failure if any."""

    lookups: int = 0
    requests: int = 0
    meters: int = 0
    error: str | None = None


def catalogue_of(settings: Settings) -> Catalogue:
    return Catalogue(
        settings.azure_prices_url,
        ca_bundle=settings.azure_ca_bundle,
        timeout=settings.azure_timeout_seconds,
    )


def _cached(item: dict[str, object], currency: str, now: datetime) -> CachedPrice | None:
    if item.get("type", "Consumption") != "Consumption":
        return None  # reservations and savings plans are out of scope for estimates

    def text(name: str) -> str:
        value = item.get(name)
        return value if isinstance(value, str) else ""

    retail, unit = item.get("retailPrice"), item.get("unitPrice", item.get("retailPrice"))
    if not isinstance(retail, int | float) or not isinstance(unit, int | float):
        return None
    return CachedPrice(
        currency=currency,
        service=text("serviceName"),
        region=text("armRegionName"),
        arm_sku=text("armSkuName"),
        sku=text("skuName"),
        product=text("productName"),
        meter=text("meterName"),
        unit=text("unitOfMeasure"),
        retail_price=float(retail),
        unit_price=float(unit),
        effective_start=text("effectiveStartDate"),
        fetched_at=now,
    )


def fetch_prices(
    session: Session, *, settings: Settings, currency: str, wanted: Iterable[Need]
) -> Refresh:
    """Look the needed SKUs up (filtered, batched) and store their meters; stops at the first
    failure, keeping what was fetched before it and every older cached price."""
    lookups = plan_lookups(wanted)
    result = Refresh(lookups=len(lookups))
    with catalogue_of(settings) as catalogue:
        for lookup in lookups:
            try:
                items = catalogue.fetch(lookup, currency)
            except CatalogueError as exc:
                result.error = str(exc)
                break
            result.meters += _store(session, lookup, currency, items)
        result.requests = catalogue.requests
    return result


def _store(session: Session, lookup: Lookup, currency: str, items: list[dict[str, object]]) -> int:
    now = utcnow()
    prices = [
        p
        for p in (_cached(item, currency, now) for item in items)
        if p is not None and p.service == lookup.service and p.region in lookup.regions
    ]
    for region in lookup.regions:
        repository.replace_prices(
            session,
            currency=currency,
            service=lookup.service,
            region=region,
            key_field=lookup.key_field,
            values=lookup.values,
            prices=[p for p in prices if p.region == region],
            fetched_at=now,
        )
    return len(prices)


def refresh_prices(session: Session, *, settings: Settings) -> Refresh:
    """Refresh every cached currency (USD always) for the SKUs of every account's latest snapshot."""
    wanted: set[Need] = set()
    for account in account_repository.list_all(session):
        snapshot = inventory_service.latest_snapshot(session, account)
        if snapshot is not None:
            wanted |= charges_of(inventory_of(snapshot).resources.values())
    currencies = {q.currency for q in repository.list_queries(session)} | {"USD"}
    total = Refresh()
    for currency in sorted(currencies):
        done = fetch_prices(session, settings=settings, currency=currency, wanted=wanted)
        total.lookups += done.lookups
        total.requests += done.requests
        total.meters += done.meters
        total.error = total.error or done.error
    return total


def prices_due(session: Session, *, interval: timedelta) -> bool:
    """Whether the oldest lookup is older than the refresh interval (or none was ever made)."""
    queries = repository.list_queries(session)
    return not queries or min(q.fetched_at for q in queries) < utcnow() - interval


def price_table(session: Session, *, currency: str, regions: Iterable[str]) -> PriceTable:
    """The cached prices of these regions, in one currency."""
    table = PriceTable(currency=currency)
    for row in repository.list_prices(session, currency, regions):
        table.add(
            Price(
                row.service,
                row.region,
                row.arm_sku,
                row.sku,
                row.product,
                row.meter,
                row.unit,
                row.retail_price,
                row.unit_price,
                row.fetched_at,
            )
        )
    return table


@dataclass(slots=True)
class Budget:
    lines: list[CostLine]
    currency: str
    period: str
    rate: str
    prices_as_of: datetime | None  # the oldest price used
    stale_reason: str | None  # set when the price list could not be read and the cache was used


def budget(
    session: Session,
    *,
    settings: Settings,
    resources: Sequence[Resource],
    currency: str = "USD",
    period: str = "m",
    rate: str = "effective",
) -> Budget:
    """Price resources (an account's snapshot, or the resources a blueprint's nodes name) from
    the cache, looking up first the SKUs never looked up in this currency."""
    wanted = charges_of(resources)
    known = {
        (q.service, q.region, q.field, q.value) for q in repository.list_queries(session, currency)
    }
    stale_reason = None
    if wanted - known:
        stale_reason = _last_outage.get(settings.azure_prices_url, (0.0, None))[1]
        recent = time.monotonic() - _last_outage.get(settings.azure_prices_url, (-1e9, None))[0]
        if recent > 300 or not known:  # with nothing cached, trying again is all there is
            done = fetch_prices(
                session, settings=settings, currency=currency, wanted=wanted - known
            )
            stale_reason = done.error
            if done.error:
                log.warning("prices: %s; using cached prices", done.error)
                _last_outage[settings.azure_prices_url] = (time.monotonic(), done.error)
            else:
                _last_outage.pop(settings.azure_prices_url, None)
    table = price_table(session, currency=currency, regions={r.location for r in resources})
    if wanted and len(table) == 0:
        raise PricesUnavailable(
            f"No {currency} prices are cached yet and the price list could not be read"
            f" ({stale_reason or 'no meters found'}). Check CLOUDCANVAS_AZURE_PRICES_URL, then "
            "run `cloudcanvas prices refresh`; diagrams are not affected."
        )
    lines = price_resources(resources, table, period=period, rate=rate)
    dates = [line.price_date for line in lines if line.price_date is not None]
    return Budget(lines, currency, period, rate, min(dates) if dates else None, stale_reason)


def snapshot_resources(
    inventory: Inventory, location: str | None, *, filter_text: str | None, exclude: tuple[str, ...]
) -> list[Resource]:
    """The resources a diagram of the same location, filter and exclusions would draw."""
    graph = to_graph(inventory, location)
    if filter_text or exclude:
        graph = apply_filter(graph, parse_filter(filter_text) if filter_text else None, exclude)
    return [inventory.resources[node.key] for node in graph.nodes]


def account_budget(
    session: Session,
    *,
    settings: Settings,
    actor: Actor,
    account_id: str,
    options: BudgetOptions,
    caches: SnapshotCaches | None = None,
) -> Budget:
    """The budget of an account's latest snapshot (one location or all, filtered as a diagram);
    the snapshot decoded through the app's ``caches`` when given."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    snapshot = inventory_service.latest_snapshot(session, account)
    if snapshot is None:
        raise SnapshotNotFound(
            "This account has no scan yet: scan it (or open its diagram) before its budget."
        )
    resources = snapshot_resources(
        inventory_of(snapshot, caches),
        options.location,
        filter_text=options.filter,
        exclude=options.exclude,
    )
    return budget(
        session,
        settings=settings,
        resources=resources,
        currency=options.currency,
        period=options.period,
        rate=options.rate,
    )


def layer_of(
    budget_: Budget,
    *,
    savings: dict[str, Saving] | None = None,
    actual: ActualCost | None = None,
    top: int = 10,
) -> dict[str, object]:
    """The viewer's cost layer: cost per resource key, totals per group, the top resources."""
    per_key: dict[str, float] = {}
    status: dict[str, str] = {}
    groups: dict[str, dict[str, float]] = {"region": {}, "resourceGroup": {}, "subscription": {}}
    groups["vnet"] = {}
    names: dict[str, tuple[str, str]] = {}
    for line in budget_.lines:
        res = line.resource
        per_key[res.key] = per_key.get(res.key, 0.0) + line.cost
        if status.get(res.key) != "priced":
            status[res.key] = line.status
        names[res.key] = (res.name, res.component)
        for group, value in (
            ("region", res.location),
            ("resourceGroup", res.resource_group),
            ("subscription", res.subscription_id),
            ("vnet", (res.vnet or "").rsplit("/", 1)[-1] or "(no network)"),
        ):
            groups[group][value] = groups[group].get(value, 0.0) + line.cost
    ranked = sorted(per_key.items(), key=lambda item: (-item[1], item[0]))[:top]
    return {
        "currency": budget_.currency,
        "period": budget_.period,
        "total": round(sum(per_key.values()), 2),
        "pricesAsOf": budget_.prices_as_of.isoformat() if budget_.prices_as_of else None,
        "stale": budget_.stale_reason is not None,
        "costs": {key: round(cost, 2) for key, cost in per_key.items()},
        "status": status,
        "groups": {
            name: dict(sorted(((k, round(v, 2)) for k, v in totals_.items()), key=lambda i: -i[1]))
            for name, totals_ in groups.items()
        },
        "top": [
            {"key": key, "name": names[key][0], "type": names[key][1], "cost": round(cost, 2)}
            for key, cost in ranked
            if cost > 0
        ],
        "actual": {
            "available": bool(actual and actual.available),
            "reason": actual.reason if actual else "",
            "days": costs.DAYS,
            "costs": {
                k: round(v[0], 2) for k, v in (actual.costs if actual else {}).items() if k in names
            },
            "currency": next(iter({v[1] for v in (actual.costs if actual else {}).values()}), ""),
        },
        "savings": [
            {
                "key": key,
                "name": names[key][0],
                "problem": saving.problem,
                "action": saving.action,
                "monthly": saving.monthly,
                "currency": saving.currency,
            }
            for key, saving in sorted((savings or {}).items())
            if key in names
        ],
    }


_ADVISOR_TTL = 3600.0
_advisor_cache: dict[str, tuple[float, dict[str, Saving]]] = {}  # account id → (when, savings)


def advisor_savings(
    session: Session, *, settings: Settings, account: AzureAccount
) -> dict[str, Saving]:
    """Advisor's cost recommendations by lowercased resource id, read with the Reader role and
    kept an hour; when Advisor cannot be read the layer simply has no savings (logged)."""
    now = time.monotonic()
    cached = _advisor_cache.get(account.id)
    if cached is not None and now - cached[0] < _ADVISOR_TTL:
        return cached[1]
    azure = account_service.AzureContext.from_settings(settings)
    try:
        savings = advisor.read_savings(
            azure.endpoints,
            account_service.credentials_of(account, azure.keyring),
            [account.subscription_id],
        )
    except advisor.AdvisorUnavailable as exc:
        log.warning("account %s: Advisor not read: %s", account.id, exc.failure.code)
        return {}
    found = {s.resource_id.lower(): s for s in savings}
    _advisor_cache[account.id] = (now, found)
    return found


@dataclass(frozen=True, slots=True)
class ActualCost:
    """The last 30 days' actual cost by lowercased resource id, or why there is none."""

    costs: dict[str, tuple[float, str]]
    available: bool
    reason: str = ""


_actual_cache: dict[str, tuple[float, ActualCost]] = {}


def actual_costs(session: Session, *, settings: Settings, account: AzureAccount) -> ActualCost:
    """Read from Cost Management where the app holds Cost Management Reader (kept an hour);
    without the role, or when it fails, the layer shows estimates only and says why."""
    now = time.monotonic()
    cached = _actual_cache.get(account.id)
    if cached is not None and now - cached[0] < _ADVISOR_TTL:
        return cached[1]
    azure = account_service.AzureContext.from_settings(settings)
    creds = account_service.credentials_of(account, azure.keyring)
    try:
        found = ActualCost(
            costs.read_actual_costs(azure.endpoints, creds, account.subscription_id), True
        )
    except costs.CostReadingDenied as denied:  # not kept: a role granted now shows at once
        return ActualCost({}, False, f"The app cannot read cost data. {denied}")
    except costs.CostReadingFailed as failed:
        log.warning("account %s: actual cost not read: %s", account.id, failed.failure.code)
        return ActualCost({}, False, failed.failure.message)
    _actual_cache[account.id] = (now, found)
    return found


def cost_reading(settings: Settings, creds: Credentials) -> dict[str, object]:
    """Whether these credentials may read actual cost (the wizard's permission step says so, and
    how to grant Cost Management Reader); the account works the same either way."""
    endpoints = account_service.AzureContext.from_settings(settings).endpoints
    try:
        costs.read_actual_costs(endpoints, creds, creds.subscription_id or "")
    except costs.CostReadingDenied:
        return {
            "available": False,
            "message": "Actual cost is not available (estimates are): " + costs.GRANT,
        }
    except costs.CostReadingFailed as failed:
        return {"available": False, "message": f"Actual cost could not be checked: {failed}"}
    return {
        "available": True,
        "message": "The app can read actual cost (Cost Management): the cost layer shows it "
        "next to the estimates.",
    }
