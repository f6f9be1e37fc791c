"""The account's diagram viewer: the drawing, its exports and the details of a resource.

The viewer draws the latest snapshot through web routes (the session cookie, not an API key):
``diagram.svg`` for the page, ``export.{fmt}`` for downloads and ``resources?key=`` for the side
panel. Renderings and decoded inventories are cached by snapshot content, so panning through a
10,000-resource estate and clicking around does not decode or draw it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from cloudcanvas.accounts import service as account_service
from cloudcanvas.config import Settings
from cloudcanvas.diagram import (
    FORMATS,
    MEDIA_TYPES,
    PAPER_SIZES,
    Graph,
    Layout,
    RenderOptions,
    layout,
)
from cloudcanvas.diagram.query import options_from_query, parse_location
from cloudcanvas.errors import AppError, BadRequest, NotFound
from cloudcanvas.http.answers import error_json, safe_stem
from cloudcanvas.inventory import first_drawing
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import SnapshotNotFound
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Resource
from cloudcanvas.inventory.rendering import (
    SnapshotCaches,
    caches_of,
    check_view,
    inventory_of,
    render_snapshots,
)
from cloudcanvas.inventory.schemas import ConnectionOut, ResourceDetailOut
from cloudcanvas.inventory.union import union
from cloudcanvas.store.models import AzureAccount, Snapshot
from cloudcanvas.web.cost import cost_view
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.scan_pages import scan_context
from cloudcanvas.web.templating import render as render_page

router = APIRouter()

GROUPINGS = (  # (groupBy value, label) offered by the viewer's selector
    ("infrastructure", "Infrastructure (region, VNet)"),
    ("network", "Network (region, VNet, subnet)"),
    ("resourcegroup", "Resource group"),
    ("region,resourcegroup", "Region, resource group"),
    ("region", "Region only"),
    ("subscription,infrastructure", "Subscription, region, VNet"),
    ("subscription,network", "Subscription, region, VNet, subnet"),
    ("subscription,resourcegroup", "Subscription, resource group"),
)
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "json": "json", "mxGraph": "drawio"}
PORTALS = {
    "public": "https://portal.azure.com",
    "china": "https://portal.azure.cn",
    "usgovernment": "https://portal.azure.us",
}
MAX_CONNECTIONS = 200


def _account(session: SessionDep, actor: WebActorDep, account_id: str) -> AzureAccount:
    return account_service.get_account(session, actor=actor, account_id=account_id)


@dataclass(frozen=True)
class View:
    """What the viewer's controls ask for: a location (None: all) and the render options."""

    location: str | None
    opts: RenderOptions


def view_of(params: dict[str, str]) -> View:
    """The viewer's query parameters, read as the API reads them; BadRequest names a bad one."""
    return View(parse_location(params.get("location", "")), options_from_query(params))


def _drawing(request: Request, snapshots: list[Snapshot], view: View, fmt: str) -> bytes:
    caches = caches_of(request.app.state)
    return render_snapshots(snapshots, view.location, fmt, view.opts, caches)


def others_drawn_with(
    session: SessionDep, actor: WebActorDep, account: AzureAccount, request: Request
) -> list[Snapshot]:
    """The latest snapshots of the other accounts drawn with this one (``with=<id>``, repeated):
    several accounts in one diagram, the union of their snapshots."""
    out: list[Snapshot] = []
    for other_id in dict.fromkeys(request.query_params.getlist("with")):
        if other_id and other_id != account.id:
            other = _account(session, actor, other_id)
            snapshot = inventory_service.latest_snapshot(session, other)
            if snapshot is None:
                raise SnapshotNotFound(
                    f"Account '{other.name}' has no snapshot yet; scan it first."
                )
            out.append(snapshot)
    return out


def latest_of(session: SessionDep, account: AzureAccount) -> Snapshot:
    snapshot = inventory_service.latest_snapshot(session, account)
    if snapshot is None:
        raise SnapshotNotFound("This account has no snapshot yet; scan it first.")
    return snapshot


@router.get("/azure/accounts/{account_id}/diagram")
def diagram_page(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """The account's diagram: pan, zoom, filter, export, and the details of a resource."""
    account = _account(session, actor, account_id)
    snapshot = inventory_service.latest_snapshot(session, account)
    params = dict(request.query_params)
    context = {
        "account": account,
        "snapshot": snapshot,
        "tab": "diagram",
        "params": params,
        "groupings": GROUPINGS,
        "formats": [(fmt, EXTENSIONS[fmt]) for fmt in FORMATS],
        "paper_sizes": list(PAPER_SIZES),
        "locations": sorted((snapshot.location_index if snapshot else {}).items()),
        "others": [
            a for a in account_service.list_accounts(session, actor=actor) if a.id != account.id
        ],
        "drawn_with": request.query_params.getlist("with"),
        **scan_context(session, account),
    }
    return render_page(request, "viewer/diagram.html", context)


@router.get("/azure/accounts/{account_id}/diagram.svg", response_model=None)
def diagram_svg(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """The SVG the viewer shows; a bad option or filter answers 400 with its message as JSON."""
    account = _account(session, actor, account_id)
    try:
        view = view_of(dict(request.query_params))
        snapshot = latest_of(session, account)
        others = others_drawn_with(session, actor, account, request)
        check_view([snapshot, *others], view.location, view.opts, caches_of(request.app.state))
    except AppError as error:
        return error_json(error)
    params = request.query_params
    if params.get("groups") is not None or params.get("tiles"):
        try:
            data = _viewer_drawing(request, session, [snapshot, *others], view)
        except AppError as error:
            return error_json(error)
    else:
        data = _drawing(request, [snapshot, *others], view, "svg")
    headers = {"X-Snapshot-Id": snapshot.id, "Cache-Control": "private, no-cache"}
    return Response(data, media_type=MEDIA_TYPES["svg"], headers=headers)


# ---- Semantic zoom: the viewer's drawings of one layout ----

# Layouts the viewer draws from, by snapshots and what decides the layout; a 100,000-resource
# layout takes seconds, and the viewer asks for the resources of the groups in view as it zooms.
# A tiled overview is drawn from a layout without routed edges (the same places, a second less),
# and the whole layout is made right after it, for the resources the viewer fetches next.
# They belong to the app (``app.state.viewer_layouts``), beside its snapshot caches.
KEPT_LAYOUTS, KEPT_DRAWINGS, MAX_GROUPS = 3, 16, 400
_attach_lock = threading.Lock()
T = TypeVar("T")
Key = tuple[object, ...]


class ViewerLayouts:
    """The app's graphs, layouts and drawings for the viewer's semantic zoom. Each is made once
    (single flight per key) and outside the lock that guards the caches: a layout of seconds
    holds up only the requests that wait for that same layout."""

    def __init__(self, caches: SnapshotCaches) -> None:
        self.caches = caches
        self.graphs: OrderedDict[tuple[object, ...], Graph] = OrderedDict()
        self.layouts: OrderedDict[tuple[object, ...], Layout] = OrderedDict()
        self.drawings: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self.lock = threading.Lock()
        self._making: dict[tuple[object, ...], threading.Lock] = {}

    def has_layout(self, key: tuple[object, ...]) -> bool:
        """Whether that layout is made, or being made (every tiled request asks, while the
        first one's layout of seconds runs)."""
        with self.lock:
            return key in self.layouts or (id(self.layouts), *key) in self._making

    def made(
        self,
        cache: OrderedDict[tuple[object, ...], T],
        key: tuple[object, ...],
        make: Callable[[], T],
        keep: int,
    ) -> T:
        """The cached value of ``key``, made by ``make`` the first time (once, however many
        requests ask at the same moment), the cache kept to ``keep`` values."""
        with self.lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            flight = (id(cache), *key)
            making = self._making.setdefault(flight, threading.Lock())
        try:
            with making:
                with self.lock:
                    if key in cache:
                        return cache[key]
                value = make()
                with self.lock:
                    cache[key] = value
                    while len(cache) > keep:
                        cache.popitem(last=False)
        finally:
            with self.lock:
                self._making.pop(flight, None)
        return value


def layouts_on(request: Request) -> ViewerLayouts:
    state = request.app.state
    with _attach_lock:
        found = getattr(state, "viewer_layouts", None)
        if found is None:
            found = state.viewer_layouts = ViewerLayouts(caches_of(state))
    return cast(ViewerLayouts, found)


def graph_of(held: ViewerLayouts, snapshots: list[Snapshot], location: str | None) -> Graph:
    def make() -> Graph:
        inventories = [inventory_of(s, held.caches) for s in snapshots]
        merged = union(inventories) if len(inventories) > 1 else inventories[0]
        return to_graph(merged, location)

    key = (tuple(sorted(s.content_hash for s in snapshots)), location)
    return held.made(held.graphs, key, make, 2)


def _layout_key(snapshots: list[Snapshot], location: str | None, opts: RenderOptions) -> Key:
    hashes = tuple(sorted(s.content_hash for s in snapshots))
    return (hashes, location, opts.filter, opts.exclude, opts.group_by, opts.autoconnect)


def _layout_of(
    held: ViewerLayouts, snapshots: list[Snapshot], view: View, opts: RenderOptions
) -> Layout:
    return held.made(
        held.layouts,
        _layout_key(snapshots, view.location, opts),
        lambda: layout(graph_of(held, snapshots, view.location), opts),
        KEPT_LAYOUTS,
    )


def _viewer_drawing(
    request: Request, session: SessionDep, snapshots: list[Snapshot], view: View
) -> bytes:
    """``tiles=1``: the whole drawing with the summary tiles over it (the viewer shows them when
    zoomed out); ``tiles=1&level=overview``: tiles in place of the resources (large estates);
    ``groups=g-1,g-2``: the resources of those groups alone, in the same coordinates. The first
    two come prepared by the scan that stored the snapshot, when it did."""
    held = layouts_on(request)
    groups = _groups(request.query_params)
    opts = first_drawing.layout_options(view.opts, groups)

    def make() -> bytes:
        if not groups and len(snapshots) == 1:
            found = first_drawing.prepared(session, snapshots[0], view.location, view.opts)
            if found is not None:
                return found
        lay = _layout_of(held, snapshots, view, opts)
        return first_drawing.draw(lay, view.opts, groups)

    # The drawing is named before anything is laid out: a prepared one is read once a process.
    key = (*_layout_key(snapshots, view.location, opts), view.opts, groups)
    data = held.made(held.drawings, key, make, KEPT_DRAWINGS)
    if first_drawing.is_quick(view.opts, groups):
        _lay_out_soon(held, snapshots, view)
    return data


def _groups(params: Any) -> tuple[str, ...]:
    groups = tuple(g for g in (params.get("groups") or "").split(",") if g)
    if params.get("groups") is not None and not 0 < len(groups) <= MAX_GROUPS:
        raise BadRequest(f"groups must name 1 to {MAX_GROUPS} groups, comma-separated")
    return groups


def _lay_out_soon(held: ViewerLayouts, snapshots: list[Snapshot], view: View) -> None:
    """The whole layout, made in the background for the resources the viewer asks for next."""
    full = _layout_key(snapshots, view.location, view.opts)
    if held.has_layout(full):
        return

    def lay_out() -> None:
        graph = graph_of(held, snapshots, view.location)
        held.made(held.layouts, full, lambda: layout(graph, view.opts), KEPT_LAYOUTS)

    threading.Thread(target=lay_out, daemon=True).start()


def _filename(account: AzureAccount, view: View, fmt: str) -> str:
    stem = safe_stem(account.name, fallback="azure-account")
    return f"{stem}-{view.location or 'all-regions'}.{EXTENSIONS[fmt]}"


@router.get("/azure/accounts/{account_id}/export.{fmt}")
def export(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    account_id: str,
    fmt: str,
) -> Response:
    """Download the diagram in one format, drawn with the viewer's options."""
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    account = _account(session, actor, account_id)
    view = view_of(dict(request.query_params))
    snapshots = [latest_of(session, account), *others_drawn_with(session, actor, account, request)]
    caches = caches_of(request.app.state)
    view = cost_view(session, settings, dict(request.query_params), view, snapshots, caches)
    data = _drawing(request, snapshots, view, fmt)
    disposition = f'attachment; filename="{_filename(account, view, fmt)}"'
    headers = {"Content-Disposition": disposition, "X-Snapshot-Id": snapshots[0].id}
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


def _portal_url(settings: Settings, account: AzureAccount, resource: Resource) -> str | None:
    portal = PORTALS.get(settings.azure_cloud)
    if portal is None or settings.azure_authority_host:
        return None  # a simulator or Azure Stack: no portal we know of
    return f"{portal}/#@{account.directory_id}/resource{quote(resource.id, safe='/-_.~()')}"


@router.get("/azure/accounts/{account_id}/resources", response_model=None)
def resource_details(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    account_id: str,
    key: str,
) -> Response:
    """One resource of the latest snapshot and its connections: an HTML fragment, or JSON."""
    account = _account(session, actor, account_id)
    snapshots = [latest_of(session, account), *others_drawn_with(session, actor, account, request)]
    caches = caches_of(request.app.state)
    inventory = (
        union([inventory_of(s, caches) for s in snapshots])
        if len(snapshots) > 1
        else inventory_of(snapshots[0], caches)
    )
    resource = inventory.resources.get(key.lower())
    if resource is None:
        raise NotFound("That resource is not in the latest snapshot of this account.")
    connections = ConnectionOut.of_resource(inventory, resource.key)
    wants_json = "application/json" in request.headers.get("accept", "")
    if wants_json or request.query_params.get("format") == "json":
        return JSONResponse(ResourceDetailOut.of_detail(resource, connections).wire())
    context = {
        "account": account,
        "resource": resource,
        "subscription_name": inventory.subscriptions.get(resource.subscription_id, ""),
        "connections": connections[:MAX_CONNECTIONS],
        "more_connections": max(0, len(connections) - MAX_CONNECTIONS),
        "portal_url": _portal_url(settings, account, resource),
    }
    return render_page(request, "viewer/_resource.html", context)
