"""Blueprint queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudcanvas.store.models import Blueprint


def get_blueprint(session: Session, blueprint_id: str) -> Blueprint | None:
    return session.get(Blueprint, blueprint_id)


def list_for_organization(session: Session, organization_id: str) -> Sequence[Blueprint]:
    """Every blueprint of the organization, newest change first; access is filtered by the caller.
    ``data`` is deferred: a list never needs the documents."""
    from sqlalchemy.orm import defer

    query = (
        select(Blueprint)
        .where(Blueprint.organization_id == organization_id)
        .options(defer(Blueprint.data))
        .order_by(Blueprint.updated_at.desc(), Blueprint.id)
    )
    return session.scalars(query).all()
