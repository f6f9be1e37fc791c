"""Test data made through the real services."""

from __future__ import annotations

import itertools
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.store.models import AzureAccount, Organization, Snapshot, Team, User

_counter = itertools.count(1)
PASSWORD = "correct horse battery"
# Real argon2 with the cheapest costs, so that hundreds of test users stay quick.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


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
        hasher=FAST_HASHER,
    )


def make_team(session: Session, org: Organization, *members: User) -> Team:
    team = identity_service.create_team(session, organization=org, name=f"Team {next(_counter)}")
    for member in members:
        identity_service.add_team_member(session, team=team, user=member)
    return team


def actor(session: Session, user: User, key_scope: str = "readwrite") -> Actor:
    return identity_service.actor_for(session, user, key_scope=key_scope)


def connect_account(
    session: Session, settings: Settings, owner: User | None = None, **fields: Any
) -> AzureAccount:
    """An Azure account connected through the real service (checked against the simulator):
    the Production subscription read by the READER principal, unless ``fields`` say otherwise."""
    from cloudcanvas.accounts import service as account_service
    from cloudcanvas.accounts.schemas import AccountCreate
    from tests.azure_env import PRODUCTION, READER, TENANT

    owner = owner or make_user(session, make_org(session), role="owner")
    data = {
        "name": "Production",
        "subscriptionId": PRODUCTION,
        "directoryId": TENANT,
        "applicationId": READER.app_id,
        "clientSecret": READER.secret,
    } | fields
    return account_service.create_account(
        session,
        actor=actor(session, owner),
        data=AccountCreate.model_validate(data),
        azure=account_service.AzureContext.from_settings(settings),
    )


def add_snapshot(session: Session, account_id: str, inventory: Inventory, tag: str) -> Snapshot:
    """A snapshot of ``inventory`` stored for the account as if a scan had found it (large
    estates, without scanning them). Snapshots of the same ``tag`` and size share an app's caches
    (their content hash)."""
    from cloudcanvas.inventory.codec import encode_inventory, location_index
    from cloudcanvas.store.base import utcnow

    snapshot = Snapshot(
        account_id=account_id,
        created_at=utcnow(),
        resource_count=len(inventory),
        location_index=location_index(inventory),
        type_counts=inventory.counts_by_type(),
        content_hash=f"{tag}-{len(inventory)}",
        data=encode_inventory(inventory),
    )
    session.add(snapshot)
    session.flush()
    return snapshot
