"""Test data made through the real services."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.models import Organization, Team, User

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_org(session: Session, plan: str = "pro", name: str | None = None) -> Organization:
    return identity_service.create_organization(
        session, name=name or f"Org {next(_counter)}", plan=plan
    )


def make_user(
    session: Session, org: Organization, role: str = "user", email: str | None = None
) -> User:
    return identity_service.create_user(
        session,
        organization=org,
        email=email or f"user{next(_counter)}@example.com",
        password=PASSWORD,
        role=role,
    )


def make_team(session: Session, org: Organization, *members: User) -> Team:
    team = identity_service.create_team(session, organization=org, name=f"Team {next(_counter)}")
    for member in members:
        identity_service.add_team_member(session, team=team, user=member)
    return team


def actor(session: Session, user: User, access: str = "readwrite") -> Actor:
    return identity_service.actor_for(session, user, access=access)
