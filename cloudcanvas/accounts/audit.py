"""The audit log of Azure accounts: who added, edited, removed or shared what, and when.

Changes name the fields; a new client secret is recorded as replaced, never as a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.store.models import AuditEvent, AzureAccount


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    account: AzureAccount,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        organization_id=account.organization_id,
        actor_id=actor.user_id if actor else None,
        actor_email=actor.email if actor else "cloudcanvas",
        action=action,
        target_type="azure_account",
        target_id=account.id,
        target_name=account.name,
        changes=changes or {},
    )
    session.add(event)
    return event


def list_events(session: Session, *, actor: Actor, limit: int = 200) -> Sequence[AuditEvent]:
    """The organization's audit log, newest first (owners and administrators)."""
    authorize(actor, Action.VIEW_AUDIT)
    return repository.list_audit(session, actor.organization_id, limit)


def record_login_throttled(session: Session, *, email: str, address: str) -> AuditEvent | None:
    """Failed logins reached the throttle for an existing user (unknown emails are not logged)."""
    user = identity_repository.get_user_by_email(session, email)
    if user is None:
        return None
    event = AuditEvent(
        organization_id=user.organization_id,
        actor_id=None,
        actor_email="cloudcanvas",
        action="login_throttled",
        target_type="user",
        target_id=user.id,
        target_name=user.email,
        changes={"address": address},
    )
    session.add(event)
    return event
