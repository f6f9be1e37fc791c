"""The Add Azure Account wizard: each step's check against Azure, then Save Account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCheck
from cloudcanvas.azure.credentials import CheckResult, Credentials, validate_ids
from cloudcanvas.azure.schemas import CheckOut
from cloudcanvas.cost import service as cost_service
from cloudcanvas.errors import AppError, BadRequest
from cloudcanvas.identity.policy import Action, Actor, authorize, can
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.store.models import AzureAccount
from cloudcanvas.web.account_forms import (
    FIELD_OF_CODE,
    STEP_OF_FIELD,
    TeamsField,
    account_create,
    described_error,
    done,
    field_of,
    organization_teams,
    scope_fields,
)
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()


# ---- the Add wizard ----------------------------------------------------------------------------


def _wizard(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any] | None = None,
    error: AppError | None = None,
    duplicate: AzureAccount | None = None,
) -> Response:
    field = field_of(error) if error else None
    context = {
        "teams": organization_teams(session, actor),
        "values": values or {},
        "duplicate": duplicate,
        "error": error.message if error else None,
        "error_field": field,
        "error_step": STEP_OF_FIELD.get(field or "", 4) if error else None,
    }
    return render(request, "accounts/new.html", context, status_code=400 if error else 200)


@router.get("/azure/accounts/new")
def new_account_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """The Add Azure Account wizard."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    return _wizard(request, session, actor)


def _check_json(step: str, result: CheckResult) -> dict[str, Any]:
    """The API's check result (one serializer, ``CheckOut``) plus where the wizard shows it."""
    body: dict[str, Any] = CheckOut.of(result).wire() | {"step": step}
    failed = result.failed
    if failed is not None:
        field = failed.field or FIELD_OF_CODE.get(failed.code or "")
        body.update(field=field, fieldStep=STEP_OF_FIELD.get(field or ""))
    return body


@router.post("/azure/accounts/new/check")
def check_step(
    settings: SettingsDep,
    actor: WebActorDep,
    step: Annotated[str, Form()],
    directory_id: Annotated[str, Form(alias="directoryId")] = "",
    application_id: Annotated[str, Form(alias="applicationId")] = "",
    client_secret: Annotated[str, Form(alias="clientSecret")] = "",
    subscription_id: Annotated[str, Form(alias="subscriptionId")] = "",
    subscription_ids: Annotated[list[str], Form(alias="subscriptionIds")] = [],  # noqa: B006
    scope: Annotated[str, Form()] = "",
    management_group: Annotated[str, Form(alias="managementGroup")] = "",
) -> Response:
    """Run one wizard step's check against Azure; stores nothing, never echoes the secret."""
    if not can(actor, Action.CONNECT_ACCOUNT):
        message = "Only an owner or administrator of the organization may connect accounts."
        return JSONResponse({"ok": False, "step": step, "message": message}, status_code=403)
    stages = {"app": "directory", "secret": "subscription", "subscription": "permissions"}
    if step not in stages:
        raise BadRequest("Unknown wizard step.")
    payload = {
        "directoryId": directory_id,
        "applicationId": application_id,
        # The app step checks only the IDs: the secret is typed on the next step.
        "clientSecret": "" if step == "app" else client_secret,
        "subscriptionId": (subscription_id or None) if step == "subscription" else None,
        "stage": stages[step],
    }
    if step == "subscription":
        try:
            payload |= scope_fields(subscription_ids, scope, management_group)
        except BadRequest as error:
            body = {"ok": False, "step": step, "message": error.message, "field": "scope"}
            return JSONResponse(body | {"fieldStep": 3})
    try:
        data = AccountCheck.model_validate(payload)
    except ValidationError as error:
        problem = described_error(error)
        field = field_of(problem)
        body = {"ok": False, "step": step, "message": problem.message, "field": field}
        return JSONResponse(body | {"fieldStep": STEP_OF_FIELD.get(field or "")})
    result = account_service.check(account_service.AzureContext.from_settings(settings), data)
    body = _check_json(step, result)
    if step == "app" and body.get("fieldStep") == 1:
        body["errors"] = _id_errors(directory_id, application_id)
    _after_check(settings, step, data, result.ok, body)
    return JSONResponse(body)


def _after_check(
    settings: SettingsDep, step: str, data: AccountCheck, ok: bool, body: dict[str, Any]
) -> None:
    """What a step adds to its check's answer: a missing subscription is not the secret's
    problem; a readable subscription says whether actual cost can be read too."""
    if step == "secret" and body.get("code") == "subscription_not_found":
        # The secret works; seeing no subscription is step 3's problem (the Reader role).
        body.update(ok=True, notice=body.pop("message"), field=None, fieldStep=None, code=None)
    if step == "subscription" and ok and data.subscription_id:
        creds = Credentials(
            data.directory_id, data.application_id, data.client_secret, data.subscription_id
        )
        body["costReading"] = cost_service.cost_reading(settings, creds)


# A well-formed stand-in for the other ID, so each ID is checked on its own.
_SOME_ID = "00000000-0000-0000-0000-000000000000"


def _id_errors(directory_id: str, application_id: str) -> list[dict[str, str | None]]:
    """Every malformed ID of step 1 at once: the check itself stops at the first."""
    alone = (Credentials(directory_id, _SOME_ID, ""), Credentials(_SOME_ID, application_id, ""))
    problems = [validate_ids(creds) for creds in alone]
    return [{"field": p.field, "message": p.message} for p in problems if not p.ok]


@router.post("/azure/accounts")
def create_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    name: Annotated[str, Form()] = "",
    directory_id: Annotated[str, Form(alias="directoryId")] = "",
    application_id: Annotated[str, Form(alias="applicationId")] = "",
    client_secret: Annotated[str, Form(alias="clientSecret")] = "",
    subscription_id: Annotated[str, Form(alias="subscriptionId")] = "",
    subscription_ids: Annotated[list[str], Form(alias="subscriptionIds")] = [],  # noqa: B006
    scope: Annotated[str, Form()] = "",
    management_group: Annotated[str, Form(alias="managementGroup")] = "",
    secret_expires_at: Annotated[str, Form(alias="secretExpiresAt")] = "",
    read_teams: TeamsField = [],  # noqa: B006  (FastAPI copies form defaults)
    write_teams: TeamsField = [],  # noqa: B006
    allow_duplicate: Annotated[str, Form(alias="allowDuplicate")] = "",
) -> Response:
    """Save Account: checks everything against Azure again, stores the account, scans it."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    values = {
        "name": name,
        "directoryId": directory_id,
        "applicationId": application_id,
        "subscriptionId": subscription_id,
        "subscriptionIds": subscription_ids,
        "scope": scope,
        "managementGroup": management_group,
        "secretExpiresAt": secret_expires_at,
        "readTeams": read_teams,
        "writeTeams": write_teams,
    }
    duplicate = None if allow_duplicate else _connected(session, actor, subscription_id)
    if duplicate is not None:
        error = AppError("This subscription is already connected.", detail={"field": "duplicate"})
        return _wizard(request, session, actor, values, error, duplicate)
    try:
        data = account_create(values, client_secret)
        azure = account_service.AzureContext.from_settings(settings)
        account = account_service.create_account(session, actor=actor, data=data, azure=azure)
    except AppError as error:
        session.rollback()
        return _wizard(request, session, actor, values, error)
    message = f"Azure account “{account.name}” connected."
    if account.warnings:
        message += " " + " ".join(account.warnings)
    return _scan_first(request, session, actor, account, message)


def _connected(session: Session, actor: Actor, subscription_id: str) -> AzureAccount | None:
    """The account that already reads this subscription, when the user can see one."""
    wanted = subscription_id.strip().lower()
    accounts = account_service.list_accounts(session, actor=actor)
    return next((a for a in accounts if wanted and a.subscription_id == wanted), None)


def _scan_first(
    request: Request, session: Session, actor: Actor, account: AzureAccount, message: str
) -> Response:
    """A new account is scanned at once (its Scans page shows the progress): started, committed
    with the account, then enqueued, in the one place that does all three."""
    queue = jobs_queue.queue_of(request.app.state)
    scans = jobs_queue.start_first_scans(
        session, queue, accounts=[account], actor=actor, trigger="web"
    )
    if account.id not in scans:
        return done(message)  # the list says why (an expired secret): nothing to scan yet
    return done(message + " Its first scan has started.")
