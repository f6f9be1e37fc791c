"""Azure accounts pages: the list, edit and remove."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountUpdate, SubscriptionChoicesOut, etag
from cloudcanvas.accounts.status import LABELS
from cloudcanvas.errors import AppError
from cloudcanvas.http.answers import error_json
from cloudcanvas.identity.policy import Action, Actor, can
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount
from cloudcanvas.web.account_forms import (
    FLASH_COOKIE,
    TeamsField,
    described_error,
    done,
    field_of,
    organization_teams,
    parse_date,
)
from cloudcanvas.web.deps import SessionDep, SettingsDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()
STATUS_TEXT = LABELS


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
            "readTeams": [e.split("/", 1)[1] for e in account.readers],
            "writeTeams": [e.split("/", 1)[1] for e in account.writers],
        },
        "error": error.message if error else None,
        "error_field": field_of(error) if error else None,
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
            azure=account_service.AzureContext.from_settings(settings),
        )
    except AppError as error:
        return error_json(error)
    return JSONResponse(SubscriptionChoicesOut.of(found).wire())


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
        shared = (read_teams, write_teams) if share else None
        account = account_service.update_account(
            session,
            actor=actor,
            account_id=account_id,
            data=_update_of(values, client_secret, shared),
            azure=account_service.AzureContext.from_settings(settings),
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
    return done(f"Azure account “{account.name}” saved.")


def _update_of(
    values: dict[str, Any], client_secret: str, shared: tuple[list[str], list[str]] | None
) -> AccountUpdate:
    """The edit form as an ``AccountUpdate``; a bad field raises ``BadRequest`` naming it. The
    team lists are sent only by a user who may share (``shared``)."""
    payload: dict[str, Any] = {
        "name": values["name"],
        "subscriptionId": values["subscriptionId"] or None,
        "clientSecret": client_secret or None,
        "secretExpiresAt": parse_date(values["secretExpiresAt"], "secretExpiresAt"),
    }
    if shared is not None:
        payload["readAccess"] = [f"team/{t}" for t in shared[0]]
        payload["writeAccess"] = [f"team/{t}" for t in shared[1]]
    try:
        return AccountUpdate.model_validate(payload)
    except ValidationError as error:
        raise described_error(error) from None


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
    return done(f"Azure account “{name}” removed.")
