"""Audit events of people: users invited, roles changed, users removed, teams and members.

Passwords are never recorded, not even as replaced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.models import AuditEvent, Team, User


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: User | Team,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event about a user or a team to the organization's audit log."""
    event = AuditEvent(
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        actor_email=actor.email,
        action=action,
        target_type="user" if isinstance(target, User) else "team",
        target_id=target.id,
        target_name=target.email if isinstance(target, User) else target.name,
        changes=changes or {},
    )
    session.add(event)
    return event
