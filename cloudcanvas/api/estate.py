"""``GET /api/azure/accounts/{location}/{format}?accounts=<id>,<id>``: several accounts in one
diagram, the union of their latest snapshots (the same options as one account's diagram).

Each account must be one the caller can see (404 otherwise, as for one account) and must have a
snapshot: this endpoint draws what was scanned and starts no scan.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from cloudcanvas.accounts import service as account_service
from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.api.openapi import Location, file_responses
from cloudcanvas.cost import drawings as cost_drawings
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.query import options_from_query, parse_location
from cloudcanvas.errors import BadRequest
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.rendering import caches_of, render_snapshots
from cloudcanvas.store.models import Snapshot

router = APIRouter()
MAX_ACCOUNTS = 50


def _account_ids(raw: str | None) -> list[str]:
    ids = list(dict.fromkeys(part.strip() for part in (raw or "").split(",") if part.strip()))
    if not ids:
        raise BadRequest(
            "accounts is required: the ids of the accounts to draw, comma-separated.",
            detail={"field": "accounts"},
        )
    if len(ids) > MAX_ACCOUNTS:
        raise BadRequest(
            f"accounts: at most {MAX_ACCOUNTS} accounts in one diagram.",
            detail={"field": "accounts"},
        )
    return ids


@router.get(
    "/azure/accounts/{location}/{fmt}",
    response_model=None,
    responses=file_responses(MEDIA_TYPES, "The drawing, in the format asked for."),
)
def estate_diagram(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    location: Location,
    fmt: str,
) -> Response:
    """Render the union of the latest snapshots of the chosen accounts."""
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    where = parse_location(location)
    params = dict(request.query_params)
    opts = options_from_query(params)
    cost = cost_drawings.cost_options(params)
    snapshots: list[Snapshot] = []
    for account_id in _account_ids(params.get("accounts")):
        account = account_service.get_account(session, actor=actor, account_id=account_id)
        snapshot = inventory_service.latest_snapshot(session, account)
        if snapshot is None:
            raise BadRequest(
                f"Account '{account.name}' has no snapshot yet: scan it first "
                f"(POST /api/azure/account/{account.id}/scans).",
                code="no_snapshot",
                detail={"field": "accounts"},
            )
        snapshots.append(snapshot)
    caches = caches_of(request.app.state)
    if cost is not None:
        drawn = opts
        opts = cost_drawings.with_cost(
            session,
            settings=settings,
            options=cost,
            opts=opts,
            resources=lambda: cost_drawings.drawn_resources(snapshots, where, drawn, caches),
        )
    data = render_snapshots(snapshots, where, fmt, opts, caches)
    headers = {
        "X-Snapshot-Id": ",".join(s.id for s in snapshots),
        "X-Snapshot-Partial": str(any(s.partial for s in snapshots)).lower(),
    }
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)
