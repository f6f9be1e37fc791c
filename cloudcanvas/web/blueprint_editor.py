"""The blueprint page ``/blueprints/{id}``: the drawing with pan and zoom for readers, the editor
for writers (move, texts, colours, delete, undo/redo, save with ``If-Match``).

The drawing is the server's: ``drawing.svg`` renders a document through ``render_document``, the
exports' renderer, so what the page shows is what an export draws. The editor posts its unsaved
document there after each change; ``PUT document`` saves it through ``update_blueprint``.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from cloudcanvas.blueprint import service
from cloudcanvas.blueprint.document import check_document
from cloudcanvas.blueprint.schemas import BlueprintWrite, etag
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import AppError, BadRequest, NotFound
from cloudcanvas.http.answers import attachment, error_json
from cloudcanvas.identity.policy import Action, can
from cloudcanvas.web.deps import SessionDep, WebActorDep
from cloudcanvas.web.templating import render as render_page

router = APIRouter()
NO_STORE = {"Cache-Control": "private, no-store"}
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "json": "json", "mxGraph": "drawio"}


async def _body_document(request: Request) -> dict[str, object]:
    """The request body: ``{"data": {...}}``, the document checked (400 naming the bad path)."""
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadRequest(
            'body: must be an object such as {"data": {...}}.', detail={"path": "body"}
        )
    return check_document(payload["data"])


@router.get("/blueprints/{blueprint_id}")
def blueprint_page(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str
) -> Response:
    """The blueprint drawn with pan and zoom; its writers get the editor."""
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    data = blueprint.data
    context = {
        "blueprint": blueprint,
        "etag": etag(blueprint),
        "can_edit": can(actor, Action.EDIT_BLUEPRINT, blueprint),
        "projection": "2d" if data.get("projection") == "2d" else "isometric",
        "formats": [(fmt, EXTENSIONS[fmt]) for fmt in FORMATS],
    }
    response = render_page(request, "blueprints/editor.html", context)
    response.headers.update(NO_STORE)
    return response


@router.get("/blueprints/{blueprint_id}/document")
def read_document(session: SessionDep, actor: WebActorDep, blueprint_id: str) -> Response:
    """The stored document (``{"name", "data"}``) with its ``ETag``, for the page's script."""
    try:
        blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    except AppError as error:
        return error_json(error)
    body = {"name": blueprint.name, "data": blueprint.data}
    return JSONResponse(body, headers={"ETag": etag(blueprint), **NO_STORE})


@router.post("/blueprints/{blueprint_id}/drawing.svg", response_model=None)
async def drawing(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str
) -> Response:
    """The posted document (``{"data": ...}``) drawn as the SVG export draws it; readers post
    the stored one, the editor its unsaved state. Nothing is stored."""
    try:
        blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
        data = await _body_document(request)
    except AppError as error:
        return error_json(error)
    name = data.get("name")
    title = name.strip() if isinstance(name, str) and name.strip() else blueprint.name
    svg = render_document(data, "svg", RenderOptions(), name=title)
    return Response(svg, media_type=MEDIA_TYPES["svg"], headers=NO_STORE)


@router.put("/blueprints/{blueprint_id}/document", status_code=204, response_model=None)
async def save_document(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str
) -> Response:
    """Save the editor's whole document; a stale ``If-Match`` answers 412 and changes nothing."""
    try:
        data = await _body_document(request)
        blueprint = service.update_blueprint(
            session,
            actor=actor,
            blueprint_id=blueprint_id,
            write=BlueprintWrite(data=data),
            if_match=request.headers.get("if-match"),
            reason="edit",
        )
    except AppError as error:
        return error_json(error)
    return Response(status_code=204, headers={"ETag": etag(blueprint)})


@router.get("/blueprints/{blueprint_id}/export.{fmt}")
def export(
    request: Request, session: SessionDep, actor: WebActorDep, blueprint_id: str, fmt: str
) -> Response:
    """Download the saved blueprint as the API's export draws it (same query options)."""
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    blueprint = service.get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    opts = options_from_query(dict(request.query_params))
    data = render_document(blueprint.data, fmt, opts, name=blueprint.name)
    disposition = attachment(blueprint.name, EXTENSIONS[fmt], fallback="blueprint")
    headers = {"Content-Disposition": disposition, "ETag": etag(blueprint)}
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)
