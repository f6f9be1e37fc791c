"""``/api/blueprint``: Cloudcraft's blueprint endpoints (list, create, read, update, delete, export)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep
from cloudcanvas.blueprint import service
from cloudcanvas.blueprint import share as share_service
from cloudcanvas.blueprint.schemas import BlueprintWrite, blueprint_json, etag, parse_write
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import BadRequest
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import BlueprintShare, BlueprintVersion

router = APIRouter()


async def _write_of(request: Request) -> BlueprintWrite:
    """The body as a blueprint write; the size cap is BodyLimitMiddleware's."""
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    return parse_write(payload)


@router.get("/blueprint")
def list_blueprints(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The blueprints the caller can see, without their documents."""
    found = service.list_blueprints(session, actor=actor)
    return {"blueprints": [blueprint_json(b, with_data=False) for b in found]}


@router.post("/blueprint", status_code=201)
async def create_blueprint(
    request: Request, session: SessionDep, actor: ActorDep, response: Response
) -> dict[str, Any]:
    """A new blueprint from ``{"data": ...}`` or a snapshot JSON document posted as is."""
    write = await _write_of(request)
    blueprint = service.create_blueprint(session, actor=actor, write=write)
    response.headers["ETag"] = etag(blueprint)
    return blueprint_json(blueprint)


@router.get("/blueprint/{blueprint_id}")
def read_blueprint(
    session: SessionDep, actor: ActorDep, blueprint_id: str, response: Response
) -> dict[str, Any]:
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    response.headers["ETag"] = etag(blueprint)
    return blueprint_json(blueprint)


@router.put("/blueprint/{blueprint_id}", status_code=204)
async def update_blueprint(
    request: Request, session: SessionDep, actor: ActorDep, blueprint_id: str
) -> Response:
    """Replace the whole document; a stale ``If-Match`` answers 412 and changes nothing."""
    write = await _write_of(request)
    blueprint = service.update_blueprint(
        session,
        actor=actor,
        blueprint_id=blueprint_id,
        write=write,
        if_match=request.headers.get("if-match"),
    )
    return Response(status_code=204, headers={"ETag": etag(blueprint)})


@router.delete("/blueprint/{blueprint_id}", status_code=204)
def delete_blueprint(session: SessionDep, actor: ActorDep, blueprint_id: str) -> Response:
    service.delete_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    return Response(status_code=204)


def _version_json(version: BlueprintVersion, *, with_data: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": version.id,
        "name": version.name,
        "reason": version.reason,
        "UserId": version.user_id,
        "createdAt": iso(version.created_at),
    }
    if with_data:
        body["data"] = version.data
    return body


# Declared before the export route, whose ``{fmt}`` would otherwise take "versions".
@router.get("/blueprint/{blueprint_id}/versions")
def list_versions(session: SessionDep, actor: ActorDep, blueprint_id: str) -> dict[str, Any]:
    """The blueprint's saved versions, newest first (without their documents)."""
    found = service.list_versions(session, actor=actor, blueprint_id=blueprint_id)
    return {"versions": [_version_json(v) for v in found]}


@router.get("/blueprint/{blueprint_id}/versions/{version_id}")
def read_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str
) -> dict[str, Any]:
    """One version with its document, read-only."""
    version = service.get_version(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    return _version_json(version, with_data=True)


@router.post("/blueprint/{blueprint_id}/versions/{version_id}/restore")
def restore_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str, response: Response
) -> dict[str, Any]:
    blueprint = service.restore_version(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    response.headers["ETag"] = etag(blueprint)
    return blueprint_json(blueprint)


@router.post("/blueprint/{blueprint_id}/versions/{version_id}/copy", status_code=201)
def copy_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str
) -> dict[str, Any]:
    """Save a version as a new blueprint."""
    blueprint = service.save_version_as(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    return blueprint_json(blueprint)


def _share_json(share: BlueprintShare | None) -> dict[str, Any]:
    if share is None:
        return {"enabled": False, "embeddable": False}
    return {
        "enabled": True,
        "shareId": share.id,
        "key": share.key,
        "url": share_service.share_path(share),
        "embeddable": share.embeddable,
        "createdAt": iso(share.created_at),
        "updatedAt": iso(share.updated_at),
    }


# Declared before the export route, whose ``{fmt}`` would otherwise take "share".
@router.get("/blueprint/{blueprint_id}/share")
def read_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> dict[str, Any]:
    """The blueprint's share link (creator, owners and administrators: the link is a secret)."""
    _blueprint, share = share_service.get_share(session, actor=actor, blueprint_id=blueprint_id)
    return _share_json(share)


@router.put("/blueprint/{blueprint_id}/share")
async def enable_share(
    request: Request, session: SessionDep, actor: ActorDep, blueprint_id: str
) -> dict[str, Any]:
    """Share by link; ``{"embeddable": true}`` also lets other sites frame the viewer."""
    body = await request.body()
    try:
        payload = json.loads(body) if body.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise BadRequest('The body must be an object such as {"embeddable": false}.')
    embeddable = payload.get("embeddable")
    if embeddable is not None and not isinstance(embeddable, bool):
        raise BadRequest("embeddable: must be true or false.", detail={"path": "embeddable"})
    share = share_service.enable_share(
        session, actor=actor, blueprint_id=blueprint_id, embeddable=embeddable
    )
    return _share_json(share)


@router.delete("/blueprint/{blueprint_id}/share", status_code=204)
def revoke_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> Response:
    """Stop sharing: the link answers 404 at once."""
    share_service.revoke_share(session, actor=actor, blueprint_id=blueprint_id)
    return Response(status_code=204)


@router.post("/blueprint/{blueprint_id}/share/rotate")
def rotate_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> dict[str, Any]:
    """Invalidate the links given out: a new key, the old link answers 404 at once."""
    share = share_service.rotate_key(session, actor=actor, blueprint_id=blueprint_id)
    return _share_json(share)


@router.get("/blueprint/{blueprint_id}/{fmt}", response_model=None)
def export_blueprint(
    request: Request, session: SessionDep, actor: ActorDep, blueprint_id: str, fmt: str
) -> Response:
    """The blueprint drawn as it is: its own positions, texts and colours."""
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    opts = options_from_query(dict(request.query_params))
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    data = render_document(blueprint.data, fmt, opts, name=blueprint.name)
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"ETag": etag(blueprint)})
