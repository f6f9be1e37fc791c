"""Every identity query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from cloudcanvas.store.models import ApiKey, Organization, Team, TeamMember, User, WebSession


def get_organization_by_name(session: Session, name: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.name == name))


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def list_users(session: Session, organization_id: str) -> Sequence[User]:
    query = select(User).where(User.organization_id == organization_id).order_by(User.email)
    return session.scalars(query).all()


def get_team(session: Session, team_id: str) -> Team | None:
    return session.get(Team, team_id)


def get_team_by_name(session: Session, organization_id: str, name: str) -> Team | None:
    query = select(Team).where(Team.organization_id == organization_id, Team.name == name)
    return session.scalar(query)


def list_teams(session: Session, organization_id: str) -> Sequence[Team]:
    query = select(Team).where(Team.organization_id == organization_id).order_by(Team.name)
    return session.scalars(query).all()


def team_ids_of_user(session: Session, user_id: str) -> frozenset[str]:
    query = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    return frozenset(session.scalars(query).all())


def team_members(session: Session, team_id: str) -> Sequence[User]:
    query = (
        select(User)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team_id)
        .order_by(User.email)
    )
    return session.scalars(query).all()


def is_member(session: Session, team_id: str, user_id: str) -> bool:
    return session.get(TeamMember, (team_id, user_id)) is not None


def get_api_key_by_hash(session: Session, key_hash: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


def set_keys_last_used(session: Session, uses: Mapping[str, datetime]) -> None:
    """One UPDATE per key, never moving ``last_used_at`` back."""
    statement = (
        update(ApiKey)
        .where(ApiKey.id == bindparam("key_id"))
        .where(or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < bindparam("used_at")))
        .values(last_used_at=bindparam("used_at"))
        .execution_options(synchronize_session=False)
    )
    rows = [{"key_id": key_id, "used_at": used_at} for key_id, used_at in uses.items()]
    session.connection().execute(statement, rows)


def list_api_keys(session: Session, user_id: str) -> Sequence[ApiKey]:
    query = select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at.desc())
    return session.scalars(query).all()


def get_web_session(session: Session, session_hash: str) -> WebSession | None:
    return session.get(WebSession, session_hash)
