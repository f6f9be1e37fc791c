"""The viewer's legend panel: ``legend.json``, the kinds of resource the view draws (region,
grouping, filter, accounts drawn with it), each with its name, its count and its symbol as drawn.

Counted from the view's graph, which the viewer's semantic zoom keeps (``ViewerLayouts``), not from
what is on screen: a large estate's overview draws tiles, and its legend still counts every
resource. The viewer asks for it only when the panel is open, never before the first drawing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cloudcanvas.accounts import service as account_service
from cloudcanvas.diagram.legend import kinds_in
from cloudcanvas.errors import AppError
from cloudcanvas.http.answers import error_json
from cloudcanvas.inventory.rendering import caches_of, check_view
from cloudcanvas.inventory.schemas import LegendOut
from cloudcanvas.web.deps import SessionDep, WebActorDep
from cloudcanvas.web.viewer import graph_of, latest_of, layouts_on, others_drawn_with, view_of

router = APIRouter()


@router.get("/azure/accounts/{account_id}/legend.json")
def legend_json(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> JSONResponse:
    """The symbols the view draws, named and counted; a bad option answers 400 as JSON."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    try:
        view = view_of(dict(request.query_params))
        snapshots = [
            latest_of(session, account),
            *others_drawn_with(session, actor, account, request),
        ]
        check_view(snapshots, view.location, view.opts, caches_of(request.app.state))
        graph = graph_of(layouts_on(request), snapshots, view.location)
        kinds = kinds_in(graph, view.opts)
    except AppError as error:
        return error_json(error)
    body = LegendOut.of_kinds(kinds, view.opts).wire()
    return JSONResponse(body, headers={"Cache-Control": "private, no-cache"})
