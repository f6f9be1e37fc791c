"""An account's scan page (Scan now, live progress, the last result, counts per region and type)
and what changed between its scans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cloudcanvas.accounts import service as account_service
from cloudcanvas.errors import AppError
from cloudcanvas.identity.policy import Action
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import ScanBlocked, SnapshotNotFound
from cloudcanvas.inventory.model import Resource
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.store.models import AzureAccount
from cloudcanvas.web.deps import SessionDep, WebActorDep
from cloudcanvas.web.templating import render as render_page

router = APIRouter()


def _account(session: SessionDep, actor: WebActorDep, account_id: str) -> AzureAccount:
    return account_service.get_account(session, actor=actor, account_id=account_id)


def scan_context(session: SessionDep, account: AzureAccount) -> dict[str, Any]:
    scans = inventory_repository.list_scans(session, account.id, limit=10)
    active = next((s for s in scans if s.active), None)
    finished = next((s for s in scans if not s.active), None)
    kept = inventory_repository.latest_snapshot(
        session, account.id, good_only=False, with_data=False
    )
    return {"active_scan": active, "last_scan": finished, "scans": scans, "has_snapshot": kept}


@router.get("/azure/accounts/{account_id}/scans")
def scans_page(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """Scan now, live progress, the last result, counts per region and type, and changes."""
    account = _account(session, actor, account_id)
    return _render_scans(request, session, account)


def _render_scans(
    request: Request,
    session: SessionDep,
    account: AzureAccount,
    error: AppError | None = None,
) -> Response:
    snapshot = inventory_service.latest_snapshot(session, account)
    context = {
        "account": account,
        "snapshot": snapshot,
        "tab": "scans",
        "error": error,
        "regions": sorted((snapshot.location_index if snapshot else {}).items(), key=_by_count),
        "types": sorted((snapshot.type_counts if snapshot else {}).items(), key=_by_count),
        **scan_context(session, account),
    }
    status = error.status_code if error else 200
    return render_page(request, "viewer/scans.html", context, status_code=status)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


@router.post("/azure/accounts/{account_id}/scans")
def scan_now(
    request: Request,
    session: SessionDep,
    actor: WebActorDep,
    account_id: str,
    then: Annotated[str, Form()] = "scans",
) -> Response:
    """Start a scan, or join the one running, then show its progress."""
    account = account_service.get_account(
        session, actor=actor, account_id=account_id, action=Action.SCAN_ACCOUNT
    )
    try:
        jobs_queue.start_scan(
            session,
            jobs_queue.queue_of(request.app.state),
            account=account,
            actor=actor,
            trigger="web",
        )
    except ScanBlocked as error:
        return _render_scans(request, session, account, error)
    page = "diagram" if then == "diagram" else "scans"
    return RedirectResponse(f"/azure/accounts/{account.id}/{page}", status_code=303)


@router.get("/azure/accounts/{account_id}/scans/live")
def scan_live(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """The running scan's progress (polled every second); reloads the page when it ends."""
    account = _account(session, actor, account_id)
    context = {"account": account, **scan_context(session, account)}
    response = render_page(request, "viewer/_live.html", context)
    if context["active_scan"] is None and request.headers.get("hx-request"):
        response.headers["HX-Refresh"] = "true"  # the scan ended: show its result
    return response


def _change_rows(changed: list[tuple[Resource, Resource, list[str]]]) -> list[dict[str, Any]]:
    rows = []
    for before, after, fields in changed:
        details = [(name, _value(before, name), _value(after, name)) for name in fields]
        rows.append({"resource": after, "fields": details})
    return rows


def _value(resource: Resource, name: str) -> str:
    if name == "relations":
        return "connections changed"
    if name.startswith("properties."):
        return resource.properties.get(name.removeprefix("properties."), "—")
    value = getattr(resource, name, None)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, tuple):
        return ", ".join(value) or "—"
    text = "—" if value in (None, "") else str(value)
    return text if not text.startswith("/subscriptions/") else text.rsplit("/", 1)[-1]


@router.get("/azure/accounts/{account_id}/changes")
def changes_page(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str, limit: int = 500
) -> Response:
    """What changed since the previous scan (``?fragment=1``: the list alone, for the scan page)."""
    account = _account(session, actor, account_id)
    params = request.query_params
    context: dict[str, Any] = {"account": account, "tab": "changes", "limit": max(1, limit)}
    try:
        old, new, diff = inventory_service.diff_snapshots(
            session, account, params.get("from") or None, params.get("to") or None
        )
    except SnapshotNotFound as error:
        context["missing"] = error.message
    else:
        context |= {"old": old, "new": new, "diff": diff, "changed": _change_rows(diff.changed)}
    name = "viewer/_changes.html" if params.get("fragment") else "viewer/changes.html"
    return render_page(request, name, context)
