"""Users page (User menu → Users): owners and administrators invite users, change their roles and
remove them.

A new user gets a generated initial password, shown once after the redirect (``web.once``) and
never logged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cloudcanvas.errors import AppError
from cloudcanvas.identity import members
from cloudcanvas.identity.policy import ROLES
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.once import forget, show_once, shown_once
from cloudcanvas.web.templating import render

router = APIRouter()
USERS_PATH = "/settings/users"
NEW_USER_COOKIE = "cloudcanvas_new_user"


@router.get(USERS_PATH)
def users_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """The organization's users; the password of the user just invited is shown once."""
    context = {
        "users": members.list_users(session, actor=actor),
        "roles": ROLES,
        "invited": _invited(shown_once(request, NEW_USER_COOKIE)),
    }
    response = render(request, "users.html", context)
    forget(response, name=NEW_USER_COOKIE, path=USERS_PATH)
    return response


def _invited(cookie: str) -> dict[str, str] | None:
    email, _, password = cookie.partition(" ")
    return {"email": email, "password": password} if email and password else None


@router.post(USERS_PATH)
def invite_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "user",
) -> Response:
    """Create a user, then redirect to the list that shows their initial password once."""
    try:
        user, password = members.invite_user(
            session, actor=actor, email=email, name=name, role=role
        )
    except AppError as error:
        if error.status_code not in (400, 409):
            raise
        context = {
            "users": members.list_users(session, actor=actor),
            "roles": ROLES,
            "error": error.message,
            "form": {"email": email, "name": name, "role": role},
        }
        return render(request, "users.html", context, status_code=error.status_code)
    response = RedirectResponse(USERS_PATH, status_code=303)
    show_once(
        response, settings, name=NEW_USER_COOKIE, value=f"{user.email} {password}", path=USERS_PATH
    )
    return response


@router.post(USERS_PATH + "/{user_id}/role")
def change_role(
    session: SessionDep, actor: WebActorDep, user_id: str, role: Annotated[str, Form()]
) -> Response:
    """Give a user another role."""
    members.change_role(session, actor=actor, user_id=user_id, role=role)
    return RedirectResponse(USERS_PATH, status_code=303)


@router.post(USERS_PATH + "/{user_id}/active")
def set_active(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    user_id: str,
    active: Annotated[str, Form()],
) -> Response:
    """Deactivate or reactivate a user."""
    members.set_active(session, actor=actor, user_id=user_id, active=active == "true")
    request.app.state.key_cache.clear()  # the API must not go on trusting their keys
    return RedirectResponse(USERS_PATH, status_code=303)


@router.post(USERS_PATH + "/{user_id}/remove")
def remove_user(
    request: Request, session: SessionDep, actor: WebActorDep, user_id: str
) -> Response:
    """Remove a user from the organization."""
    members.remove_user(session, actor=actor, user_id=user_id)
    request.app.state.key_cache.clear()
    return RedirectResponse(USERS_PATH, status_code=303)
