"""Who may do what: the one place that decides it.

Every entry point asks ``authorize(actor, action, account)``; nothing else compares roles.

- Azure accounts and the API need the ``pro`` or ``enterprise`` plan (except reading one's profile).
- An account is visible to its creator, to owners and administrators of its organization and to
  members of the teams in its access lists; to everyone else it does not exist (404).
- A key acts with the lesser of its own access and its user's role: a viewer never writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from cloudcanvas.errors import Forbidden, NotFound

PLANS = ("free", "pro", "enterprise")
PAID_PLANS = frozenset({"pro", "enterprise"})
ROLES = ("owner", "administrator", "user", "viewer")
ADMIN_ROLES = frozenset({"owner", "administrator"})
ACCESS_LEVELS = ("read", "readwrite")


class Action(StrEnum):
    READ_PROFILE = "read_profile"
    USE_API = "use_api"
    VIEW_TEAMS = "view_teams"
    MANAGE_TEAMS = "manage_teams"
    VIEW_API_KEYS = "view_api_keys"
    MANAGE_API_KEYS = "manage_api_keys"
    CONNECT_ACCOUNT = "connect_account"
    VIEW_ACCOUNT = "view_account"
    SCAN_ACCOUNT = "scan_account"
    EDIT_ACCOUNT = "edit_account"
    SHARE_ACCOUNT = "share_account"
    REMOVE_ACCOUNT = "remove_account"
    VIEW_AUDIT = "view_audit"
    CREATE_BLUEPRINT = "create_blueprint"
    VIEW_BLUEPRINT = "view_blueprint"
    EDIT_BLUEPRINT = "edit_blueprint"
    SHARE_BLUEPRINT = "share_blueprint"
    DELETE_BLUEPRINT = "delete_blueprint"


# Actions that change something: refused to read-only keys and to viewers.
WRITES = frozenset(
    {
        Action.MANAGE_TEAMS,
        Action.MANAGE_API_KEYS,
        Action.CONNECT_ACCOUNT,
        Action.EDIT_ACCOUNT,
        Action.SHARE_ACCOUNT,
        Action.REMOVE_ACCOUNT,
        Action.CREATE_BLUEPRINT,
        Action.EDIT_BLUEPRINT,
        Action.SHARE_BLUEPRINT,
        Action.DELETE_BLUEPRINT,
    }
)
# Blueprints are diagrams: every plan has them (Cloudcraft's free plan too); the API stays paid.
BLUEPRINT_ACTIONS = frozenset(
    {
        Action.VIEW_BLUEPRINT,
        Action.EDIT_BLUEPRINT,
        Action.SHARE_BLUEPRINT,
        Action.DELETE_BLUEPRINT,
    }
)
ACCOUNT_ACTIONS = frozenset(
    {
        Action.VIEW_ACCOUNT,
        Action.SCAN_ACCOUNT,
        Action.EDIT_ACCOUNT,
        Action.SHARE_ACCOUNT,
        Action.REMOVE_ACCOUNT,
    }
)
ADMIN_ONLY = frozenset(
    {
        Action.MANAGE_TEAMS,
        Action.MANAGE_API_KEYS,
        Action.CONNECT_ACCOUNT,
        Action.SHARE_ACCOUNT,
        Action.REMOVE_ACCOUNT,
        Action.VIEW_AUDIT,
    }
)


class AccountLike(Protocol):
    organization_id: str
    creator_id: str | None
    readers: list[str]
    writers: list[str]


@dataclass(frozen=True)
class Actor:
    """A user acting through the web UI, an API key or the operator's CLI."""

    user_id: str
    email: str
    organization_id: str
    organization_name: str
    plan: str
    role: str
    key_scope: str = (
        "readwrite"  # an API key's access level ("read"/"readwrite"); the web UI: readwrite
    )
    team_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def can_write(self) -> bool:
        return self.key_scope == "readwrite" and self.role != "viewer"


def team_ids_of(entries: list[str]) -> set[str]:
    """``["team/abc", "customer/x"]`` → ``{"abc"}``."""
    return {entry.split("/", 1)[1] for entry in entries if entry.startswith("team/")}


def can_see(actor: Actor, account: AccountLike) -> bool:
    if account.organization_id != actor.organization_id:
        return False
    if actor.is_admin or account.creator_id == actor.user_id:
        return True
    teams = team_ids_of(account.readers) | team_ids_of(account.writers)
    return bool(teams & actor.team_ids)


def can(actor: Actor, action: Action, account: AccountLike | None = None) -> bool:
    try:
        authorize(actor, action, account)
    except (Forbidden, NotFound):
        return False
    return True


def authorize(actor: Actor, action: Action, account: AccountLike | None = None) -> None:
    """Raise ``NotFound`` (cannot see it) or ``Forbidden`` (may not do it); return when allowed."""
    if action is Action.READ_PROFILE:
        return
    if action is Action.CREATE_BLUEPRINT or action in BLUEPRINT_ACTIONS:
        _authorize_blueprint(actor, action, account)
        return
    if actor.plan not in PAID_PLANS:
        raise Forbidden(
            f"The {actor.plan} plan does not include Azure accounts or the API; "
            "upgrade the organization to the pro or enterprise plan.",
            code="plan_required",
        )
    if action in ACCOUNT_ACTIONS and (account is None or not can_see(actor, account)):
        raise NotFound("No such Azure account.", code="not_found")
    if action in WRITES and not actor.can_write:
        reason = "a read-only API key" if actor.key_scope != "readwrite" else "the viewer role"
        raise Forbidden(f"This action changes data, which {reason} may not do.", code="read_only")
    if action in ADMIN_ONLY and not actor.is_admin:
        raise Forbidden(
            "Only an owner or administrator of the organization may do this.", code="forbidden"
        )
    if action is Action.EDIT_ACCOUNT and not actor.is_admin:
        assert account is not None
        if not (team_ids_of(account.writers) & actor.team_ids) or actor.role != "user":
            raise Forbidden(
                "Editing this account needs an owner, an administrator, or membership of a team "
                "with write access to it.",
                code="forbidden",
            )


def _authorize_blueprint(actor: Actor, action: Action, blueprint: AccountLike | None) -> None:
    """A blueprint is seen like an account; its creator and admins edit, share and delete it, and
    members of a team in ``writeAccess`` edit it. Viewers and read-only keys never write."""
    if action is not Action.CREATE_BLUEPRINT and (
        blueprint is None or not can_see(actor, blueprint)
    ):
        raise NotFound("No such blueprint.", code="not_found")
    if action in WRITES and not actor.can_write:
        reason = "a read-only API key" if actor.key_scope != "readwrite" else "the viewer role"
        raise Forbidden(f"This action changes data, which {reason} may not do.", code="read_only")
    if action in (Action.VIEW_BLUEPRINT, Action.CREATE_BLUEPRINT):
        return
    assert blueprint is not None
    if actor.is_admin or blueprint.creator_id == actor.user_id:
        return
    if action is Action.EDIT_BLUEPRINT and team_ids_of(blueprint.writers) & actor.team_ids:
        return
    raise Forbidden(
        "Only the blueprint's creator, an owner or an administrator may do this"
        + (
            ", or a member of a team with write access to it."
            if action is Action.EDIT_BLUEPRINT
            else "."
        ),
        code="forbidden",
    )
