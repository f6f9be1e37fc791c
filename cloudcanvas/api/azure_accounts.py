"""``/api/azure/account``: Cloudcraft's Azure account endpoints, plus check, bulk add and audit."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Header, Request, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts import audit
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import (
    AccountCheck,
    AccountCreate,
    AccountCreatedOut,
    AccountListOut,
    AccountOut,
    AccountUpdate,
    AuditEventOut,
    AuditOut,
    BulkOut,
    BulkRowOut,
    etag,
)
from cloudcanvas.api.deps import ActorDep, SessionDep, SettingsDep
from cloudcanvas.api.errors import describe_validation
from cloudcanvas.api.openapi import body_schema
from cloudcanvas.azure.schemas import CheckOut
from cloudcanvas.errors import BadRequest
from cloudcanvas.identity.policy import Action, Actor, authorize
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.store.models import AzureAccount

router = APIRouter()
MAX_BULK = 100
Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], payload: Any) -> Model:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise BadRequest(describe_validation(list(error.errors()))) from None


@router.get("/azure/account")
def list_accounts(session: SessionDep, actor: ActorDep) -> AccountListOut:
    """The Azure accounts the caller can see."""
    accounts = account_service.list_accounts(session, actor=actor)
    return AccountListOut(accounts=[AccountOut.of(a) for a in accounts])


@router.post(
    "/azure/account",
    status_code=201,
    response_model=AccountCreatedOut | BulkOut,
    openapi_extra=body_schema(AccountCreate, bulk=True),
    responses={200: {"model": BulkOut, "description": "A bulk add: one result per row"}},
)
def create_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    response: Response,
    payload: Annotated[Any, Body()],
) -> AccountCreatedOut | BulkOut:
    """Connect an account (checked against Azure first), or a list of them (each row reported);
    each account connected is scanned at once."""
    azure = account_service.AzureContext.from_settings(settings)
    if isinstance(payload, list):
        if not payload or len(payload) > MAX_BULK:
            raise BadRequest(f"Send between 1 and {MAX_BULK} accounts in one request.")
        rows = [parse(AccountCreate, item) for item in payload]
        results = account_service.create_accounts(session, actor=actor, rows=rows, azure=azure)
        scan_ids = scan_new_accounts(request, session, actor, [r.account for r in results])
        response.status_code = 200
        return BulkOut(
            results=[
                BulkRowOut.of(r, scan_ids.get(r.account.id if r.account else "")) for r in results
            ]
        )
    data = parse(AccountCreate, payload)
    account = account_service.create_account(session, actor=actor, data=data, azure=azure)
    scan_id = scan_new_accounts(request, session, actor, [account]).get(account.id)
    response.headers["ETag"] = etag(account)
    if scan_id is not None:
        response.headers["Link"] = f'</api/azure/account/{account.id}/scans/{scan_id}>; rel="scan"'
    created = AccountCreatedOut.of(account)
    created.scan_id = scan_id
    return created


def scan_new_accounts(
    request: Request, session: Session, actor: Actor, accounts: list[AzureAccount | None]
) -> dict[str, str]:
    """Connected accounts are scanned at once, as the Add wizard does (committed, then queued);
    the id of each one's scan, by account id."""
    scans = jobs_queue.start_first_scans(
        session,
        jobs_queue.queue_of(request.app.state),
        accounts=[a for a in accounts if a is not None],
        actor=actor,
        trigger="api",
    )
    return {account_id: scan.id for account_id, scan in scans.items()}


@router.post("/azure/account/check", openapi_extra=body_schema(AccountCheck))
def check_account(
    settings: SettingsDep, actor: ActorDep, payload: Annotated[Any, Body()]
) -> CheckOut:
    """Run the Add wizard's checks up to ``stage`` and store nothing."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    result = account_service.check(
        account_service.AzureContext.from_settings(settings), parse(AccountCheck, payload)
    )
    result.raise_for_failure()
    return CheckOut.of(result)


@router.get("/azure/account/{account_id}")
def read_account(
    session: SessionDep, actor: ActorDep, account_id: str, response: Response
) -> AccountOut:
    """One account."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    response.headers["ETag"] = etag(account)
    return AccountOut.of(account)


@router.put("/azure/account/{account_id}", openapi_extra=body_schema(AccountUpdate))
def update_account(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    account_id: str,
    response: Response,
    payload: Annotated[Any, Body()],
    if_match: Annotated[str | None, Header()] = None,
) -> AccountOut:
    """Edit an account; ``clientSecret`` is kept when omitted; ``If-Match`` guards overwrites."""
    account = account_service.update_account(
        session,
        actor=actor,
        account_id=account_id,
        data=parse(AccountUpdate, payload),
        azure=account_service.AzureContext.from_settings(settings),
        if_match=if_match,
    )
    response.headers["ETag"] = etag(account)
    return AccountOut.of(account)


@router.delete("/azure/account/{account_id}", status_code=204)
def delete_account(session: SessionDep, actor: ActorDep, account_id: str) -> Response:
    """Remove an account, its secret, scans and snapshots."""
    account_service.delete_account(session, actor=actor, account_id=account_id)
    return Response(status_code=204)


@router.get("/audit")
def list_audit(session: SessionDep, actor: ActorDep) -> AuditOut:
    """The organization's audit log (owners and administrators)."""
    return AuditOut(events=[AuditEventOut.of(e) for e in audit.list_events(session, actor=actor)])
