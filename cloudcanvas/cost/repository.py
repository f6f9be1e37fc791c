"""Every query of the price cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from cloudcanvas.store.models import CachedPrice, PriceQuery


def list_prices(session: Session, currency: str, regions: Iterable[str]) -> Sequence[CachedPrice]:
    query = select(CachedPrice).where(
        CachedPrice.currency == currency, CachedPrice.region.in_(sorted(set(regions)))
    )
    return session.scalars(query).all()


def list_queries(session: Session, currency: str | None = None) -> Sequence[PriceQuery]:
    query = select(PriceQuery)
    if currency is not None:
        query = query.where(PriceQuery.currency == currency)
    return session.scalars(query).all()


def replace_prices(
    session: Session,
    *,
    currency: str,
    service: str,
    region: str,
    key_field: str,
    values: Sequence[str],
    prices: Sequence[CachedPrice],
    fetched_at: datetime,
) -> None:
    """Swap the cached meters of these SKUs for freshly fetched ones, and note the lookups."""
    column = CachedPrice.arm_sku if key_field == "armSkuName" else CachedPrice.sku
    session.execute(
        delete(CachedPrice).where(
            CachedPrice.currency == currency,
            CachedPrice.service == service,
            CachedPrice.region == region,
            or_(column.in_(values)),
        )
    )
    session.add_all(prices)
    existing = {
        q.value: q
        for q in session.scalars(
            select(PriceQuery).where(
                PriceQuery.currency == currency,
                PriceQuery.service == service,
                PriceQuery.region == region,
                PriceQuery.field == key_field,
                PriceQuery.value.in_(values),
            )
        )
    }
    for value in values:
        found = sum(
            1 for p in prices if (p.arm_sku if key_field == "armSkuName" else p.sku) == value
        )
        query = existing.get(value) or PriceQuery(
            currency=currency, service=service, region=region, field=key_field, value=value
        )
        query.meters, query.fetched_at = found, fetched_at
        session.add(query)
    session.flush()
