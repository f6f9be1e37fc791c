"""``/api/azure/account``: Cloudcraft's Azure account endpoints, plus check, bulk add and audit."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Header, Response
from pydantic import BaseModel, ValidationError

from cloudcanvas.accounts import audit
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import (
    AccountCheck,
    AccountCreate,
    AccountUpdate,
    account_json,
    etag,
)
from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.api.errors import describe_validation
from cloudcanvas.azure.credentials import CheckResult
from cloudcanvas.errors import BadRequest
from cloudcanvas.identity.policy import Action, authorize
from cloudcanvas.store.base import iso

router = APIRouter()
MAX_BULK = 100
Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], payload: Any) -> Model:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise BadRequest(describe_validation(list(error.errors()))) from None


def check_json(result: CheckResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "code": result.code,
        "message": result.message,
        "stages": [
            {"stage": s.stage.value, "ok": s.ok, "code": s.code, "message": s.message}
            for s in result.stages
        ],
        "warnings": result.warnings,
        "canWrite": result.can_write,
        "subscriptions": [
            {"subscriptionId": s.id, "displayName": s.display_name, "state": s.state}
            for s in result.subscriptions
        ],
    }


@router.get("/azure/account")
def list_accounts(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The Azure accounts the caller can see."""
    accounts = account_service.list_accounts(session, actor=actor)
    return {"accounts": [account_json(a) for a in accounts]}


@router.post("/azure/account", status_code=201, response_model=None)
def create_account(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    response: Response,
    payload: Annotated[Any, Body()],
) -> dict[str, Any]:
    """Connect an account (checked against Azure first), or a list of them (each row reported)."""
    access = account_service.AzureAccess.from_settings(settings)
    if isinstance(payload, list):
        if not payload or len(payload) > MAX_BULK:
            raise BadRequest(f"Send between 1 and {MAX_BULK} accounts in one request.")
        rows = [parse(AccountCreate, item) for item in payload]
        results = account_service.create_accounts(session, actor=actor, rows=rows, access=access)
        response.status_code = 200
        return {
            "results": [
                {"index": r.index, "name": r.name, "ok": r.ok, "code": r.code, "error": r.error}
                | ({"account": account_json(r.account)} if r.account else {})
                for r in results
            ]
        }
    data = parse(AccountCreate, payload)
    account = account_service.create_account(session, actor=actor, data=data, access=access)
    response.headers["ETag"] = etag(account)
    return account_json(account)


@router.post("/azure/account/check")
def check_account(
    settings: SettingsDep, actor: ActorDep, payload: Annotated[Any, Body()]
) -> dict[str, Any]:
    """Run the Add wizard's checks up to ``stage`` and store nothing."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    result = account_service.check(
        account_service.AzureAccess.from_settings(settings), parse(AccountCheck, payload)
    )
    result.raise_for_failure()
    return check_json(result)


@router.get("/azure/account/{account_id}")
def read_account(
    session: SessionDep, actor: ActorDep, account_id: str, response: Response
) -> dict[str, Any]:
    """One account."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    response.headers["ETag"] = etag(account)
    return account_json(account)


@router.put("/azure/account/{account_id}")
def update_account(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    response: Response,
    payload: Annotated[Any, Body()],
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Edit an account; ``clientSecret`` is kept when omitted; ``If-Match`` guards overwrites."""
    account = account_service.update_account(
        session,
        actor=actor,
        account_id=account_id,
        data=parse(AccountUpdate, payload),
        access=account_service.AzureAccess.from_settings(settings),
        if_match=if_match,
    )
    response.headers["ETag"] = etag(account)
    return account_json(account)


@router.delete("/azure/account/{account_id}", status_code=204)
def delete_account(session: SessionDep, actor: ActorDep, account_id: str) -> Response:
    """Remove an account, its secret, scans and snapshots."""
    account_service.delete_account(session, actor=actor, account_id=account_id)
    return Response(status_code=204)


@router.get("/audit")
def list_audit(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The organization's audit log (owners and administrators)."""
    events = audit.list_events(session, actor=actor)
    return {
        "events": [
            {
                "id": e.id,
                "action": e.action,
                "actor": e.actor_email,
                "targetType": e.target_type,
                "targetId": e.target_id,
                "targetName": e.target_name,
                "changes": e.changes,
                "createdAt": iso(e.created_at),
            }
            for e in events
        ]
    }
