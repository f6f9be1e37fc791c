"""``/api/blueprint``: Cloudcraft's blueprint endpoints (list, create, read, update, delete, export)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.blueprint import service
from cloudcanvas.blueprint.schemas import BlueprintWrite, blueprint_json, etag, parse_write
from cloudcanvas.cost import drawings as cost_drawings
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import BadRequest
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import BlueprintVersion

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


@router.get("/blueprint/{blueprint_id}/{fmt}", response_model=None)
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
        behind = cost_drawings.blueprint_resources(session, actor=actor, blueprint_id=blueprint_id)
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
