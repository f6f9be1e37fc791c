"""Organizations, users, teams, API keys and web sessions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from cloudcanvas.errors import NotFound
from cloudcanvas.identity import repository
from cloudcanvas.identity.errors import (
    DuplicateEmail,
    DuplicateName,
    InvalidApiKey,
    InvalidLogin,
    InvalidValue,
)
from cloudcanvas.identity.policy import ACCESS_LEVELS, PLANS, ROLES, Action, Actor, authorize
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import ApiKey, Organization, Team, TeamMember, User, WebSession

API_KEY_LENGTH = 44
SESSION_LIFETIME = timedelta(days=7)
# Argon2 with the library's costs. A check reads the costs from the stored hash, so only the
# services that hash take a hasher, to be given a cheaper one where speed beats strength (tests).
PASSWORD_HASHER = PasswordHasher()
# Verifying against this keeps an unknown email as slow as a wrong password.
_DUMMY_HASH = PASSWORD_HASHER.hash("cloudcanvas-timing-guard")


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _require_choice(field: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise InvalidValue(f"{field} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def _require_name(field: str, value: str, limit: int = 200) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidValue(f"{field} must be 1 to {limit} characters.")
    return value


def create_organization(session: Session, *, name: str, plan: str) -> Organization:
    """Create an organization on a plan."""
    name = _require_name("name", name)
    _require_choice("plan", plan, PLANS)
    if repository.get_organization_by_name(session, name):
        raise DuplicateName(f"An organization named {name!r} exists already.")
    organization = Organization(name=name, plan=plan)
    session.add(organization)
    session.flush()
    return organization


def get_organization(session: Session, name: str) -> Organization:
    organization = repository.get_organization_by_name(session, name)
    if organization is None:
        raise NotFound(f"No organization named {name!r}.")
    return organization


def create_user(
    session: Session,
    *,
    organization: Organization,
    email: str,
    password: str,
    role: str,
    name: str = "",
    hasher: PasswordHasher = PASSWORD_HASHER,
) -> User:
    """Create a user with a role in an organization."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise InvalidValue(f"email {email!r} is not an email address.")
    _require_choice("role", role, ROLES)
    if len(password) < 8:
        raise InvalidValue("password must be at least 8 characters.")
    if repository.get_user_by_email(session, email):
        raise DuplicateEmail(f"A user with the email {email} exists already.")
    user = User(
        organization_id=organization.id,
        email=email,
        name=name.strip()[:200] or email.split("@")[0],
        password_hash=hasher.hash(password),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def set_password(
    session: Session, *, user: User, password: str, hasher: PasswordHasher = PASSWORD_HASHER
) -> None:
    """Replace a user's password."""
    if len(password) < 8:
        raise InvalidValue("password must be at least 8 characters.")
    user.password_hash = hasher.hash(password)


def actor_for(session: Session, user: User, *, key_scope: str = "readwrite") -> Actor:
    organization = user.organization
    return Actor(
        user_id=user.id,
        email=user.email,
        organization_id=organization.id,
        organization_name=organization.name,
        plan=organization.plan,
        role=user.role,
        key_scope=key_scope,
        team_ids=repository.team_ids_of_user(session, user.id),
    )


def authenticate_password(session: Session, *, email: str, password: str) -> User:
    """Check an email and password; the same error whichever is wrong."""
    user = repository.get_user_by_email(session, email)
    try:
        PASSWORD_HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise InvalidLogin("The email or the password is wrong.") from None
    if user is None:
        raise InvalidLogin("The email or the password is wrong.")
    user.last_login_at = utcnow()
    return user


def create_team(session: Session, *, organization: Organization, name: str) -> Team:
    """Create a team in an organization."""
    name = _require_name("name", name)
    if repository.get_team_by_name(session, organization.id, name):
        raise DuplicateName(f"A team named {name!r} exists already in {organization.name}.")
    team = Team(organization_id=organization.id, name=name)
    session.add(team)
    session.flush()
    return team


def add_team_member(session: Session, *, team: Team, user: User) -> None:
    """Add a user to a team of their organization (idempotent)."""
    if user.organization_id != team.organization_id:
        raise InvalidValue(f"{user.email} is not in the team's organization.")
    if not repository.is_member(session, team.id, user.id):
        session.add(TeamMember(team_id=team.id, user_id=user.id))
        session.flush()


def remove_team_member(session: Session, *, team: Team, user: User) -> None:
    member = session.get(TeamMember, (team.id, user.id))
    if member is not None:
        session.delete(member)
        session.flush()


def get_team(session: Session, team_id: str, *, organization_id: str | None = None) -> Team:
    team = repository.get_team(session, team_id)
    if team is None or (organization_id and team.organization_id != organization_id):
        raise NotFound(f"No team with id {team_id}.")
    return team


def list_teams(session: Session, *, actor: Actor) -> Sequence[Team]:
    authorize(actor, Action.VIEW_TEAMS)
    return repository.list_teams(session, actor.organization_id)


def create_api_key(
    session: Session, *, user: User, access: str, name: str = ""
) -> tuple[ApiKey, str]:
    """Mint a key; the plain key is returned once and only its hash is kept."""
    _require_choice("access", access, ACCESS_LEVELS)
    plain = secrets.token_urlsafe(33)
    assert len(plain) == API_KEY_LENGTH
    key = ApiKey(
        user_id=user.id,
        name=name.strip()[:200],
        prefix=plain[:6],
        key_hash=digest(plain),
        access=access,
    )
    session.add(key)
    session.flush()
    return key, plain


def authenticate_api_key(session: Session, plain: str) -> tuple[ApiKey, Actor]:
    """Resolve a bearer key to the actor it acts as."""
    if len(plain) != API_KEY_LENGTH:
        raise InvalidApiKey(f"The API key is malformed: keys are {API_KEY_LENGTH} characters.")
    key = repository.get_api_key_by_hash(session, digest(plain))
    if key is None:
        raise InvalidApiKey("The API key is not known.")
    if key.revoked_at is not None:
        raise InvalidApiKey("The API key was revoked.")
    return key, actor_for(session, key.user, key_scope=key.access)


def record_key_uses(session: Session, uses: Mapping[str, datetime]) -> None:
    """Write the ``last_used_at`` of many keys at once (the API collects them in memory)."""
    if uses:
        repository.set_keys_last_used(session, uses)


def list_api_keys(session: Session, *, user: User) -> Sequence[ApiKey]:
    return repository.list_api_keys(session, user.id)


def revoke_api_key(session: Session, *, key_id: str, user: User | None = None) -> ApiKey:
    """Revoke a key (of ``user`` when given)."""
    key = session.get(ApiKey, key_id)
    if key is None or (user is not None and key.user_id != user.id):
        raise NotFound(f"No API key with id {key_id}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def start_web_session(session: Session, *, user: User) -> tuple[WebSession, str]:
    """A login: returns the session row and the cookie value (only its hash is stored)."""
    cookie = secrets.token_urlsafe(32)
    web_session = WebSession(
        id=digest(cookie),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(web_session)
    session.flush()
    return web_session, cookie


def resolve_web_session(session: Session, cookie: str) -> WebSession | None:
    web_session = repository.get_web_session(session, digest(cookie))
    if web_session is None or web_session.expires_at <= utcnow():
        return None
    return web_session


def end_web_session(session: Session, cookie: str) -> None:
    web_session = repository.get_web_session(session, digest(cookie))
    if web_session is not None:
        session.delete(web_session)
