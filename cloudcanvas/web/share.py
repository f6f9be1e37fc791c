"""The public viewer of a shared blueprint: ``/share/<id>/<key>``, no login, read-only.

It says ``noindex`` to crawlers (a meta tag and ``X-Robots-Tag``). Other sites may frame it only
when the blueprint opted in to embedding; otherwise frames are refused as on every page. An
unknown id, a wrong key and a revoked link answer the same 404 page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cloudcanvas.blueprint import share as share_service
from cloudcanvas.diagram import RenderOptions
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.errors import NotFound
from cloudcanvas.web.deps import SessionDep
from cloudcanvas.web.headers import allow_framing
from cloudcanvas.web.templating import render

router = APIRouter()
PRIVATE = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


@router.get("/share/{share_id}/{key}")
def shared_blueprint(request: Request, session: SessionDep, share_id: str, key: str) -> Response:
    """The blueprint drawn as its SVG export draws it (our SVG writer escapes every text)."""
    try:
        blueprint, share = share_service.open_shared(session, share_id=share_id, key=key)
    except NotFound as error:
        page = render(request, "error.html", {"error": error, "status": 404}, status_code=404)
        page.headers.update(PRIVATE)
        return page
    svg = render_document(blueprint.data, "svg", RenderOptions(), name=blueprint.name).decode()
    response = render(request, "blueprints/share.html", {"blueprint": blueprint, "svg": svg})
    response.headers.update(PRIVATE)
    return allow_framing(response) if share.embeddable else response
