"""Cost of what a drawing shows: a blueprint's budget (the resources its nodes stand for), and the
cost layer of a diagram export (``cost=true``) handed to the diagram package as plain data.

A blueprint node stands for the resource its ``resourceId`` names, found in the latest snapshot
of the blueprint's live account (``liveAccount.id``) or, for a blueprint made from a snapshot
document, of an account the reader can see. A node with no resource behind it (drawn by hand,
or gone from the latest scan) is listed unpriced with the reason; nothing is invented.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import service as account_service
from cloudcanvas.blueprint import service as blueprint_service
from cloudcanvas.config import Settings
from cloudcanvas.cost.errors import PricesUnavailable
from cloudcanvas.cost.pricing import CostLine
from cloudcanvas.cost.schemas import BudgetOptions, budget_options
from cloudcanvas.cost.service import Budget, budget, snapshot_resources
from cloudcanvas.diagram import RenderOptions
from cloudcanvas.diagram.costlayer import CostData
from cloudcanvas.diagram.query import flag
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.model import Inventory, Resource
from cloudcanvas.inventory.rendering import SnapshotCaches, inventory_of
from cloudcanvas.inventory.union import union
from cloudcanvas.store.models import AzureAccount, Snapshot

log = logging.getLogger(__name__)

NO_RESOURCE = "a block drawn on the blueprint, with no Azure resource behind it"
NOT_SCANNED = "not in the latest scan of any account you can see (deleted, or not scanned yet)"


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _drawn(node: Mapping[str, Any], index: int) -> Resource:
    """A blueprint node as a resource to list (unpriced): what the node itself says."""
    resource_id = _text(node, "resourceId")
    return Resource(
        key=resource_id.lower() or f"blueprint-node:{_text(node, 'id') or index}",
        id=resource_id,
        name=_text(node, "label") or _text(node, "name") or _text(node, "id"),
        arm_type=_text(node, "armType"),
        component=_text(node, "type") or "block",
        family=_text(node, "family") or "other",
        location=_text(node, "region"),
        subscription_id=_text(node, "subscriptionId"),
        resource_group=_text(node, "resourceGroup"),
    )


def _accounts(session: Session, actor: Actor, data: Mapping[str, Any]) -> list[AzureAccount]:
    """The blueprint's live account first (reading the blueprint is enough: it already shows
    those resources), then the accounts of the reader's organization the reader can see."""
    found: list[AzureAccount] = []
    live = data.get("liveAccount")
    live_id = _text(live, "id") if isinstance(live, dict) else ""
    account = account_repository.get(session, live_id) if live_id else None
    if account is not None and account.organization_id == actor.organization_id:
        found.append(account)
    found += [a for a in account_service.list_accounts(session, actor=actor) if a.id != live_id]
    return found


def _inventories(
    session: Session, actor: Actor, data: Mapping[str, Any], caches: SnapshotCaches | None
) -> Iterator[Inventory]:
    """The accounts' latest inventories, one at a time (decoded only while resources are
    still missing, from the app's caches when given)."""
    for account in _accounts(session, actor, data):
        snapshot = inventory_service.latest_snapshot(session, account)
        if snapshot is not None:
            yield inventory_of(snapshot, caches)


@dataclasses.dataclass(slots=True)
class BlueprintResources:
    """What a blueprint's nodes stand for: scanned resources, and the nodes with none behind."""

    resources: list[Resource]
    missing: list[tuple[Resource, str]]  # the node as a resource, and why it is not priced


def blueprint_resources(
    session: Session, *, actor: Actor, blueprint_id: str, caches: SnapshotCaches | None = None
) -> BlueprintResources:
    data = blueprint_service.blueprint_document(session, actor=actor, blueprint_id=blueprint_id)
    nodes = [n for n in data.get("nodes") or [] if isinstance(n, dict)]
    wanted = {_text(n, "resourceId").lower() for n in nodes} - {""}
    found: dict[str, Resource] = {}
    if wanted:
        for inventory in _inventories(session, actor, data, caches):
            for key in wanted - found.keys():
                resource = inventory.resources.get(key)
                if resource is not None:
                    found[key] = resource
            if len(found) == len(wanted):
                break
    resources: list[Resource] = []
    missing: list[tuple[Resource, str]] = []
    seen: set[str] = set()
    for index, node in enumerate(nodes):
        key = _text(node, "resourceId").lower()
        if key and key in seen:
            continue  # one resource drawn twice is priced once
        seen.add(key)
        if key in found:
            resources.append(found[key])
        else:
            missing.append((_drawn(node, index), NOT_SCANNED if key else NO_RESOURCE))
    return BlueprintResources(resources, missing)


def blueprint_budget(
    session: Session,
    *,
    settings: Settings,
    actor: Actor,
    blueprint_id: str,
    options: BudgetOptions,
    caches: SnapshotCaches | None = None,
) -> Budget:
    """The budget of a blueprint: its nodes' resources priced, the others listed unpriced."""
    behind = blueprint_resources(session, actor=actor, blueprint_id=blueprint_id, caches=caches)
    priced = budget(
        session,
        settings=settings,
        resources=behind.resources,
        currency=options.currency,
        period=options.period,
        rate=options.rate,
    )
    priced.lines += [CostLine(res, "unpriced", reason=why) for res, why in behind.missing]
    return priced


# ---- the cost layer of diagram exports ----


def cost_options(params: Mapping[str, str]) -> BudgetOptions | None:
    """``cost=true`` and its ``currency``/``period``/``rate``, checked (400 naming the bad
    parameter); None when the export does not ask for cost."""
    if not flag(params, "cost", False):
        return None
    return budget_options(params, None)


def _source(settings: Settings) -> str:
    host = urlsplit(settings.azure_prices_url).hostname or settings.azure_prices_url
    return "Azure Retail Prices API" if host == "prices.azure.com" else f"price list at {host}"


def cost_data(priced: Budget, settings: Settings) -> CostData:
    """A budget as the diagram's plain cost data: amount per resource key, usage-based keys."""
    amounts: dict[str, float] = {}
    status: dict[str, set[str]] = {}
    for line in priced.lines:
        key = line.resource.key
        status.setdefault(key, set()).add(line.status)
        if line.status == "priced":
            amounts[key] = amounts.get(key, 0.0) + line.cost
    usage = [k for k, s in status.items() if "usage-based" in s and not amounts.get(k)]
    unpriced = sum(1 for s in status.values() if s == {"unpriced"})
    when = priced.prices_as_of.date().isoformat() if priced.prices_as_of else "unknown date"
    note = f"Prices as of {when} ({_source(settings)}); no reservations or savings plans."
    if priced.stale_reason:
        note = f"Price list unreachable: cached prices of {when} used."
    return CostData.of(
        amounts,
        currency=priced.currency,
        period=priced.period,
        usage=usage,
        unpriced=unpriced,
        note=note,
    )


def drawn_resources(
    snapshots: Sequence[Snapshot],
    location: str | None,
    opts: RenderOptions,
    caches: SnapshotCaches | None = None,
) -> list[Resource]:
    """The resources a diagram of these snapshots (their union) draws with these options."""
    inventories = [inventory_of(s, caches) for s in snapshots]
    merged = inventories[0] if len(inventories) == 1 else union(inventories)
    return snapshot_resources(merged, location, filter_text=opts.filter, exclude=opts.exclude)


def with_cost(
    session: Session,
    *,
    settings: Settings,
    options: BudgetOptions | None,
    opts: RenderOptions,
    resources: Callable[[], Sequence[Resource]],
    extra: Sequence[tuple[Resource, str]] = (),
) -> RenderOptions:
    """The render options with the cost layer when asked. Without prices (the price list down
    and nothing cached) the diagram is drawn all the same, its panel saying why."""
    if options is None:
        return opts
    try:
        priced = budget(
            session,
            settings=settings,
            resources=resources(),
            currency=options.currency,
            period=options.period,
            rate=options.rate,
        )
    except PricesUnavailable as error:
        log.warning("cost layer without prices: %s", error.message)
        empty = CostData(currency=options.currency, period=options.period, note=error.message)
        return dataclasses.replace(opts, cost=empty)
    priced.lines += [CostLine(res, "unpriced", reason=why) for res, why in extra]
    return dataclasses.replace(opts, cost=cost_data(priced, settings))
