"""``/api/user/me``, ``/api/team`` and ``/api/apikey`` in Cloudcraft's shapes."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from cloudcanvas.api.deps import ActorDep, KeyActorDep, SessionDep, current_user, key_cache
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, authorize
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import ApiKey

router = APIRouter()


@router.get("/user/me")
def read_user_profile(session: SessionDep, actor: KeyActorDep) -> dict[str, Any]:
    """The profile of the key's user (Cloudcraft shape); allowed on every plan."""
    user = current_user(session, actor)
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "settings": {},
        "role": user.role,
        "organization": {
            "id": user.organization.id,
            "name": user.organization.name,
            "plan": user.organization.plan,
        },
        "createdAt": iso(user.created_at),
        "updatedAt": iso(user.updated_at),
        "accessedAt": iso(user.last_login_at),
    }


@router.get("/team")
def list_teams(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The organization's teams with their members."""
    teams = identity_service.list_teams(session, actor=actor)
    return {
        "teams": [
            {
                "id": team.id,
                "name": team.name,
                "members": [
                    {"id": u.id, "name": u.name, "email": u.email, "role": u.role}
                    for u in identity_repository.team_members(session, team.id)
                ],
                "createdAt": iso(team.created_at),
                "updatedAt": iso(team.updated_at),
            }
            for team in teams
        ]
    }


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=200)
    access: Literal["read", "readwrite"] = "read"


def key_json(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "access": key.access,
        "createdAt": iso(key.created_at),
        "lastUsedAt": iso(key.last_used_at),
        "revokedAt": iso(key.revoked_at),
    }


@router.get("/apikey")
def list_api_keys(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The caller's API keys (never the keys themselves)."""
    keys = identity_service.list_api_keys(session, user=current_user(session, actor))
    return {"keys": [key_json(k) for k in keys]}


@router.post("/apikey", status_code=201)
def create_api_key(session: SessionDep, actor: ActorDep, body: ApiKeyCreate) -> dict[str, Any]:
    """Mint a key for the caller; the key is in this response and nowhere else, ever."""
    authorize(actor, Action.MANAGE_API_KEYS)
    key, plain = identity_service.create_api_key(
        session, user=current_user(session, actor), access=body.access, name=body.name
    )
    return {**key_json(key), "key": plain}


@router.delete("/apikey/{key_id}", status_code=204)
def revoke_api_key(request: Request, session: SessionDep, actor: ActorDep, key_id: str) -> Response:
    """Revoke one of the caller's keys."""
    authorize(actor, Action.MANAGE_API_KEYS)
    identity_service.revoke_api_key(session, key_id=key_id, user=current_user(session, actor))
    key_cache(request).clear()
    return Response(status_code=204)
