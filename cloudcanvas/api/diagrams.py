"""``GET /api/azure/account/{id}/{location}/{format}``: the diagram of the latest snapshot.

When the snapshot is missing, stale (older than CLOUDCANVAS_SNAPSHOT_MAX_AGE) or ``fresh=true`` is
asked, a scan starts (or the running one is joined) and the request waits for it up to
CLOUDCANVAS_SNAPSHOT_WAIT_SECONDS, then answers 202 STILL_PROCESSING; the next call returns the
result once the scan is done. Renderings of an unchanged snapshot with the same options are cached.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep, get_database
from cloudcanvas.api.openapi import Location, file_responses
from cloudcanvas.api.scans import queue_of
from cloudcanvas.config import Settings
from cloudcanvas.cost import drawings as cost_drawings
from cloudcanvas.diagram import FORMATS, MEDIA_TYPES
from cloudcanvas.diagram.options import PAPER_SIZES
from cloudcanvas.diagram.query import flag, options_from_query, parse_location
from cloudcanvas.errors import BadRequest
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import ScanBlocked
from cloudcanvas.inventory.rendering import caches_of, check_view, render_snapshot
from cloudcanvas.inventory.schemas import StillProcessingOut
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, Snapshot

router = APIRouter()
POLL_SECONDS = 0.2


def _fresh_snapshot(
    session: Session, account: AzureAccount, settings: Settings, force: bool
) -> Snapshot | None:
    snapshot = inventory_service.latest_snapshot(session, account)
    if snapshot is None or force:
        return None
    if snapshot.created_at < utcnow() - settings.snapshot_max_age_delta:
        return None
    return snapshot


def _wait_for_scan(request: Request, scan_id: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    database = get_database(request)
    while time.monotonic() < deadline:
        with database.session() as session:
            scan = inventory_repository.get_scan(session, scan_id)
            if scan is None or scan.active is not True:
                return
        time.sleep(POLL_SECONDS)


@dataclass(frozen=True)
class SnapshotOutcome:
    """What a snapshot request found: a snapshot (stale, and why, when it could not be
    refreshed), or the id of the scan still making it."""

    snapshot: Snapshot | None = None
    stale_because: str | None = None
    running_scan_id: str | None = None


def still_processing(scan_id: str) -> JSONResponse:
    return JSONResponse(StillProcessingOut(scan_id=scan_id).wire(), status_code=202)


def _scan_for_snapshot(
    request: Request, session: Session, settings: Settings, account: AzureAccount, actor: Actor
) -> SnapshotOutcome:
    """Scan (or join the scan) and wait for it: the new snapshot, the running scan, or the last
    snapshot with the reason it could not be refreshed (an expired secret stops scans)."""
    try:
        scan = jobs_queue.start_scan(session, queue_of(request), account=account, actor=actor)
    except ScanBlocked as blocked:
        last = inventory_service.latest_snapshot(session, account)
        if last is None:
            raise
        return SnapshotOutcome(last, stale_because=blocked.code)
    _wait_for_scan(request, scan.id, settings.snapshot_wait_seconds)
    session.expire_all()
    finished = inventory_repository.get_scan(session, scan.id)
    if finished is not None and finished.active:
        return SnapshotOutcome(running_scan_id=scan.id)
    snapshot = inventory_service.latest_snapshot(session, account)
    if snapshot is None:
        reason = finished.error_message if finished else None
        raise BadRequest(
            f"The scan made no snapshot: {reason or 'it failed'}.",
            code=(finished.error_code if finished else None) or "scan_failed",
        )
    return SnapshotOutcome(snapshot)


def _query(name: str, schema: Mapping[str, object], description: str) -> dict[str, object]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_BOOL: Mapping[str, object] = {"type": "string", "enum": ["true", "false"]}
# The options are read from the raw query (the web viewer shares the parser), so they are
# documented here rather than declared as parameters.
DIAGRAM_QUERY = [
    _query("filter", {"type": "string"}, "Cloudcraft's filter, e.g. type=azurevm AND NOT web*."),
    _query("exclude", {"type": "string"}, "Comma-separated resource types to leave out."),
    _query("label", _BOOL, "Draw names (default true)."),
    _query("autoconnect", _BOOL, "Draw connections (default true)."),
    _query("grid", _BOOL, "Draw the grid (default true)."),
    _query("transparent", _BOOL, "Transparent background (png)."),
    _query("legend", _BOOL, "A legend of the symbols drawn, under the drawing."),
    _query("landscape", _BOOL, "Landscape paper (pdf)."),
    _query("fresh", _BOOL, "Scan first, even when the snapshot is recent."),
    _query("scale", {"type": "number", "minimum": 0.05, "maximum": 20}, "Scale (png, pdf)."),
    _query("width", {"type": "integer", "minimum": 1}, "Width in pixels."),
    _query("height", {"type": "integer", "minimum": 1}, "Height in pixels."),
    _query("paperSize", {"type": "string", "enum": list(PAPER_SIZES)}, "Paper (pdf)."),
    _query("projection", {"type": "string", "enum": ["isometric", "2d"]}, "3D or 2D."),
    _query("theme", {"type": "string", "enum": ["light", "dark"]}, "Colours."),
    _query("groupBy", {"type": "string"}, "Grouping levels, e.g. infrastructure."),
    _query("cost", _BOOL, "Cost layer: cost per block and group, colour scale, budget panel."),
    _query("currency", {"type": "string"}, "Cost layer currency (USD default, EUR, GBP ...)."),
    _query("period", {"type": "string", "enum": ["h", "d", "w", "m", "y"]}, "Cost period."),
    _query("rate", {"type": "string", "enum": ["effective", "stated"]}, "Cost layer rate."),
    _query(
        "level",
        {"type": "string", "enum": ["detail", "overview"]},
        "overview: each group's resources as one summary tile (svg, png, pdf).",
    ),
]


@router.get(
    "/azure/account/{account_id}/{location}/{fmt}",
    response_model=None,
    openapi_extra={"parameters": DIAGRAM_QUERY},
    responses={
        **file_responses(MEDIA_TYPES, "The drawing, in the format asked for."),
        202: {"model": StillProcessingOut, "description": "The scan still runs: call again."},
    },
)
def snapshot_diagram(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    location: Location,
    # Documented as an enumeration; checked below, so that a wrong one is told the formats.
    fmt: Annotated[str, Path(json_schema_extra={"enum": list(FORMATS)})],
) -> Response:
    """Render the account's latest snapshot of one location (``all`` for every location)."""
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    where = parse_location(location)
    params = dict(request.query_params)
    opts = options_from_query(params)
    cost = cost_drawings.cost_options(params)  # checked before any scan
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    force = flag(params, "fresh", False)
    snapshot = _fresh_snapshot(session, account, settings, force)
    stale_because = None
    if snapshot is None:
        outcome = _scan_for_snapshot(request, session, settings, account, actor)
        if outcome.snapshot is None:
            return still_processing(outcome.running_scan_id or "")
        snapshot, stale_because = outcome.snapshot, outcome.stale_because
    caches = caches_of(request.app.state)
    check_view([snapshot], where, opts, caches)
    if cost is not None:
        drawn, found = opts, snapshot
        opts = cost_drawings.with_cost(
            session,
            settings=settings,
            options=cost,
            opts=opts,
            resources=lambda: cost_drawings.drawn_resources([found], where, drawn, caches),
        )
    data = render_snapshot(snapshot, where, fmt, opts, caches)
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=_headers(snapshot, stale_because))


def _headers(snapshot: Snapshot, stale_because: str | None) -> dict[str, str]:
    """Which snapshot was drawn: its id, whether partial, when taken, and why stale if it is."""
    return {
        **({"X-Snapshot-Stale": stale_because} if stale_because else {}),
        "X-Snapshot-Id": snapshot.id,
        "X-Snapshot-Partial": str(snapshot.partial).lower(),
        "Last-Modified": snapshot.created_at.strftime("%a, %d %b %Y %H:%M:%S GMT"),
    }
