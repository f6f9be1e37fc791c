"""People of an organization as its owners and administrators manage them: users and teams.

Every change is written to the audit log. Owners hold billing, so only an owner makes, changes or
removes an owner; nobody changes their own role or removes themselves, so an organization always
keeps the owner who is acting.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from cloudcanvas.errors import Forbidden, NotFound
from cloudcanvas.identity import audit, repository, service
from cloudcanvas.identity.errors import DuplicateName, InvalidValue
from cloudcanvas.identity.policy import ROLES, Action, Actor, authorize
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import Organization, Team, User


def list_users(session: Session, *, actor: Actor) -> Sequence[User]:
    """The organization's users (owners and administrators)."""
    authorize(actor, Action.MANAGE_USERS)
    return repository.list_users(session, actor.organization_id)


def get_user(session: Session, *, actor: Actor, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.organization_id != actor.organization_id:
        raise NotFound(f"No user with id {user_id} in this organization.")
    return user


def _require_owner_for(actor: Actor, role: str) -> None:
    if role == "owner" and actor.role != "owner":
        raise Forbidden("Only an owner may make, change or remove an owner.", code="forbidden")


def invite_user(
    session: Session,
    *,
    actor: Actor,
    email: str,
    name: str,
    role: str,
    hasher: PasswordHasher = service.PASSWORD_HASHER,
) -> tuple[User, str]:
    """Create a user with a generated initial password, returned once (only its hash is kept)."""
    authorize(actor, Action.MANAGE_USERS)
    if role not in ROLES:
        raise InvalidValue(f"role must be one of {', '.join(ROLES)}; got {role!r}.")
    _require_owner_for(actor, role)
    organization = session.get(Organization, actor.organization_id)
    assert organization is not None
    password = secrets.token_urlsafe(12)
    user = service.create_user(
        session,
        organization=organization,
        email=email,
        password=password,
        role=role,
        name=name,
        hasher=hasher,
    )
    audit.record(
        session,
        actor=actor,
        action="add_user",
        target=user,
        changes={"email": user.email, "name": user.name, "role": role},
    )
    return user, password


def change_role(session: Session, *, actor: Actor, user_id: str, role: str) -> User:
    """Give a user another role."""
    authorize(actor, Action.MANAGE_USERS)
    user = get_user(session, actor=actor, user_id=user_id)
    if role not in ROLES:
        raise InvalidValue(f"role must be one of {', '.join(ROLES)}; got {role!r}.")
    if user.id == actor.user_id:
        raise Forbidden("You cannot change your own role; ask another owner.", code="forbidden")
    _require_owner_for(actor, user.role)
    _require_owner_for(actor, role)
    if user.role != role:
        user.role = role
        audit.record(
            session, actor=actor, action="change_role", target=user, changes={"role": role}
        )
    return user


def set_active(session: Session, *, actor: Actor, user_id: str, active: bool) -> User:
    """Deactivate a user (they keep their history but can neither log in nor use their API
    keys), or reactivate them."""
    authorize(actor, Action.MANAGE_USERS)
    user = get_user(session, actor=actor, user_id=user_id)
    if user.id == actor.user_id:
        raise Forbidden("You cannot deactivate yourself; ask another owner.", code="forbidden")
    _require_owner_for(actor, user.role)
    if active == (user.deactivated_at is None):
        return user
    user.deactivated_at = None if active else utcnow()
    action = "reactivate_user" if active else "deactivate_user"
    audit.record(session, actor=actor, action=action, target=user)
    return user


def remove_user(session: Session, *, actor: Actor, user_id: str) -> User:
    """Remove a user: their sessions, API keys and team memberships go with them."""
    authorize(actor, Action.MANAGE_USERS)
    user = get_user(session, actor=actor, user_id=user_id)
    if user.id == actor.user_id:
        raise Forbidden("You cannot remove yourself; ask another owner.", code="forbidden")
    _require_owner_for(actor, user.role)
    audit.record(session, actor=actor, action="remove_user", target=user)
    session.delete(user)
    session.flush()
    return user


def create_team(session: Session, *, actor: Actor, name: str) -> Team:
    """Create a team."""
    authorize(actor, Action.MANAGE_TEAMS)
    organization = session.get(Organization, actor.organization_id)
    assert organization is not None
    team = service.create_team(session, organization=organization, name=name)
    audit.record(session, actor=actor, action="add_team", target=team, changes={"name": team.name})
    return team


def rename_team(session: Session, *, actor: Actor, team_id: str, name: str) -> Team:
    """Rename a team; the accounts shared with it stay shared."""
    authorize(actor, Action.MANAGE_TEAMS)
    team = service.get_team(session, team_id, organization_id=actor.organization_id)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidValue("name must be 1 to 200 characters.")
    other = repository.get_team_by_name(session, actor.organization_id, name)
    if other is not None and other.id != team.id:
        raise DuplicateName(f"A team named {name!r} exists already.")
    if team.name != name:
        team.name = name
        audit.record(
            session, actor=actor, action="rename_team", target=team, changes={"name": name}
        )
    return team


def delete_team(session: Session, *, actor: Actor, team_id: str) -> Team:
    """Delete a team: its members lose the access it gave them."""
    authorize(actor, Action.MANAGE_TEAMS)
    team = service.get_team(session, team_id, organization_id=actor.organization_id)
    audit.record(session, actor=actor, action="remove_team", target=team)
    session.delete(team)
    session.flush()
    return team


def add_member(session: Session, *, actor: Actor, team_id: str, user_id: str) -> Team:
    """Add a user of the organization to a team."""
    authorize(actor, Action.MANAGE_TEAMS)
    team = service.get_team(session, team_id, organization_id=actor.organization_id)
    user = get_user(session, actor=actor, user_id=user_id)
    if not repository.is_member(session, team.id, user.id):
        service.add_team_member(session, team=team, user=user)
        changes = {"member": f"{user.name} <{user.email}> added"}
        audit.record(session, actor=actor, action="add_member", target=team, changes=changes)
    return team


def remove_member(session: Session, *, actor: Actor, team_id: str, user_id: str) -> Team:
    """Take a user out of a team."""
    authorize(actor, Action.MANAGE_TEAMS)
    team = service.get_team(session, team_id, organization_id=actor.organization_id)
    user = get_user(session, actor=actor, user_id=user_id)
    if repository.is_member(session, team.id, user.id):
        service.remove_team_member(session, team=team, user=user)
        changes = {"member": f"{user.name} <{user.email}> removed"}
        audit.record(session, actor=actor, action="remove_member", target=team, changes=changes)
    return team
