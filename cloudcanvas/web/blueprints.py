"""The Blueprints page: list, rename, duplicate, delete, share settings and versions.

Every change goes through the blueprint services (the same rules as the API), by forms carrying
the CSRF token, answered with a redirect (post/redirect/get). The editor, ``/blueprints/{id}``,
is not here. "Save as blueprint" from the account viewer is, since it makes a blueprint.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import service as account_service
from cloudcanvas.blueprint import live, service
from cloudcanvas.blueprint import share as share_service
from cloudcanvas.blueprint.schemas import MAX_NAME, BlueprintWrite
from cloudcanvas.diagram import RenderOptions
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.query import options_from_query, parse_location
from cloudcanvas.errors import BadRequest
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity.policy import Action, Actor, can, can_see
from cloudcanvas.store.models import Blueprint
from cloudcanvas.web.account_forms import FLASH_COOKIE, done
from cloudcanvas.web.deps import SessionDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()
LIST = "/blueprints"
NameField = Annotated[str, Form()]


def _flashed(request: Request, name: str, context: dict[str, Any]) -> Response:
    context["flash"] = unquote(request.cookies.get(FLASH_COOKIE, ""))
    response = render(request, name, context)
    response.delete_cookie(FLASH_COOKIE)
    return response


def _rows(session: SessionDep, actor: Actor, found: list[Blueprint]) -> list[dict[str, Any]]:
    accounts = {
        a.id: a.name
        for a in account_repository.list_for_organization(session, actor.organization_id)
        if can_see(actor, a)
    }
    users = {u.id: u.email for u in identity_repository.list_users(session, actor.organization_id)}
    return [
        {
            "blueprint": b,
            "live_account": accounts.get(b.live_account_id or ""),
            "last_editor": users.get(b.last_user_id or "", ""),
            "may_edit": can(actor, Action.EDIT_BLUEPRINT, b),
            "may_delete": can(actor, Action.DELETE_BLUEPRINT, b),
            "may_share": can(actor, Action.SHARE_BLUEPRINT, b),
        }
        for b in found
    ]


@router.get("/blueprints")
def blueprints_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """The blueprints the user can read, newest change first."""
    found = service.list_blueprints(session, actor=actor)
    context = {
        "rows": _rows(session, actor, found),
        "may_create": can(actor, Action.CREATE_BLUEPRINT),
    }
    return _flashed(request, "blueprints/list.html", context)


def _name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > MAX_NAME:
        raise BadRequest(f"Name the blueprint in 1 to {MAX_NAME} characters.")
    return name


@router.post("/blueprints/{blueprint_id}/rename")
def rename(session: SessionDep, actor: WebActorDep, blueprint_id: str, name: NameField) -> Response:
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    new_name = _name(name)
    write = BlueprintWrite(data=dict(blueprint.data) | {"name": new_name}, name=new_name)
    service.update_blueprint(
        session, actor=actor, blueprint_id=blueprint_id, write=write, reason="rename"
    )
    return done(f"Renamed to “{new_name}”.", LIST)


@router.post("/blueprints/{blueprint_id}/duplicate")
def duplicate(session: SessionDep, actor: WebActorDep, blueprint_id: str) -> Response:
    """A copy of the blueprint, the user's own (its access lists are not copied)."""
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    name = f"{blueprint.name} (copy)"[:MAX_NAME]
    write = BlueprintWrite(data=dict(blueprint.data) | {"name": name}, name=name)
    service.create_blueprint(session, actor=actor, write=write)
    return done(f"Made “{name}”.", LIST)


@router.post("/blueprints/{blueprint_id}/delete")
def delete(session: SessionDep, actor: WebActorDep, blueprint_id: str) -> Response:
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    name = blueprint.name
    service.delete_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    return done(f"Deleted “{name}”.", LIST)


# ---- share settings ----------------------------------------------------------------------------


@router.get("/blueprints/{blueprint_id}/share")
def share_page(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str
) -> Response:
    blueprint, share = share_service.get_share(session, actor=actor, blueprint_id=blueprint_id)
    link = str(request.base_url).rstrip("/") + share_service.share_path(share) if share else ""
    context = {"blueprint": blueprint, "share": share, "link": link}
    return _flashed(request, "blueprints/share_settings.html", context)


def _to_share(blueprint_id: str, message: str) -> Response:
    return done(message, f"/blueprints/{blueprint_id}/share")


@router.post("/blueprints/{blueprint_id}/share")
def enable_share(
    session: SessionDep,
    actor: WebActorDep,
    blueprint_id: str,
    embeddable: Annotated[str, Form()] = "",
) -> Response:
    """Share by link; with ``embeddable`` (on/off) also set the embed opt-in."""
    embed = None if embeddable == "" else embeddable == "on"
    share_service.enable_share(session, actor=actor, blueprint_id=blueprint_id, embeddable=embed)
    message = (
        "Sharing by link." if embed is None else f"Embedding {'allowed' if embed else 'refused'}."
    )
    return _to_share(blueprint_id, message)


@router.post("/blueprints/{blueprint_id}/share/rotate")
def rotate_share(session: SessionDep, actor: WebActorDep, blueprint_id: str) -> Response:
    share_service.rotate_key(session, actor=actor, blueprint_id=blueprint_id)
    return _to_share(blueprint_id, "New link made: the old links no longer open the blueprint.")


@router.post("/blueprints/{blueprint_id}/share/revoke")
def revoke_share(session: SessionDep, actor: WebActorDep, blueprint_id: str) -> Response:
    share_service.revoke_share(session, actor=actor, blueprint_id=blueprint_id)
    return _to_share(blueprint_id, "Sharing stopped: the link no longer opens the blueprint.")


# ---- versions ----------------------------------------------------------------------------------


@router.get("/blueprints/{blueprint_id}/versions")
def versions_page(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str
) -> Response:
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    found = service.list_versions(session, actor=actor, blueprint_id=blueprint_id)
    users = {u.id: u.email for u in identity_repository.list_users(session, actor.organization_id)}
    context = {
        "blueprint": blueprint,
        "versions": found,
        "users": users,
        "may_edit": can(actor, Action.EDIT_BLUEPRINT, blueprint),
        "may_create": can(actor, Action.CREATE_BLUEPRINT),
    }
    return _flashed(request, "blueprints/versions.html", context)


@router.get("/blueprints/{blueprint_id}/versions/{version_id}")
def version_page(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str, version_id: str
) -> Response:
    """One version drawn read-only, as its SVG export draws it."""
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    version = service.get_version(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    svg = render_document(version.data, "svg", RenderOptions(), name=version.name).decode()
    context = {
        "blueprint": blueprint,
        "version": version,
        "svg": svg,
        "may_edit": can(actor, Action.EDIT_BLUEPRINT, blueprint),
        "may_create": can(actor, Action.CREATE_BLUEPRINT),
    }
    return render(request, "blueprints/version.html", context)


@router.post("/blueprints/{blueprint_id}/versions/{version_id}/restore")
def restore_version(
    session: SessionDep, actor: WebActorDep, blueprint_id: str, version_id: str
) -> Response:
    service.restore_version(session, actor=actor, blueprint_id=blueprint_id, version_id=version_id)
    return done("Version restored.", f"/blueprints/{blueprint_id}/versions")


@router.post("/blueprints/{blueprint_id}/versions/{version_id}/copy")
def copy_version(
    session: SessionDep, actor: WebActorDep, blueprint_id: str, version_id: str
) -> Response:
    copy = service.save_version_as(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    return done(f"Saved as “{copy.name}”.", LIST)


# ---- save a viewer's view as a blueprint -------------------------------------------------------


@router.post("/azure/accounts/{account_id}/blueprint")
def save_view_as_blueprint(
    session: SessionDep,
    actor: WebActorDep,
    account_id: str,
    location: Annotated[str, Form()] = "",
    groupBy: Annotated[str, Form()] = "",  # noqa: N803 - the viewer's query name
    filter: Annotated[str, Form()] = "",  # noqa: A002
    theme: Annotated[str, Form()] = "",
    projection: Annotated[str, Form()] = "",
) -> Response:
    """A live blueprint of the viewer's current view (location, grouping, filter, theme): it
    follows the account's scans; then open it in the editor."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    params = {"groupBy": groupBy, "filter": filter, "theme": theme, "projection": projection}
    opts = options_from_query({k: v for k, v in params.items() if v})
    blueprint = live.save_view(
        session, actor=actor, account=account, location=parse_location(location), opts=opts
    )
    return done(f"Saved “{blueprint.name}” as a live blueprint.", f"/blueprints/{blueprint.id}")
