"""``GET /api/azure/account/{id}/{location}/{format}``: the diagram of the latest snapshot.

When the snapshot is missing, stale (older than CLOUDCANVAS_SNAPSHOT_MAX_AGE) or ``fresh=true`` is
asked, a scan starts (or the running one is joined) and the request waits for it up to
CLOUDCANVAS_SNAPSHOT_WAIT_SECONDS, then answers 202 STILL_PROCESSING; the next call returns the
result once the scan is done. Renderings of an unchanged snapshot with the same options are cached.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from typing import cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep, get_database
from cloudcanvas.api.scans import queue_of
from cloudcanvas.config import Settings
from cloudcanvas.diagram import (
    FORMATS,
    MEDIA_TYPES,
    FilterError,
    RenderOptions,
    group_by_levels,
    parse_filter,
)
from cloudcanvas.diagram.options import DiagramOptionsError
from cloudcanvas.errors import BadRequest
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, Snapshot

router = APIRouter()
LOCATION = re.compile(r"^[a-z0-9]{2,40}$")
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}
POLL_SECONDS = 0.2


class RenderCache:
    """Recent renderings by (snapshot content, location, format, options)."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple[object, ...], data: bytes) -> None:
        with self._lock:
            self._items[key] = data
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _flag(params: dict[str, str], name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise BadRequest(f"{name} must be true or false; got {value!r}.", code="invalid_option")


def _number(params: dict[str, str], name: str, kind: type[int] | type[float]) -> float | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        raise BadRequest(
            f"{name} must be a number; got {value!r}.", code="invalid_option"
        ) from None


def options_from_query(params: dict[str, str]) -> RenderOptions:
    """Cloudcraft's query parameters (plus groupBy) as render options; 400 names a bad one."""
    width, height = _number(params, "width", int), _number(params, "height", int)
    exclude = tuple(p.strip() for p in params.get("exclude", "").split(",") if p.strip())
    if params.get("filter"):
        try:
            parse_filter(params["filter"])
        except FilterError as error:
            raise BadRequest(f"filter: {error}", code="invalid_filter") from None
    return RenderOptions(
        projection=params.get("projection", "isometric").lower(),
        theme=params.get("theme", "light").lower(),
        label=_flag(params, "label", True),
        autoconnect=_flag(params, "autoconnect", True),
        grid=_flag(params, "grid", True),
        transparent=_flag(params, "transparent", False),
        scale=_number(params, "scale", float) or 1.0,
        width=int(width) if width is not None else None,
        height=int(height) if height is not None else None,
        landscape=_flag(params, "landscape", False),
        paper_size=params.get("paperSize", "Letter"),
        group_by=group_by_levels(params.get("groupBy", "infrastructure")),
        filter=params.get("filter") or None,
        exclude=exclude,
    )


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


@router.get("/azure/account/{account_id}/{location}/{fmt}", response_model=None)
def snapshot_diagram(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    location: str,
    fmt: str,
) -> Response:
    """Render the account's latest snapshot of one location (``all`` for every location)."""
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    if not LOCATION.match(location):
        raise BadRequest(
            f"location {location!r} is not an Azure location short name such as eastus "
            "(lowercase, no spaces), global, or all."
        )
    params = dict(request.query_params)
    try:
        opts = options_from_query(params)
    except DiagramOptionsError as error:
        raise BadRequest(error.message, code="invalid_option") from None
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    force = _flag(params, "fresh", False)
    snapshot = _fresh_snapshot(session, account, settings, force)
    if snapshot is None:
        scan, created = inventory_service.start_scan(session, account=account, actor=actor)
        session.commit()
        if created:
            queue_of(request).enqueue_scan(scan.id)
        _wait_for_scan(request, scan.id, settings.snapshot_wait_seconds)
        session.expire_all()
        finished = inventory_repository.get_scan(session, scan.id)
        if finished is not None and finished.active:
            return JSONResponse(
                {
                    "code": "STILL_PROCESSING",
                    "message": "The scan is still running; call again to get the diagram.",
                    "retry": True,
                    "scanId": scan.id,
                },
                status_code=202,
            )
        snapshot = inventory_service.latest_snapshot(session, account)
        if snapshot is None:
            reason = finished.error_message if finished else None
            raise BadRequest(
                f"The scan made no snapshot: {reason or 'it failed'}.",
                code=(finished.error_code if finished else None) or "scan_failed",
            )
    cache = cast(RenderCache, request.app.state.render_cache)
    key = (snapshot.content_hash, location, fmt, opts)
    data = cache.get(key)
    if data is None:
        where = None if location == "all" else location
        data = inventory_service.render_snapshot(snapshot, where, fmt, opts)
        cache.put(key, data)
    headers = {
        "X-Snapshot-Id": snapshot.id,
        "X-Snapshot-Partial": str(snapshot.partial).lower(),
        "Last-Modified": snapshot.created_at.strftime("%a, %d %b %Y %H:%M:%S GMT"),
    }
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)
