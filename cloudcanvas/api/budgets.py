"""``GET /api/azure/account/{id}/{location}/budget/{csv|xlsx}``: Cloudcraft's budget export of an
account's latest snapshot, priced from the Azure Retail Prices API."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.cost import service as cost_service
from cloudcanvas.cost.export import budget_csv, budget_xlsx
from cloudcanvas.cost.schemas import budget_options
from cloudcanvas.diagram.query import parse_location
from cloudcanvas.errors import BadRequest

router = APIRouter()

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/azure/account/{account_id}/{location}/budget/{fmt}", response_model=None)
def account_budget(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    location: str,
    fmt: str,
) -> Response:
    """The account's budget (csv or xlsx): currency, period (h|d|w|m|y), rate (effective|stated)."""
    if fmt not in MEDIA_TYPES:
        raise BadRequest(f"format must be csv or xlsx; got {fmt!r}.", code="invalid_format")
    options = budget_options(request.query_params, parse_location(location))
    budget = cost_service.account_budget(
        session, settings=settings, actor=actor, account_id=account_id, options=options
    )
    data = budget_csv(budget) if fmt == "csv" else budget_xlsx(budget, group_by=options.group_by)
    headers = {"Content-Disposition": f'attachment; filename="budget-{location}.{fmt}"'}
    if budget.prices_as_of is not None:
        headers["X-Prices-As-Of"] = budget.prices_as_of.isoformat()
    if budget.stale_reason:
        headers["X-Prices-Stale"] = "price list unreachable; cached prices used"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)
