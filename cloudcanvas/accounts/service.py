"""Azure accounts: connect, list, edit, remove, share; every credential change checked first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.accounts import audit, repository
from cloudcanvas.accounts import scope as account_scope
from cloudcanvas.accounts.schemas import AccountCheck, AccountCreate, AccountUpdate, etag
from cloudcanvas.accounts.status import AccountStatus, status_of_check
from cloudcanvas.accounts.vault import Keyring, open_sealed, seal
from cloudcanvas.azure.clouds import AzureEndpoints, endpoints_from_settings
from cloudcanvas.azure.credentials import (
    CheckResult,
    CheckStage,
    Credentials,
    SubscriptionInfo,
    check_credentials,
    list_subscriptions,
)
from cloudcanvas.azure.directory import check_ids_and_directory
from cloudcanvas.config import Settings
from cloudcanvas.errors import BadRequest, PreconditionFailed
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity.policy import Action, Actor, authorize, can_see
from cloudcanvas.store.base import new_id, utcnow
from cloudcanvas.store.models import AzureAccount


@dataclass(frozen=True)
class AzureContext:
    """What the service needs to reach Azure and to seal secrets."""

    endpoints: AzureEndpoints
    keyring: Keyring

    @classmethod
    def from_settings(cls, settings: Settings) -> AzureContext:
        return cls(endpoints_from_settings(settings), Keyring.from_settings(settings))


def status_of(result: CheckResult) -> AccountStatus:
    return status_of_check(result.ok, result.code)


def apply_check(account: AzureAccount, result: CheckResult) -> None:
    """Refresh the account's status from a check or a scan's authentication outcome."""
    account.status = status_of(result)
    account.status_message = "" if result.ok else result.message
    account.warnings = list(result.warnings)
    account.last_checked_at = utcnow()


def list_accounts(session: Session, *, actor: Actor) -> list[AzureAccount]:
    """The accounts this actor can see."""
    authorize(actor, Action.USE_API)
    accounts = repository.list_for_organization(session, actor.organization_id)
    return [a for a in accounts if can_see(actor, a)]


def get_account(
    session: Session, *, actor: Actor, account_id: str, action: Action = Action.VIEW_ACCOUNT
) -> AzureAccount:
    """One account, when the actor may do ``action`` to it (404 when it cannot see it)."""
    account = repository.get(session, account_id)
    authorize(actor, action, account)
    assert account is not None
    return account


def check(azure: AzureContext, data: AccountCheck) -> CheckResult:
    """The wizard's step checks up to ``data.stage``; stores nothing."""
    creds = Credentials(
        tenant_id=data.directory_id,
        client_id=data.application_id,
        client_secret=data.client_secret,
        subscription_id=data.subscription_id,
    )
    if data.stage == "directory":  # before the secret is typed: the IDs, and the directory exists
        return check_ids_and_directory(azure.endpoints, creds)
    if data.stage == "permissions" and (data.subscription_ids or data.scope):
        ids, scope = account_scope.requested(
            data.subscription_id, data.subscription_ids, data.scope
        )
        return account_scope.verify(azure.endpoints, creds.normalized(), ids, scope)[0]
    return check_credentials(azure.endpoints, creds, through=CheckStage(data.stage))


def account_subscriptions(
    session: Session, *, actor: Actor, account_id: str, azure: AzureContext
) -> list[SubscriptionInfo]:
    """The subscriptions the account's app can see, with its stored secret (for the edit page)."""
    account = get_account(session, actor=actor, account_id=account_id, action=Action.EDIT_ACCOUNT)
    return list_subscriptions(azure.endpoints, credentials_of(account, azure.keyring))


def _validate_teams(session: Session, actor: Actor, field: str, entries: list[str]) -> list[str]:
    cleaned = []
    for entry in entries:
        kind, _, team_id = entry.partition("/")
        team = identity_repository.get_team(session, team_id) if kind == "team" else None
        if team is None or team.organization_id != actor.organization_id:
            raise BadRequest(
                f"{field}: {entry!r} is not a team of this organization; write team/<TEAM_ID>.",
                detail={"field": field},
            )
        cleaned.append(f"team/{team.id}")
    return sorted(set(cleaned))


def _verify(
    azure: AzureContext, creds: Credentials, ids: list[str], scope: str
) -> tuple[CheckResult, list[str]]:
    """The check across the scope; returns it with the subscriptions it covers (first first)."""
    result, covered = account_scope.verify(azure.endpoints, creds, ids, scope)
    result.raise_for_failure()
    return result, ids or covered


def create_account(
    session: Session, *, actor: Actor, data: AccountCreate, azure: AzureContext
) -> AzureAccount:
    """Check the credentials against Azure, then store the account with its secret sealed."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    read = _validate_teams(session, actor, "readAccess", data.readers)
    write = _validate_teams(session, actor, "writeAccess", data.writers)
    ids, scope = account_scope.requested(data.subscription_id, data.subscription_ids, data.scope)
    creds = Credentials(
        data.directory_id, data.application_id, data.client_secret, ids[0] if ids else None
    ).normalized()
    result, covered = _verify(azure, creds, ids, scope)
    account = AzureAccount(
        id=new_id(),
        organization_id=actor.organization_id,
        creator_id=actor.user_id,
        name=data.name.strip() or _subscription_name(result, creds.subscription_id or ""),
        application_id=creds.client_id.lower(),
        directory_id=creds.tenant_id.lower(),
        subscription_id=covered[0].lower() if covered else "",
        subscription_ids=[sid.lower() for sid in covered] if not scope else ids,
        scope=scope,
        hint=creds.client_secret[:3],
        secret_expires_at=data.secret_expires_at,
        readers=read,
        writers=write,
    )
    account.secret_key_id, account.secret_ciphertext = seal(
        azure.keyring, creds.client_secret, context=f"account:{account.id}"
    )
    apply_check(account, result)
    session.add(account)
    session.flush()
    audit.record(session, actor=actor, action="add", account=account, changes=_described(account))
    return account


def _subscription_name(result: CheckResult, subscription_id: str) -> str:
    """The subscription's display name in Azure (the ID when Azure gave none)."""
    for found in result.subscriptions:
        if found.id.lower() == subscription_id.lower() and found.display_name:
            return found.display_name[:200]
    return subscription_id


def _described(account: AzureAccount) -> dict[str, Any]:
    return {
        "name": account.name,
        "subscriptionId": account.subscription_id,
        "subscriptionIds": account_scope.stored(account)[0],
        "scope": account.scope or "",
        "directoryId": account.directory_id,
        "applicationId": account.application_id,
        "readAccess": list(account.readers),
        "writeAccess": list(account.writers),
    }


def credentials_of(account: AzureAccount, keyring: Keyring) -> Credentials:
    """The account's credentials, the secret unsealed for one Azure call."""
    secret = open_sealed(
        keyring, account.secret_key_id, account.secret_ciphertext, context=f"account:{account.id}"
    )
    return Credentials(
        account.directory_id, account.application_id, secret, account.subscription_id
    )


def _changes(account: AzureAccount, data: AccountUpdate) -> dict[str, Any]:
    """Each field the update really changes, with its new value (never the secret's)."""
    current = _described(account)
    proposed = {
        "name": data.name,
        "subscriptionId": data.subscription_id and data.subscription_id.lower(),
        "subscriptionIds": _proposed_ids(account, data),
        "scope": None if data.scope is None else data.scope.strip(),
        "directoryId": data.directory_id and data.directory_id.lower(),
        "applicationId": data.application_id and data.application_id.lower(),
        "readAccess": data.readers,
        "writeAccess": data.writers,
    }
    changes: dict[str, Any] = {
        k: v for k, v in proposed.items() if v is not None and v != current[k]
    }
    if data.client_secret:
        changes["clientSecret"] = "replaced"
    # The expiry date is changed when it is given, and cleared when it is given as null.
    expiry = data.secret_expires_at
    if "secret_expires_at" in data.model_fields_set and expiry != account.secret_expires_at:
        changes["secretExpiresAt"] = expiry.isoformat() if expiry else None
    return changes


def _proposed_ids(account: AzureAccount, data: AccountUpdate) -> list[str] | None:
    if data.subscription_ids is None and data.subscription_id is None:
        return None
    first = data.subscription_id or account.subscription_id
    # A new subscriptionId alone replaces the first, as it did before accounts had several.
    rest = data.subscription_ids
    if rest is None:
        rest = account_scope.stored(account)[0][1:]
    ids: list[str] = []
    for sid in [first, *rest]:
        if sid.strip() and sid.strip().lower() not in ids:
            ids.append(sid.strip().lower())
    return ids


CREDENTIAL_FIELDS = frozenset({"clientSecret", "directoryId", "applicationId"})
SCOPE_FIELDS = frozenset({"subscriptionId", "subscriptionIds", "scope"})
SHARING_FIELDS = frozenset({"readAccess", "writeAccess"})


def update_account(
    session: Session,
    *,
    actor: Actor,
    account_id: str,
    data: AccountUpdate,
    azure: AzureContext,
    if_match: str | None = None,
) -> AzureAccount:
    """Edit an account; credential changes are checked against Azure before anything is saved."""
    account = get_account(session, actor=actor, account_id=account_id, action=Action.EDIT_ACCOUNT)
    if if_match is not None and if_match.strip() not in (etag(account), "*"):
        raise PreconditionFailed(
            "The account changed since you loaded it; reload it and apply your change again.",
        )
    if data.readers is not None:
        data.readers = _validate_teams(session, actor, "readAccess", data.readers)
    if data.writers is not None:
        data.writers = _validate_teams(session, actor, "writeAccess", data.writers)
    changes = _changes(account, data)
    if SHARING_FIELDS & changes.keys():
        authorize(actor, Action.SHARE_ACCOUNT, account)
    if (CREDENTIAL_FIELDS | SCOPE_FIELDS) & changes.keys():
        _reconnect(account, data, changes, azure)
    _apply_plain_fields(account, data, changes)
    if changes:
        account.version += 1
        account.updated_at = utcnow()
        action = "share" if changes.keys() <= SHARING_FIELDS else "edit"
        audit.record(session, actor=actor, action=action, account=account, changes=changes)
    session.flush()
    return account


def _reconnect(
    account: AzureAccount, data: AccountUpdate, changes: dict[str, Any], azure: AzureContext
) -> None:
    """New credentials or scope: checked against Azure (``_verify`` raises on a failure), then
    stored, the new secret sealed."""
    current = credentials_of(account, azure.keyring)
    ids, scope = account_scope.requested(
        None,
        changes.get("subscriptionIds", account_scope.stored(account)[0]),
        changes.get("scope", account.scope),
    )
    creds = Credentials(
        data.directory_id or current.tenant_id,
        data.application_id or current.client_id,
        data.client_secret or current.client_secret,
        ids[0] if ids else None,
    ).normalized()
    result, covered = _verify(azure, creds, ids, scope)
    apply_check(account, result)
    account.directory_id = creds.tenant_id.lower()
    account.application_id = creds.client_id.lower()
    account.subscription_id = covered[0].lower() if covered else ""
    account.subscription_ids = [sid.lower() for sid in covered] if not scope else ids
    account.scope = scope
    if data.client_secret:
        account.hint = creds.client_secret[:3]
        account.secret_key_id, account.secret_ciphertext = seal(
            azure.keyring, creds.client_secret, context=f"account:{account.id}"
        )
        account.next_scan_at = None  # a new secret makes scanning work again at once


def _apply_plain_fields(
    account: AzureAccount, data: AccountUpdate, changes: dict[str, Any]
) -> None:
    """The fields stored as given: name, team lists, the secret's expiry date."""
    if data.name is not None:
        account.name = data.name
    if data.readers is not None:
        account.readers = data.readers
    if data.writers is not None:
        account.writers = data.writers
    if "secretExpiresAt" in changes:
        account.secret_expires_at = data.secret_expires_at


def delete_account(session: Session, *, actor: Actor, account_id: str) -> None:
    """Remove an account with its sealed secret, scans and snapshots."""
    account = get_account(session, actor=actor, account_id=account_id, action=Action.REMOVE_ACCOUNT)
    audit.record(session, actor=actor, action="remove", account=account)
    session.delete(account)
    session.flush()


@dataclass
class BulkRow:
    index: int
    name: str
    ok: bool
    account: AzureAccount | None = None
    code: str | None = None
    error: str | None = None


def create_accounts(
    session: Session, *, actor: Actor, rows: Sequence[AccountCreate], azure: AzureContext
) -> list[BulkRow]:
    """Bulk add: each row checked and stored on its own; a failed row stores nothing."""
    authorize(actor, Action.CONNECT_ACCOUNT)
    results = []
    for index, data in enumerate(rows):
        savepoint = session.begin_nested()
        try:
            account = create_account(session, actor=actor, data=data, azure=azure)
        except (BadRequest, PreconditionFailed) as error:
            savepoint.rollback()
            results.append(BulkRow(index, data.name, False, code=error.code, error=error.message))
            continue
        except Exception:
            savepoint.rollback()
            raise
        savepoint.commit()
        results.append(BulkRow(index, data.name, True, account=account))
    return results


def mark_expired_secrets(session: Session, *, now: datetime | None = None) -> list[AzureAccount]:
    """The expiry job: accounts whose secret is past its date stop with ``secret_expired``."""
    now = now or utcnow()
    expired = list(repository.list_expiring(session, now))
    for account in expired:
        account.status = AccountStatus.SECRET_EXPIRED
        account.status_message = (
            "The client secret expired on "
            f"{account.secret_expires_at:%Y-%m-%d}; create a new secret under Certificates & "
            "secrets and update this account."
        )
    session.flush()
    return expired


def rotate_keys(session: Session, *, keyring: Keyring) -> int:
    """Re-seal every secret under the current master key; returns how many moved."""
    moved = 0
    while batch := repository.list_not_sealed_with(session, keyring.current):
        for account in batch:
            secret = open_sealed(
                keyring,
                account.secret_key_id,
                account.secret_ciphertext,
                context=f"account:{account.id}",
            )
            account.secret_key_id, account.secret_ciphertext = seal(
                keyring, secret, context=f"account:{account.id}"
            )
            moved += 1
        session.flush()
    return moved
