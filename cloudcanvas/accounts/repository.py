"""Every Azure account query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cloudcanvas.accounts.status import SCHEDULABLE, AccountStatus
from cloudcanvas.store.models import AuditEvent, AzureAccount


def get(session: Session, account_id: str) -> AzureAccount | None:
    return session.get(AzureAccount, account_id)


def list_for_organization(session: Session, organization_id: str) -> Sequence[AzureAccount]:
    query = (
        select(AzureAccount)
        .where(AzureAccount.organization_id == organization_id)
        .order_by(AzureAccount.name, AzureAccount.id)
    )
    return session.scalars(query).all()


def list_expiring(session: Session, before: datetime) -> Sequence[AzureAccount]:
    query = select(AzureAccount).where(
        AzureAccount.secret_expires_at.is_not(None),
        AzureAccount.secret_expires_at <= before,
        AzureAccount.status != AccountStatus.SECRET_EXPIRED,
    )
    return session.scalars(query).all()


def list_not_sealed_with(session: Session, key_id: str) -> Sequence[AzureAccount]:
    query = select(AzureAccount).where(AzureAccount.secret_key_id != key_id)
    return session.scalars(query.limit(500)).all()


def list_due_for_scan(session: Session, now: datetime) -> Sequence[AzureAccount]:
    query = select(AzureAccount).where(
        or_(AzureAccount.next_scan_at.is_(None), AzureAccount.next_scan_at <= now),
        AzureAccount.status.in_(SCHEDULABLE),
    )
    return session.scalars(query).all()


def list_audit(session: Session, organization_id: str, limit: int = 200) -> Sequence[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.organization_id == organization_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def list_all(session: Session) -> Sequence[AzureAccount]:
    return session.scalars(select(AzureAccount).order_by(AzureAccount.id)).all()
