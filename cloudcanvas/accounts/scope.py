"""Which subscriptions an account covers: a list (``subscriptionId`` first), ``all``, or a
management group; validated here, checked against Azure across the whole scope."""

from __future__ import annotations

import re

from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import CheckResult, CheckStage, Credentials, check_credentials
from cloudcanvas.azure.scope import ALL, check_scope, management_group_of
from cloudcanvas.errors import BadRequest
from cloudcanvas.store.models import AzureAccount

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
MAX_SUBSCRIPTIONS = 10000


def requested(
    subscription_id: str | None, subscription_ids: list[str] | None, scope: str | None
) -> tuple[list[str], str]:
    """(every listed subscription, first = subscriptionId; the scope or ""), or a clear 400."""
    scope = (scope or "").strip()
    if scope and scope.lower() != ALL and management_group_of(scope) is None:
        raise BadRequest(
            "scope: write 'all' or /providers/Microsoft.Management/managementGroups/<id>.",
            detail={"field": "scope"},
        )
    ids: list[str] = []
    for sid in [subscription_id or "", *(subscription_ids or [])]:
        sid = sid.strip().lower()
        if sid and sid not in ids:
            ids.append(sid)
    bad = [sid for sid in ids[1:] if not _GUID.match(sid)]  # the first: the check's format stage
    if bad:
        raise BadRequest(
            f"subscriptionIds: {bad[0]!r} is not a subscription ID (a GUID).",
            detail={"field": "subscriptionIds"},
        )
    if not ids and not scope:
        raise BadRequest(
            "subscriptionId is required: choose a subscription, list subscriptionIds, or set "
            "scope to 'all' or a management group.",
            detail={"field": "subscriptionId"},
        )
    if len(ids) > MAX_SUBSCRIPTIONS:
        raise BadRequest(
            f"subscriptionIds: at most {MAX_SUBSCRIPTIONS} subscriptions; use a management group.",
            detail={"field": "subscriptionIds"},
        )
    return ids, scope.lower() if scope.lower() == ALL else scope


def verify(
    endpoints: AzureEndpoints, creds: Credentials, ids: list[str], scope: str
) -> tuple[CheckResult, list[str]]:
    """The full check; with one subscription and no scope it is the classic single check."""
    if len(ids) <= 1 and not scope:
        one = Credentials(creds.tenant_id, creds.client_id, creds.client_secret, ids[0])
        return check_credentials(endpoints, one, through=CheckStage.permissions), ids
    return check_scope(endpoints, creds, ids, scope)


def stored(account: AzureAccount) -> tuple[list[str], str]:
    """The account's subscriptions (first = subscriptionId) and scope, as saved."""
    ids = list(account.subscription_ids or [])
    if account.subscription_id and account.subscription_id not in ids:
        ids.insert(0, account.subscription_id)
    return ids, account.scope or ""
