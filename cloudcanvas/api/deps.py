"""Dependencies of the API routes: the session, the acting key, the settings."""

from __future__ import annotations

import logging
from typing import Annotated, cast

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cloudcanvas.errors import NotAuthenticated
from cloudcanvas.http.deps import SessionDep, SettingsDep, get_database
from cloudcanvas.http.ratelimit import RateLimiter
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import User

log = logging.getLogger(__name__)

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


def get_key_actor(request: Request, session: SessionDep, background: BackgroundTasks) -> Actor:
    """The actor behind the bearer key, after the rate limit."""
    token = _bearer(request)
    # Counted before the database is asked: a throttled client costs no connection.
    limiter = cast(RateLimiter, request.app.state.limiter)
    limiter.hit(identity_service.api_key_fingerprint(token))
    key, actor = identity_service.authenticate_api_key(session, token)
    if identity_service.needs_last_used(key):
        # After the response, when this request's connection is back in the pool: holding one
        # connection while asking for another starves the pool under load.
        background.add_task(_record_use, get_database(request), key.id)
    request.state.actor = actor
    return actor


def _record_use(database: Database, key_id: str) -> None:
    """Best effort, in a transaction of its own that ends at once (see ``touch_api_key``)."""
    try:
        with database.session() as own:
            identity_service.touch_api_key(own, key_id)
    except SQLAlchemyError as error:  # a busy database: the next request records it
        log.info("last use of API key %s not recorded: %s", key_id, type(error).__name__)


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
