"""``/api/user/me``, ``/api/team`` and ``/api/apikey`` in Cloudcraft's shapes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, KeyActorDep, SessionDep, current_user, key_cache
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, authorize
from cloudcanvas.identity.schemas import (
    ApiKeyCreate,
    ApiKeyListOut,
    ApiKeyOut,
    NewApiKeyOut,
    TeamListOut,
    TeamOut,
    UserOut,
)

router = APIRouter()


@router.get("/user/me")
def read_user_profile(session: SessionDep, actor: KeyActorDep) -> UserOut:
    """The profile of the key's user (Cloudcraft shape); allowed on every plan."""
    return UserOut.of(current_user(session, actor))


@router.get("/team")
def list_teams(session: SessionDep, actor: ActorDep) -> TeamListOut:
    """The organization's teams with their members."""
    teams = identity_service.list_teams(session, actor=actor)
    return TeamListOut(
        teams=[
            TeamOut.of(team, list(identity_repository.team_members(session, team.id)))
            for team in teams
        ]
    )


@router.get("/apikey")
def list_api_keys(session: SessionDep, actor: ActorDep) -> ApiKeyListOut:
    """The caller's API keys (never the keys themselves)."""
    keys = identity_service.list_api_keys(session, user=current_user(session, actor))
    return ApiKeyListOut(keys=[ApiKeyOut.of(k) for k in keys])


@router.post("/apikey", status_code=201)
def create_api_key(session: SessionDep, actor: ActorDep, body: ApiKeyCreate) -> NewApiKeyOut:
    """Mint a key for the caller; the key is in this response and nowhere else, ever."""
    authorize(actor, Action.MANAGE_API_KEYS)
    key, plain = identity_service.create_api_key(
        session, user=current_user(session, actor), access=body.access, name=body.name
    )
    return NewApiKeyOut(**ApiKeyOut.of(key).model_dump(), key=plain)


@router.delete("/apikey/{key_id}", status_code=204)
def revoke_api_key(request: Request, session: SessionDep, actor: ActorDep, key_id: str) -> Response:
    """Revoke one of the caller's keys."""
    authorize(actor, Action.MANAGE_API_KEYS)
    identity_service.revoke_api_key(session, key_id=key_id, user=current_user(session, actor))
    key_cache(request).clear()
    return Response(status_code=204)
