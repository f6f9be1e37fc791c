"""Users, teams and API keys as the API answers them (Cloudcraft's shapes, camelCase)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudcanvas.store.base import iso
from cloudcanvas.store.models import ApiKey, Team, User
from cloudcanvas.wire import Wire


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=200)
    access: Literal["read", "readwrite"] = "read"


class OrganizationOut(Wire):
    id: str
    name: str
    plan: str


class UserOut(Wire):
    """``/user/me``: the key's user."""

    id: str
    name: str
    email: str
    settings: dict[str, Any]
    role: str
    organization: OrganizationOut
    created_at: str | None
    updated_at: str | None
    accessed_at: str | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        org = user.organization
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            settings={},
            role=user.role,
            organization=OrganizationOut(id=org.id, name=org.name, plan=org.plan),
            created_at=iso(user.created_at),
            updated_at=iso(user.updated_at),
            accessed_at=iso(user.last_login_at),
        )


class MemberOut(Wire):
    id: str
    name: str
    email: str
    role: str


class TeamOut(Wire):
    id: str
    name: str
    members: list[MemberOut]
    created_at: str | None
    updated_at: str | None

    @classmethod
    def of(cls, team: Team, members: list[User]) -> TeamOut:
        return cls(
            id=team.id,
            name=team.name,
            members=[MemberOut(id=u.id, name=u.name, email=u.email, role=u.role) for u in members],
            created_at=iso(team.created_at),
            updated_at=iso(team.updated_at),
        )


class TeamListOut(Wire):
    teams: list[TeamOut]


class ApiKeyOut(Wire):
    """A key as listed: never the key itself (only its prefix)."""

    id: str
    name: str
    prefix: str
    access: str
    created_at: str | None
    last_used_at: str | None
    revoked_at: str | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            access=key.access,
            created_at=iso(key.created_at),
            last_used_at=iso(key.last_used_at),
            revoked_at=iso(key.revoked_at),
        )


class NewApiKeyOut(ApiKeyOut):
    """A key just minted: the key is in this answer and nowhere else, ever."""

    key: str


class ApiKeyListOut(Wire):
    keys: list[ApiKeyOut]
