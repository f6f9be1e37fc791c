"""Cloudcraft's budget export, priced from the Azure Retail Prices API:
``GET /api/azure/account/{id}/{location}/budget/{csv|xlsx}`` for an account's latest snapshot and
``GET /api/blueprint/{id}/budget/{csv|xlsx}`` for the resources a blueprint's nodes stand for."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.api.openapi import Location, file_responses
from cloudcanvas.cost import drawings
from cloudcanvas.cost import service as cost_service
from cloudcanvas.cost.export import budget_csv, budget_xlsx
from cloudcanvas.cost.schemas import budget_options
from cloudcanvas.cost.service import Budget
from cloudcanvas.diagram.query import parse_location
from cloudcanvas.errors import BadRequest
from cloudcanvas.http.answers import attachment
from cloudcanvas.inventory.rendering import caches_of

router = APIRouter()

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get(
    "/azure/account/{account_id}/{location}/budget/{fmt}",
    response_model=None,
    responses=file_responses(MEDIA_TYPES, "The budget, as a CSV or XLSX file."),
)
def account_budget(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    location: Location,
    fmt: str,
) -> Response:
    """The account's budget (csv or xlsx): currency, period (h|d|w|m|y), rate (effective|stated)."""
    if fmt not in MEDIA_TYPES:
        raise BadRequest(f"format must be csv or xlsx; got {fmt!r}.", code="invalid_format")
    options = budget_options(request.query_params, parse_location(location))
    budget = cost_service.account_budget(
        session,
        settings=settings,
        actor=actor,
        account_id=account_id,
        options=options,
        caches=caches_of(request.app.state),
    )
    return _file(budget, fmt, options.group_by, f"budget-{location}")


def _file(budget: Budget, fmt: str, group_by: str, stem: str) -> Response:
    data = budget_csv(budget) if fmt == "csv" else budget_xlsx(budget, group_by=group_by)
    headers = {"Content-Disposition": attachment(stem, fmt, fallback="budget")}
    if budget.prices_as_of is not None:
        headers["X-Prices-As-Of"] = budget.prices_as_of.isoformat()
    if budget.stale_reason:
        headers["X-Prices-Stale"] = "price list unreachable; cached prices used"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get(
    "/blueprint/{blueprint_id}/budget/{fmt}",
    response_model=None,
    responses=file_responses(MEDIA_TYPES, "The budget, as a CSV or XLSX file."),
)
def blueprint_budget(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    blueprint_id: str,
    fmt: str,
) -> Response:
    """The budget of the resources the blueprint's nodes stand for (csv or xlsx): currency,
    period (h|d|w|m|y), rate (effective|stated); a node without a scanned resource is listed
    unpriced with the reason. Reading the blueprint is enough."""
    if fmt not in MEDIA_TYPES:
        raise BadRequest(f"format must be csv or xlsx; got {fmt!r}.", code="invalid_format")
    options = budget_options(request.query_params, None)
    budget = drawings.blueprint_budget(
        session,
        settings=settings,
        actor=actor,
        blueprint_id=blueprint_id,
        options=options,
        caches=caches_of(request.app.state),
    )
    return _file(budget, fmt, options.group_by, f"budget-blueprint-{blueprint_id}")
