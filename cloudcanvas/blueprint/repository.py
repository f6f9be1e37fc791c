"""Blueprint queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, defer

from cloudcanvas.store.models import Blueprint, BlueprintVersion


def get_blueprint(session: Session, blueprint_id: str) -> Blueprint | None:
    return session.get(Blueprint, blueprint_id)


def list_for_organization(session: Session, organization_id: str) -> Sequence[Blueprint]:
    """Every blueprint of the organization, newest change first; access is filtered by the caller.
    ``data`` is deferred: a list never needs the documents."""
    query = (
        select(Blueprint)
        .where(Blueprint.organization_id == organization_id)
        .options(defer(Blueprint.data))
        .order_by(Blueprint.updated_at.desc(), Blueprint.id)
    )
    return session.scalars(query).all()


def latest_version(session: Session, blueprint_id: str) -> BlueprintVersion | None:
    query = (
        select(BlueprintVersion)
        .where(BlueprintVersion.blueprint_id == blueprint_id)
        .order_by(BlueprintVersion.created_at.desc(), BlueprintVersion.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def list_versions(session: Session, blueprint_id: str) -> Sequence[BlueprintVersion]:
    query = (
        select(BlueprintVersion)
        .where(BlueprintVersion.blueprint_id == blueprint_id)
        .options(defer(BlueprintVersion.data))
        .order_by(BlueprintVersion.created_at.desc(), BlueprintVersion.id.desc())
    )
    return session.scalars(query).all()


def get_version(session: Session, blueprint_id: str, version_id: str) -> BlueprintVersion | None:
    version = session.get(BlueprintVersion, version_id)
    return version if version is not None and version.blueprint_id == blueprint_id else None


def live_blueprints(session: Session, account_id: str) -> Sequence[Blueprint]:
    query = select(Blueprint).where(Blueprint.live_account_id == account_id)
    return session.scalars(query).all()


def purge_versions(session: Session, before: datetime) -> int:
    """Delete versions older than ``before``, except the one a blueprint points at as current."""
    current = select(Blueprint.current_version_id).where(Blueprint.current_version_id.is_not(None))
    result = session.execute(
        delete(BlueprintVersion)
        .where(BlueprintVersion.created_at < before)
        .where(BlueprintVersion.id.not_in(current))
    )
    return int(getattr(result, "rowcount", 0) or 0)
