"""Azure accounts in bulk (a CSV upload) and the audit log of who changed which account."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import audit
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.errors import BadRequest
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.jobs.queue import JobQueue
from cloudcanvas.store.models import Scan
from cloudcanvas.web import audit_view
from cloudcanvas.web.account_forms import described_error, organization_teams, parse_date
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()
MAX_IMPORT_ROWS = 100
IMPORT_COLUMNS = ("name", "subscriptionId", "directoryId", "applicationId", "clientSecret")

# ---- CSV import --------------------------------------------------------------------------------


@router.get("/azure/accounts/import")
def import_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """Add many accounts from a CSV file."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    return render(request, "accounts/import.html", {"columns": IMPORT_COLUMNS})


@dataclass
class ImportRow:
    line: int
    name: str
    ok: bool
    message: str


def _read_csv(raw: bytes) -> list[dict[str, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadRequest(
            "The first line must name the columns "
            f"{','.join(IMPORT_COLUMNS)}[,secretExpiresAt]; missing: {', '.join(missing)}."
        )
    rows = [row for row in reader if any((v or "").strip() for v in row.values())]
    if not rows:
        raise BadRequest("The file has no account rows.")
    if len(rows) > MAX_IMPORT_ROWS:
        raise BadRequest(f"Import at most {MAX_IMPORT_ROWS} accounts at a time.")
    return rows


def _import_rows(
    session: Session,
    actor: Actor,
    azure: account_service.AzureContext,
    rows: list[dict[str, str]],
    queue: JobQueue,
) -> list[ImportRow]:
    report: dict[int, ImportRow] = {}
    valid: list[tuple[int, AccountCreate]] = []
    for number, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip()
        try:
            payload: dict[str, Any] = {c: (row.get(c) or "") for c in IMPORT_COLUMNS}
            payload["secretExpiresAt"] = parse_date(
                row.get("secretExpiresAt") or "", "secretExpiresAt"
            )
            valid.append((number, AccountCreate.model_validate(payload)))
        except ValidationError as error:
            report[number] = ImportRow(number, name, False, described_error(error).message)
        except BadRequest as error:
            report[number] = ImportRow(number, name, False, error.message)
    results = account_service.create_accounts(
        session, actor=actor, rows=[data for _, data in valid], azure=azure
    )
    # Imported accounts are scanned at once, as the Add wizard's are (committed, then queued).
    scans = jobs_queue.start_first_scans(
        session,
        queue,
        accounts=[r.account for r in results if r.account is not None],
        actor=actor,
        trigger="import",
    )
    for (number, _), result in zip(valid, results, strict=True):
        report[number] = ImportRow(number, result.name, result.ok, _said(result, scans))
    return [report[n] for n in sorted(report)]


def _said(result: account_service.BulkRow, scans: dict[str, Scan]) -> str:
    if result.account is None:
        return result.error or "Refused."
    if result.account.id in scans:
        return "Connected; its first scan has started."
    return "Connected; not scanned until its client secret is renewed."


@router.post("/azure/accounts/import")
def import_accounts(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    file: UploadFile,
) -> Response:
    """Check and add each row of the CSV; report every row (secrets never shown)."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    context: dict[str, Any] = {"columns": IMPORT_COLUMNS}
    try:
        rows = _read_csv(file.file.read())
    except BadRequest as error:
        context["error"] = error.message
        return render(request, "accounts/import.html", context, status_code=400)
    azure = account_service.AzureContext.from_settings(settings)
    queue = jobs_queue.queue_of(request.app.state)
    context["results"] = _import_rows(session, actor, azure, rows, queue)
    return render(request, "accounts/import.html", context)


# ---- audit log ---------------------------------------------------------------------------------


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """Who added, edited, removed or shared which Azure account, and when."""
    events = audit.list_events(session, actor=actor)
    team_names = {f"team/{t.id}": t.name for t in organization_teams(session, actor)}
    context = {"rows": audit_view.readable(events, team_names)}
    return render(request, "audit.html", context)
