"""Dependencies of the API routes: the session, the acting key, the settings."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cloudcanvas.api.keycache import KeyCache, KeyUses
from cloudcanvas.api.ratelimit import RateLimiter
from cloudcanvas.errors import NotAuthenticated
from cloudcanvas.http.deps import SessionDep, SettingsDep, get_database
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.store.models import User

# The routes take the shared ones from here, beside the API's own.
__all__ = [
    "ActorDep",
    "KeyActorDep",
    "SessionDep",
    "SettingsDep",
    "current_user",
    "get_api_actor",
    "get_database",
    "get_key_actor",
]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(
            "Missing API key: send the header 'Authorization: Bearer <key>'.",
            code="missing_api_key",
        )
    return token.strip()


def key_cache(request: Request) -> KeyCache:
    return cast(KeyCache, request.app.state.key_cache)


def get_key_actor(request: Request, session: SessionDep) -> Actor:
    """The actor behind the bearer key, after the rate limit.

    The session connects lazily: a cached key that is over its limit costs no connection.
    """
    plain = _bearer(request)
    cache = key_cache(request)
    hashed = identity_service.digest(plain)
    cached = cache.get(hashed)
    if cached is None:
        key, actor = identity_service.authenticate_api_key(session, plain)
        cache.put(hashed, key.id, actor)
        key_id = key.id
    else:
        key_id, actor = cached.key_id, cached.actor
    cast(KeyUses, request.app.state.key_uses).note(key_id)
    cast(RateLimiter, request.app.state.limiter).hit(key_id)
    request.state.actor = actor
    return actor


def get_api_actor(actor: Annotated[Actor, Depends(get_key_actor)]) -> Actor:
    """An actor allowed to use the API at all (the plan includes it)."""
    authorize(actor, Action.USE_API)
    return actor


KeyActorDep = Annotated[Actor, Depends(get_key_actor)]
ActorDep = Annotated[Actor, Depends(get_api_actor)]


def current_user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotAuthenticated("The user of this API key no longer exists.")
    return user
