"""``/api/blueprint``: Cloudcraft's blueprint endpoints (list, create, read, update, delete, export)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep
from cloudcanvas.blueprint import service
from cloudcanvas.blueprint.schemas import BlueprintWrite, blueprint_json, etag, parse_write
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import BadRequest

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
