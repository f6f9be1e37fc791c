"""The audit log's one writer (``add_event``), and the events of people: users invited, roles
changed, users removed, teams and members.

Every package that audits (accounts, blueprints, people) writes through ``add_event``. Secrets
(passwords, client secrets, share keys) are never recorded, not even as replaced values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.models import AuditEvent, Team, User

SYSTEM = "cloudcanvas"  # the actor of what the service does by itself


def add_event(
    session: Session,
    *,
    organization_id: str,
    actor: Actor | None,
    action: str,
    target: tuple[str, str, str],
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to an organization's audit log; ``target`` is (type, id, name), and no
    actor means the service itself."""
    target_type, target_id, target_name = target
    event = AuditEvent(
        organization_id=organization_id,
        actor_id=actor.user_id if actor else None,
        actor_email=actor.email if actor else SYSTEM,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=target_name,
        changes=changes or {},
    )
    session.add(event)
    return event


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: User | Team,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event about a user or a team to the organization's audit log."""
    about = (
        ("user", target.id, target.email)
        if isinstance(target, User)
        else ("team", target.id, target.name)
    )
    return add_event(
        session,
        organization_id=actor.organization_id,
        actor=actor,
        action=action,
        target=about,
        changes=changes,
    )
