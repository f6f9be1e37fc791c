"""Dependencies of the web pages: the session, the logged-in user and CSRF protection."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cloudcanvas.config import Settings
from cloudcanvas.errors import Forbidden, NotAuthenticated
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import User

SESSION_COOKIE = "cloudcanvas_session"
CSRF_HEADER = "x-csrf-token"


def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def get_session(request: Request) -> Iterator[Session]:
    with cast(Database, request.app.state.db).session() as session:
        yield session


# scope="function": commit before the response goes out, so that whoever reads next (a redirect,
# a worker given the job) sees what this request wrote.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def _submitted_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if "form" in content_type:
        form = await request.form()
        return str(form.get("csrf_token", ""))
    return ""


async def get_web_actor(request: Request, session: SessionDep) -> Actor:
    """The logged-in user; every non-GET request must carry the session's CSRF token."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    web_session = identity_service.resolve_web_session(session, cookie) if cookie else None
    if web_session is None:
        raise NotAuthenticated("Log in to continue.", code="login_required")
    if request.method not in ("GET", "HEAD"):
        submitted = await _submitted_csrf(request)
        if not hmac.compare_digest(submitted, web_session.csrf_token):
            raise Forbidden(
                "The form expired or did not come from this site; reload the page and try again.",
                code="csrf_failed",
            )
    request.state.user = web_session.user
    request.state.csrf_token = web_session.csrf_token
    actor = identity_service.actor_for(session, web_session.user)
    request.state.actor = actor
    return actor


WebActorDep = Annotated[Actor, Depends(get_web_actor)]


def web_user(request: Request) -> User:
    return cast(User, request.state.user)
