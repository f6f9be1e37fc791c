"""Azure account shapes, as Cloudcraft's API names them (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cloudcanvas.store.base import iso
from cloudcanvas.store.models import AzureAccount


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


_SCOPE = Field(default=None, max_length=300)
_IDS = Field(default=None, alias="subscriptionIds", max_length=10000)


class AccountCreate(_Input):
    # Empty: the subscription's display name, read from Azure while the credentials are checked.
    name: str = Field(default="", max_length=200)
    subscription_id: str = Field(default="", alias="subscriptionId", max_length=100)
    subscription_ids: list[str] | None = _IDS
    scope: str | None = _SCOPE
    directory_id: str = Field(alias="directoryId", max_length=300)
    application_id: str = Field(alias="applicationId", max_length=100)
    client_secret: str = Field(alias="clientSecret", min_length=1, max_length=1000, repr=False)
    read_access: list[str] = Field(default_factory=list, alias="readAccess", max_length=100)
    write_access: list[str] = Field(default_factory=list, alias="writeAccess", max_length=100)
    secret_expires_at: datetime | None = Field(default=None, alias="secretExpiresAt")


class AccountUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    subscription_id: str | None = Field(default=None, alias="subscriptionId", max_length=100)
    subscription_ids: list[str] | None = _IDS
    scope: str | None = _SCOPE
    directory_id: str | None = Field(default=None, alias="directoryId", max_length=300)
    application_id: str | None = Field(default=None, alias="applicationId", max_length=100)
    client_secret: str | None = Field(
        default=None, alias="clientSecret", max_length=1000, repr=False
    )
    read_access: list[str] | None = Field(default=None, alias="readAccess", max_length=100)
    write_access: list[str] | None = Field(default=None, alias="writeAccess", max_length=100)
    secret_expires_at: datetime | None = Field(default=None, alias="secretExpiresAt")


class AccountCheck(_Input):
    directory_id: str = Field(alias="directoryId", max_length=300)
    application_id: str = Field(alias="applicationId", max_length=100)
    client_secret: str = Field(default="", alias="clientSecret", max_length=1000, repr=False)
    subscription_id: str | None = Field(default=None, alias="subscriptionId", max_length=100)
    subscription_ids: list[str] | None = _IDS
    scope: str | None = _SCOPE
    stage: str = Field(
        default="permissions", pattern="^(directory|format|token|subscription|permissions)$"
    )


def account_json(account: AzureAccount) -> dict[str, Any]:
    """The account as the API returns it: never the secret, only its first 3 characters."""
    return {
        "id": account.id,
        "name": account.name,
        "applicationId": account.application_id,
        "directoryId": account.directory_id,
        "subscriptionId": account.subscription_id,
        "subscriptionIds": list(account.subscription_ids)
        or ([account.subscription_id] if account.subscription_id else []),
        "scope": account.scope or None,
        "readAccess": list(account.read_access),
        "writeAccess": list(account.write_access),
        "createdAt": iso(account.created_at),
        "updatedAt": iso(account.updated_at),
        "CreatorId": account.creator_id,
        "hint": account.hint,
        "source": "azure",
        "status": account.status,
        "statusMessage": account.status_message,
        "warnings": list(account.warnings or []),
        "secretExpiresAt": iso(account.secret_expires_at),
        "lastScannedAt": iso(account.last_scanned_at),
        "lastCheckedAt": iso(account.last_checked_at),
    }


def etag(account: AzureAccount) -> str:
    return f'W/"{account.id}-{account.version}"'
