"""The viewer's cost layer: ``cost.json`` for what the diagram shows (same location and filters),
priced from the cached Azure Retail Prices API. Errors answer JSON the layer shows as a message;
the diagram never waits for prices."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.config import Settings
from cloudcanvas.cost import drawings as cost_drawings
from cloudcanvas.cost import service as cost_service
from cloudcanvas.cost.schemas import budget_options
from cloudcanvas.diagram.query import parse_location
from cloudcanvas.errors import AppError
from cloudcanvas.http.answers import error_json
from cloudcanvas.inventory.rendering import SnapshotCaches, caches_of
from cloudcanvas.store.models import Snapshot
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep

if TYPE_CHECKING:
    from cloudcanvas.web.viewer import View

router = APIRouter()


def cost_view(
    session: Session,
    settings: Settings,
    params: dict[str, str],
    view: View,
    snapshots: list[Snapshot],
    caches: SnapshotCaches | None = None,
) -> View:
    """The viewer's export with the cost layer when its menu asks (``cost=true``, currency,
    period): the resources the view shows (of every account drawn with ``with=``)."""
    cost = cost_drawings.cost_options(params)
    if cost is None:
        return view
    opts = cost_drawings.with_cost(
        session,
        settings=settings,
        options=cost,
        opts=view.opts,
        resources=lambda: cost_drawings.drawn_resources(
            snapshots, view.location, view.opts, caches
        ),
    )
    return dataclasses.replace(view, opts=opts)


@router.get("/azure/accounts/{account_id}/cost.json")
def cost_layer(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    account_id: str,
) -> JSONResponse:
    """Monthly (or other period) cost per resource, per group, and the top resources."""
    params = dict(request.query_params)
    try:
        options = budget_options(params, parse_location(params.get("location", "")))
        budget = cost_service.account_budget(
            session,
            settings=settings,
            actor=actor,
            account_id=account_id,
            options=options,
            caches=caches_of(request.app.state),
        )
    except AppError as error:
        return error_json(error)
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    savings = cost_service.advisor_savings(session, settings=settings, account=account)
    actual = cost_service.actual_costs(session, settings=settings, account=account)
    layer = cost_service.layer_of(budget, savings=savings, actual=actual)
    return JSONResponse(layer, headers={"Cache-Control": "private, no-cache"})
