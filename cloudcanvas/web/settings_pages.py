"""API keys page (User menu); teams are in ``teams.py``, users in ``users.py``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cloudcanvas.errors import AppError, BadRequest
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, authorize, can
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep, web_user
from cloudcanvas.web.once import forget, show_once, shown_once
from cloudcanvas.web.templating import render

router = APIRouter()
# The key minted by the last POST is shown once by the GET it redirects to (``web.once``).
NEW_KEY_COOKIE = "cloudcanvas_new_key"
API_KEYS_PATH = "/settings/api-keys"


@router.get("/settings/api-keys")
def api_keys_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """The user's API keys; the key just created is shown once."""
    keys = identity_service.list_api_keys(session, user=web_user(request))
    context = {
        "keys": keys,
        "may_manage": can(actor, Action.MANAGE_API_KEYS),
        "new_key": shown_once(request, NEW_KEY_COOKIE),
    }
    response = render(request, "api_keys.html", context)
    forget(response, name=NEW_KEY_COOKIE, path=API_KEYS_PATH)
    return response


@router.post("/settings/api-keys")
def create_api_key(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    name: Annotated[str, Form()] = "",
    access: Annotated[str, Form()] = "read",
) -> Response:
    """Mint a key, then redirect to the list that shows it once."""
    authorize(actor, Action.MANAGE_API_KEYS)
    user = web_user(request)
    try:
        if not name.strip():
            raise BadRequest("Name the key: say what will use it, such as “CI pipeline”.")
        _key, plain = identity_service.create_api_key(session, user=user, access=access, name=name)
    except AppError as error:
        keys = identity_service.list_api_keys(session, user=user)
        context = {"keys": keys, "may_manage": True, "error": error.message, "name": name}
        return render(request, "api_keys.html", context, status_code=400)
    response = RedirectResponse(API_KEYS_PATH, status_code=303)
    show_once(response, settings, name=NEW_KEY_COOKIE, value=plain, path=API_KEYS_PATH)
    return response


@router.post("/settings/api-keys/{key_id}/revoke")
def revoke_api_key(
    request: Request, session: SessionDep, actor: WebActorDep, key_id: str
) -> Response:
    """Revoke one of the user's keys."""
    authorize(actor, Action.MANAGE_API_KEYS)
    identity_service.revoke_api_key(session, key_id=key_id, user=web_user(request))
    request.app.state.key_cache.clear()  # the API must not go on trusting the revoked key
    return RedirectResponse("/settings/api-keys", status_code=303)
