"""The viewer's cost layer: ``cost.json`` for what the diagram shows (same location and filters),
priced from the cached Azure Retail Prices API. Errors answer JSON the layer shows as a message;
the diagram never waits for prices."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cloudcanvas.accounts import service as account_service
from cloudcanvas.cost import service as cost_service
from cloudcanvas.cost.schemas import budget_options
from cloudcanvas.diagram.query import parse_location
from cloudcanvas.errors import AppError
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep

router = APIRouter()


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
            session, settings=settings, actor=actor, account_id=account_id, options=options
        )
    except AppError as error:
        return JSONResponse(error.to_dict(), status_code=error.status_code)
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    savings = cost_service.advisor_savings(session, settings=settings, account=account)
    actual = cost_service.actual_costs(session, settings=settings, account=account)
    layer = cost_service.layer_of(budget, savings=savings, actual=actual)
    return JSONResponse(layer, headers={"Cache-Control": "private, no-cache"})
