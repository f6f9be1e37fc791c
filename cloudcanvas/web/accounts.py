"""Azure accounts pages: the list, the Add wizard, edit and remove."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts import status
from cloudcanvas.accounts.schemas import AccountCheck, AccountCreate, AccountUpdate, etag
from cloudcanvas.azure.credentials import CheckResult
from cloudcanvas.errors import AppError, BadRequest
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, Actor, authorize, can
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, Team
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()
FLASH_COOKIE = "cloudcanvas_flash"
MAX_IMPORT_ROWS = 100
SECRET_LIFETIME = timedelta(days=730)  # the Azure portal's recommended 24 months
IMPORT_COLUMNS = ("name", "subscriptionId", "directoryId", "applicationId", "clientSecret")
# The form field a failed check points at, for codes whose stage does not name one.
FIELD_OF_CODE = {
    "client_secret_is_id": "clientSecret",
    "invalid_client_secret": "clientSecret",
    "expired_client_secret": "clientSecret",
    "application_not_found": "applicationId",
    "directory_not_found": "directoryId",
}
STEP_OF_FIELD = {"directoryId": 1, "applicationId": 1, "clientSecret": 2, "subscriptionId": 3}
STATUS_TEXT = status.LABELS
TeamsField = Annotated[list[str], Form()]


@dataclass(frozen=True)
class Expiry:
    level: str  # "warn" (30 days), "urgent" (7 days) or "expired"
    text: str


def expiry_of(account: AzureAccount, now: datetime) -> Expiry | None:
    """The secret-expiry warning of a row: 30 and 7 days ahead, and once it is past."""
    expires = account.secret_expires_at
    if expires is None:
        return None
    on = f"{expires:%Y-%m-%d}"
    days = (expires - now).total_seconds() / 86400
    if days <= 0:
        return Expiry("expired", f"The client secret expired on {on}: save a new one.")
    whole = int(days)
    left = "less than a day" if whole == 0 else f"{whole} day{'s' if whole != 1 else ''}"
    if days <= 7:
        return Expiry("urgent", f"The client secret expires in {left} ({on}): replace it now.")
    if days <= 30:
        return Expiry("warn", f"The client secret expires in {left} ({on}).")
    return None


def _flash(response: Response, message: str) -> Response:
    response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax")
    return response


def _done(session: Session, message: str, to: str = "/azure/accounts") -> Response:
    # Commit before answering: the browser follows the redirect at once, and the session's own
    # commit runs only after the response has been sent.
    session.commit()
    return _flash(RedirectResponse(to, status_code=303), message)


def _field_of(error: AppError) -> str | None:
    field = error.detail.get("field") if error.detail else None
    return str(field) if field else FIELD_OF_CODE.get(error.code)


def organization_teams(session: Session, actor: Actor) -> list[Team]:
    return list(identity_service.list_teams(session, actor=actor))


def parse_date(value: str, field: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(value.strip()), time(0), UTC)
    except ValueError:
        raise BadRequest(
            "Secret expires on must be a date such as 2027-06-30.", detail={"field": field}
        ) from None


FIELD_LABELS = {
    "name": "Account name",
    "subscriptionId": "Subscription ID",
    "directoryId": "Directory (tenant) ID",
    "applicationId": "Application (client) ID",
    "clientSecret": "Client secret",
    "secretExpiresAt": "Secret expires on",
    "readAccess": "Team access",
    "writeAccess": "Team access",
}


def described_error(error: ValidationError) -> BadRequest:
    """The first problem of a form, named with the label the user sees."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = FIELD_LABELS.get(field, field)
    return BadRequest(f"{label}: {first['msg'].lower()}.", detail={"field": field})


# ---- the list ----------------------------------------------------------------------------------


@router.get("/azure/accounts")
def accounts_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """Manage Azure accounts: every account the user can see, with status and expiry."""
    accounts = account_service.list_accounts(session, actor=actor)
    now = utcnow()
    rows = [
        {
            "account": a,
            "status_text": STATUS_TEXT.get(a.status, a.status),
            "expiry": expiry_of(a, now),
            "may_edit": can(actor, Action.EDIT_ACCOUNT, a),
            "may_remove": can(actor, Action.REMOVE_ACCOUNT, a),
        }
        for a in sorted(accounts, key=lambda a: a.name.lower())
    ]
    context = {
        "rows": rows,
        "may_connect": can(actor, Action.CONNECT_ACCOUNT),
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")),
    }
    response = render(request, "accounts/list.html", context)
    response.delete_cookie(FLASH_COOKIE)
    return response


# ---- the Add wizard ----------------------------------------------------------------------------


def _wizard(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any] | None = None,
    error: AppError | None = None,
) -> Response:
    field = _field_of(error) if error else None
    context = {
        "teams": organization_teams(session, actor),
        "values": values or {},
        "default_expiry": f"{(utcnow() + SECRET_LIFETIME):%Y-%m-%d}",
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
    failed = result.failed
    body: dict[str, Any] = {
        "ok": failed is None,
        "step": step,
        "message": result.message,
        "warnings": list(result.warnings),
        "subscriptions": [
            {"id": s.id, "name": s.display_name, "state": s.state} for s in result.subscriptions
        ],
    }
    if failed is not None:
        field = failed.field or FIELD_OF_CODE.get(failed.code or "")
        body.update(code=failed.code, field=field, fieldStep=STEP_OF_FIELD.get(field or ""))
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
    try:
        data = AccountCheck.model_validate(payload)
    except ValidationError as error:
        problem = described_error(error)
        field = _field_of(problem)
        body = {"ok": False, "step": step, "message": problem.message, "field": field}
        return JSONResponse(body | {"fieldStep": STEP_OF_FIELD.get(field or "")})
    result = account_service.check(account_service.AzureAccess.from_settings(settings), data)
    body = _check_json(step, result)
    if step == "secret" and body.get("code") == "subscription_not_found":
        # The secret works; seeing no subscription is step 3's problem (the Reader role).
        body.update(ok=True, notice=body.pop("message"), field=None, fieldStep=None, code=None)
    return JSONResponse(body)


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
    secret_expires_at: Annotated[str, Form(alias="secretExpiresAt")] = "",
    read_teams: TeamsField = [],  # noqa: B006  (FastAPI copies form defaults)
    write_teams: TeamsField = [],  # noqa: B006
) -> Response:
    """Save Account: checks everything against Azure again, then stores the account."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    values = {
        "name": name,
        "directoryId": directory_id,
        "applicationId": application_id,
        "subscriptionId": subscription_id,
        "secretExpiresAt": secret_expires_at,
        "readTeams": read_teams,
        "writeTeams": write_teams,
    }
    try:
        data = _account_create(values, client_secret)
        access = account_service.AzureAccess.from_settings(settings)
        account = account_service.create_account(session, actor=actor, data=data, access=access)
    except AppError as error:
        session.rollback()
        return _wizard(request, session, actor, values, error)
    message = f"Azure account “{account.name}” connected."
    if account.warnings:
        message += " " + " ".join(account.warnings)
    return _done(session, message)


def _account_create(values: dict[str, Any], client_secret: str) -> AccountCreate:
    payload = {
        "name": values["name"] or values["subscriptionId"],
        "directoryId": values["directoryId"],
        "applicationId": values["applicationId"],
        "subscriptionId": values["subscriptionId"],
        "clientSecret": client_secret,
        "secretExpiresAt": parse_date(values["secretExpiresAt"], "secretExpiresAt"),
        "readAccess": [f"team/{t}" for t in values["readTeams"]],
        "writeAccess": [f"team/{t}" for t in values["writeTeams"]],
    }
    try:
        return AccountCreate.model_validate(payload)
    except ValidationError as error:
        raise described_error(error) from None


# ---- edit and remove ---------------------------------------------------------------------------


def _edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    account: AzureAccount,
    values: dict[str, Any] | None = None,
    error: AppError | None = None,
) -> Response:
    may_share = can(actor, Action.SHARE_ACCOUNT, account)
    expires = account.secret_expires_at
    context = {
        "account": account,
        "etag": etag(account),
        "may_share": may_share,
        "teams": organization_teams(session, actor) if may_share else [],
        "values": values
        or {
            "name": account.name,
            "subscriptionId": account.subscription_id,
            "secretExpiresAt": f"{expires:%Y-%m-%d}" if expires else "",
            "readTeams": [e.split("/", 1)[1] for e in account.read_access],
            "writeTeams": [e.split("/", 1)[1] for e in account.write_access],
        },
        "default_expiry": f"{(utcnow() + SECRET_LIFETIME):%Y-%m-%d}",
        "error": error.message if error else None,
        "error_field": _field_of(error) if error else None,
        "status_text": STATUS_TEXT.get(account.status, account.status),
        "expiry": expiry_of(account, utcnow()),
    }
    status = error.status_code if error else 200
    return render(request, "accounts/edit.html", context, status_code=status)


@router.get("/azure/accounts/{account_id}/edit")
def edit_account_page(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """Edit an account: name, client secret, subscription, team access."""
    account = account_service.get_account(
        session, actor=actor, account_id=account_id, action=Action.EDIT_ACCOUNT
    )
    return _edit_page(request, session, actor, account)


@router.get("/azure/accounts/{account_id}/subscriptions")
def account_subscriptions(
    session: SessionDep, settings: SettingsDep, actor: WebActorDep, account_id: str
) -> Response:
    """The subscriptions the account's app can see (the edit page's picker); JSON."""
    try:
        found = account_service.account_subscriptions(
            session,
            actor=actor,
            account_id=account_id,
            access=account_service.AzureAccess.from_settings(settings),
        )
    except AppError as error:
        return JSONResponse(error.to_dict(), status_code=error.status_code)
    rows = [{"id": s.id, "name": s.display_name, "state": s.state} for s in found]
    return JSONResponse({"subscriptions": rows})


@router.post("/azure/accounts/{account_id}/edit")
def edit_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: WebActorDep,
    account_id: str,
    if_match: Annotated[str, Form(alias="etag")] = "",
    name: Annotated[str, Form()] = "",
    client_secret: Annotated[str, Form(alias="clientSecret")] = "",
    subscription_id: Annotated[str, Form(alias="subscriptionId")] = "",
    secret_expires_at: Annotated[str, Form(alias="secretExpiresAt")] = "",
    share: Annotated[str, Form()] = "",
    read_teams: TeamsField = [],  # noqa: B006
    write_teams: TeamsField = [],  # noqa: B006
) -> Response:
    """Save the edit; a stale form (another change since it was loaded) is refused."""
    values = {
        "name": name,
        "subscriptionId": subscription_id,
        "secretExpiresAt": secret_expires_at,
        "readTeams": read_teams,
        "writeTeams": write_teams,
    }
    try:
        payload: dict[str, Any] = {
            "name": name,
            "subscriptionId": subscription_id or None,
            "clientSecret": client_secret or None,
            "secretExpiresAt": parse_date(secret_expires_at, "secretExpiresAt"),
        }
        if share:
            payload["readAccess"] = [f"team/{t}" for t in read_teams]
            payload["writeAccess"] = [f"team/{t}" for t in write_teams]
        try:
            data = AccountUpdate.model_validate(payload)
        except ValidationError as error:
            raise described_error(error) from None
        account = account_service.update_account(
            session,
            actor=actor,
            account_id=account_id,
            data=data,
            access=account_service.AzureAccess.from_settings(settings),
            if_match=if_match or None,
        )
    except AppError as error:
        if error.status_code not in (400, 412, 503):
            raise
        session.rollback()
        account = account_service.get_account(
            session, actor=actor, account_id=account_id, action=Action.EDIT_ACCOUNT
        )
        return _edit_page(request, session, actor, account, values, error)
    return _done(session, f"Azure account “{account.name}” saved.")


@router.post("/azure/accounts/{account_id}/delete")
def remove_account(
    request: Request, session: SessionDep, actor: WebActorDep, account_id: str
) -> Response:
    """Remove an account (after the confirmation dialog)."""
    account = account_service.get_account(
        session, actor=actor, account_id=account_id, action=Action.REMOVE_ACCOUNT
    )
    name = account.name
    account_service.delete_account(session, actor=actor, account_id=account_id)
    return _done(session, f"Azure account “{name}” removed.")
