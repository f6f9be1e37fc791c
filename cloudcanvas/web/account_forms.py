"""Form parsing shared by the account pages: dates, field labels, errors pointed at a field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.azure.credentials import FIELD_LABELS as CHECK_FIELD_LABELS
from cloudcanvas.errors import AppError, BadRequest
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Actor
from cloudcanvas.store.models import Team

FLASH_COOKIE = "cloudcanvas_flash"
TeamsField = Annotated[list[str], Form()]
# The form field a failed check points at, for codes whose stage does not name one.
FIELD_OF_CODE = {
    "client_secret_is_id": "clientSecret",
    "invalid_client_secret": "clientSecret",
    "expired_client_secret": "clientSecret",
    "application_not_found": "applicationId",
    "directory_not_found": "directoryId",
}
STEP_OF_FIELD = {
    "directoryId": 1,
    "applicationId": 1,
    "clientSecret": 2,
    "secretExpiresAt": 2,
    "subscriptionId": 3,
    "duplicate": 4,
}
# The Azure IDs are labelled as the credential checks label them; the rest are the forms' own.
FIELD_LABELS = CHECK_FIELD_LABELS | {
    "name": "Account name",
    "clientSecret": "Client secret",
    "secretExpiresAt": "Secret expires on",
    "readAccess": "Team access",
    "writeAccess": "Team access",
}


def flash(response: Response, message: str) -> Response:
    response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax")
    return response


def done(message: str, to: str = "/azure/accounts") -> Response:
    """Redirect with a flash message (the session dependency commits before it is sent)."""
    return flash(RedirectResponse(to, status_code=303), message)


def field_of(error: AppError) -> str | None:
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


def described_error(error: ValidationError) -> BadRequest:
    """The first problem of a form, named with the label the user sees."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = FIELD_LABELS.get(field, field)
    return BadRequest(f"{label}: {first['msg'].lower()}.", detail={"field": field})


def scope_fields(ids: list[str], scope: str, management_group: str) -> dict[str, Any]:
    """The wizard's "Draw" choice as the API's subscriptionIds / scope."""
    if scope == "all":
        return {"scope": "all"}
    if scope == "managementGroup":
        group = management_group.strip().rsplit("/", 1)[-1]
        if not group:
            raise BadRequest("Enter the management group's ID.", detail={"field": "scope"})
        return {"scope": f"/providers/Microsoft.Management/managementGroups/{group}"}
    return {"subscriptionIds": [i for i in ids if i.strip()]}


def account_create(values: dict[str, Any], client_secret: str) -> AccountCreate:
    """The wizard's form as the service's input; a bad field raises ``BadRequest`` naming it."""
    payload = {
        "name": values["name"],  # empty: the subscription's display name
        "directoryId": values["directoryId"],
        "applicationId": values["applicationId"],
        "subscriptionId": values["subscriptionId"],
        "clientSecret": client_secret,
        "secretExpiresAt": parse_date(values["secretExpiresAt"], "secretExpiresAt"),
        "readAccess": [f"team/{t}" for t in values["readTeams"]],
        "writeAccess": [f"team/{t}" for t in values["writeTeams"]],
    }
    payload |= scope_fields(
        values.get("subscriptionIds", []),
        values.get("scope", ""),
        values.get("managementGroup", ""),
    )
    try:
        return AccountCreate.model_validate(payload)
    except ValidationError as error:
        raise described_error(error) from None
