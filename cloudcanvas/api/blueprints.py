"""``/api/blueprint``: Cloudcraft's blueprint endpoints (list, create, read, update, delete, export)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.api.openapi import file_responses
from cloudcanvas.blueprint import service
from cloudcanvas.blueprint import share as share_service
from cloudcanvas.blueprint.schemas import (
    BlueprintListOut,
    BlueprintOut,
    BlueprintSummaryOut,
    BlueprintWrite,
    VersionDetailOut,
    VersionListOut,
    VersionOut,
    etag,
    parse_write,
)
from cloudcanvas.blueprint.share import ShareOut
from cloudcanvas.cost import drawings as cost_drawings
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import BadRequest
from cloudcanvas.inventory.rendering import caches_of

router = APIRouter()


async def _write_of(request: Request) -> BlueprintWrite:
    """The body as a blueprint write; the size cap is BodyLimitMiddleware's."""
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    return parse_write(payload)


@router.get("/blueprint")
def list_blueprints(session: SessionDep, actor: ActorDep) -> BlueprintListOut:
    """The blueprints the caller can see, without their documents."""
    found = service.list_blueprints(session, actor=actor)
    return BlueprintListOut(blueprints=[BlueprintSummaryOut.of(b) for b in found])


@router.post("/blueprint", status_code=201)
async def create_blueprint(
    request: Request, session: SessionDep, actor: ActorDep, response: Response
) -> BlueprintOut:
    """A new blueprint from ``{"data": ...}`` or a snapshot JSON document posted as is."""
    write = await _write_of(request)
    blueprint = service.create_blueprint(session, actor=actor, write=write)
    response.headers["ETag"] = etag(blueprint)
    return BlueprintOut.of(blueprint)


@router.get("/blueprint/{blueprint_id}")
def read_blueprint(
    session: SessionDep, actor: ActorDep, blueprint_id: str, response: Response
) -> BlueprintOut:
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    response.headers["ETag"] = etag(blueprint)
    return BlueprintOut.of(blueprint)


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


# Declared before the export route, whose ``{fmt}`` would otherwise take "versions".
@router.get("/blueprint/{blueprint_id}/versions")
def list_versions(session: SessionDep, actor: ActorDep, blueprint_id: str) -> VersionListOut:
    """The blueprint's saved versions, newest first (without their documents)."""
    found = service.list_versions(session, actor=actor, blueprint_id=blueprint_id)
    return VersionListOut(versions=[VersionOut.of(v) for v in found])


@router.get("/blueprint/{blueprint_id}/versions/{version_id}")
def read_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str
) -> VersionDetailOut:
    """One version with its document, read-only."""
    version = service.get_version(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    return VersionDetailOut.of(version)


@router.post("/blueprint/{blueprint_id}/versions/{version_id}/restore")
def restore_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str, response: Response
) -> BlueprintOut:
    blueprint = service.restore_version(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    response.headers["ETag"] = etag(blueprint)
    return BlueprintOut.of(blueprint)


@router.post("/blueprint/{blueprint_id}/versions/{version_id}/copy", status_code=201)
def copy_version(
    session: SessionDep, actor: ActorDep, blueprint_id: str, version_id: str
) -> BlueprintOut:
    """Save a version as a new blueprint."""
    blueprint = service.save_version_as(
        session, actor=actor, blueprint_id=blueprint_id, version_id=version_id
    )
    return BlueprintOut.of(blueprint)


# Declared before the export route, whose ``{fmt}`` would otherwise take "share".
@router.get("/blueprint/{blueprint_id}/share")
def read_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> ShareOut:
    """The blueprint's share link (creator, owners and administrators: the link is a secret)."""
    _blueprint, share = share_service.get_share(session, actor=actor, blueprint_id=blueprint_id)
    return ShareOut.of(share)


@router.put("/blueprint/{blueprint_id}/share")
async def enable_share(
    request: Request, session: SessionDep, actor: ActorDep, blueprint_id: str
) -> ShareOut:
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
    return ShareOut.of(share)


@router.delete("/blueprint/{blueprint_id}/share", status_code=204)
def revoke_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> Response:
    """Stop sharing: the link answers 404 at once."""
    share_service.revoke_share(session, actor=actor, blueprint_id=blueprint_id)
    return Response(status_code=204)


@router.post("/blueprint/{blueprint_id}/share/rotate")
def rotate_share(session: SessionDep, actor: ActorDep, blueprint_id: str) -> ShareOut:
    """Invalidate the links given out: a new key, the old link answers 404 at once."""
    share = share_service.rotate_key(session, actor=actor, blueprint_id=blueprint_id)
    return ShareOut.of(share)


@router.get(
    "/blueprint/{blueprint_id}/{fmt}",
    response_model=None,
    responses=file_responses(MEDIA_TYPES, "The blueprint drawn, in the format asked for."),
)
def export_blueprint(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    blueprint_id: str,
    fmt: str,
) -> Response:
    """The blueprint drawn as it is: its own positions, texts and colours (``cost=true``: with
    the cost layer of the resources its nodes stand for)."""
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    opts = options_from_query(dict(request.query_params))
    cost = cost_drawings.cost_options(request.query_params)
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    if cost is not None:
        behind = cost_drawings.blueprint_resources(
            session, actor=actor, blueprint_id=blueprint_id, caches=caches_of(request.app.state)
        )
        opts = cost_drawings.with_cost(
            session,
            settings=settings,
            options=cost,
            opts=opts,
            resources=lambda: behind.resources,
            extra=behind.missing,
        )
    data = render_document(blueprint.data, fmt, opts, name=blueprint.name)
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"ETag": etag(blueprint)})
