"""The audit log of Azure accounts: who added, edited, removed or shared what, and when.

Changes name the fields; a new client secret is recorded as replaced, never as a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity.audit import add_event
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
    return add_event(
        session,
        organization_id=account.organization_id,
        actor=actor,
        action=action,
        target=("azure_account", account.id, account.name),
        changes=changes,
    )


def list_events(session: Session, *, actor: Actor, limit: int = 200) -> Sequence[AuditEvent]:
    """The organization's audit log, newest first (owners and administrators)."""
    authorize(actor, Action.VIEW_AUDIT)
    return repository.list_audit(session, actor.organization_id, limit)


def record_login_throttled(session: Session, *, email: str, address: str) -> AuditEvent | None:
    """Failed logins reached the throttle for an existing user (unknown emails are not logged)."""
    user = identity_repository.get_user_by_email(session, email)
    if user is None:
        return None
    return add_event(
        session,
        organization_id=user.organization_id,
        actor=None,
        action="login_throttled",
        target=("user", user.id, user.email),
        changes={"address": address},
    )
