"""Azure account shapes, as Cloudcraft's API names them (camelCase)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from cloudcanvas.store.base import iso
from cloudcanvas.store.models import AuditEvent, AzureAccount
from cloudcanvas.wire import Wire

if TYPE_CHECKING:
    from cloudcanvas.accounts.service import BulkRow
    from cloudcanvas.azure.credentials import SubscriptionInfo


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
    readers: list[str] = Field(default_factory=list, alias="readAccess", max_length=100)
    writers: list[str] = Field(default_factory=list, alias="writeAccess", max_length=100)
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
    readers: list[str] | None = Field(default=None, alias="readAccess", max_length=100)
    writers: list[str] | None = Field(default=None, alias="writeAccess", max_length=100)
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


class AccountOut(Wire):
    """The account as the API returns it: never the secret, only its first 3 characters."""

    id: str
    name: str
    application_id: str
    directory_id: str
    subscription_id: str
    subscription_ids: list[str]
    scope: str | None
    readers: list[str] = Field(alias="readAccess")
    writers: list[str] = Field(alias="writeAccess")
    created_at: str | None
    updated_at: str | None
    creator_id: str | None = Field(alias="CreatorId")
    hint: str
    source: Literal["azure"] = "azure"
    status: str
    status_message: str
    warnings: list[str]
    secret_expires_at: str | None
    last_scanned_at: str | None
    last_checked_at: str | None

    @classmethod
    def of(cls, account: AzureAccount) -> Self:
        return cls(
            id=account.id,
            name=account.name,
            application_id=account.application_id,
            directory_id=account.directory_id,
            subscription_id=account.subscription_id,
            subscription_ids=list(account.subscription_ids)
            or ([account.subscription_id] if account.subscription_id else []),
            scope=account.scope or None,
            readers=list(account.readers),
            writers=list(account.writers),
            created_at=iso(account.created_at),
            updated_at=iso(account.updated_at),
            creator_id=account.creator_id,
            hint=account.hint,
            status=account.status,
            status_message=account.status_message,
            warnings=list(account.warnings or []),
            secret_expires_at=iso(account.secret_expires_at),
            last_scanned_at=iso(account.last_scanned_at),
            last_checked_at=iso(account.last_checked_at),
        )


class AccountCreatedOut(AccountOut):
    """A new account, and the scan that started when it was connected (its status says why there
    is none: a secret already past its date)."""

    scan_id: str | None = None


class AccountListOut(Wire):
    accounts: list[AccountOut]


class BulkRowOut(Wire):
    """One row of a bulk add: ``account`` only when it was connected."""

    index: int
    name: str
    ok: bool
    code: str | None = None
    error: str | None = None
    account: AccountOut | None = None
    scan_id: str | None = None  # the first scan of the account this row connected

    @classmethod
    def of(cls, row: BulkRow, scan_id: str | None = None) -> Self:
        account = row.account
        return cls(
            index=row.index,
            name=row.name,
            ok=row.ok,
            code=row.code,
            error=row.error,
            account=AccountOut.of(account) if account else None,
            scan_id=scan_id,
        )


class BulkOut(Wire):
    results: list[BulkRowOut]


class AuditEventOut(Wire):
    id: str
    action: str
    actor: str
    target_type: str
    target_id: str
    target_name: str
    changes: dict[str, Any]
    created_at: str | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            id=event.id,
            action=event.action,
            actor=event.actor_email,
            target_type=event.target_type,
            target_id=event.target_id,
            target_name=event.target_name,
            changes=event.changes,
            created_at=iso(event.created_at),
        )


class AuditOut(Wire):
    events: list[AuditEventOut]


def etag(account: AzureAccount) -> str:
    return f'W/"{account.id}-{account.version}"'


class SubscriptionChoiceOut(Wire):
    """A subscription the account's app can see, as the edit page's picker lists it."""

    id: str
    name: str
    state: str


class SubscriptionChoicesOut(Wire):
    subscriptions: list[SubscriptionChoiceOut]

    @classmethod
    def of(cls, found: Iterable[SubscriptionInfo]) -> SubscriptionChoicesOut:
        return cls(
            subscriptions=[
                SubscriptionChoiceOut(id=s.id, name=s.display_name, state=s.state) for s in found
            ]
        )
