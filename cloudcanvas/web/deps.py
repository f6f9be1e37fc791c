"""Dependencies of the web pages: the session, the logged-in user and CSRF protection."""

from __future__ import annotations

import hmac
from typing import Annotated, cast

from fastapi import Depends, Request

from cloudcanvas.errors import Forbidden, NotAuthenticated
from cloudcanvas.http.deps import SessionDep, SettingsDep
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.models import User

# The pages take the shared ones from here, beside the web's own.
__all__ = [
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "SessionDep",
    "SettingsDep",
    "WebActorDep",
    "get_web_actor",
    "web_user",
]

SESSION_COOKIE = "cloudcanvas_session"
CSRF_HEADER = "x-csrf-token"


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
