"""Accounts over several subscriptions: the credential check across them, and what a scan reads.

An account's scope is a list of subscriptions (the first is ``subscriptionId``), ``all`` (every
subscription the app can read, found again at each scan), or a management group
(``/providers/Microsoft.Management/managementGroups/<id>``, which Resource Graph takes as such).
"""

from __future__ import annotations

import re
from typing import Any

from azure.core.rest import HttpRequest

from cloudcanvas.azure import _sdk
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import (
    CheckResult,
    CheckStage,
    Credentials,
    StageResult,
    _check_permissions,
    _check_subscription,
    _fetch_permissions,
    _Probe,
    _subscription_client,
    check_credentials,
    list_subscriptions,
)
from cloudcanvas.azure.errors import AzureCheckFailed, AzureUnavailable
from cloudcanvas.azure.scanner import Target

ALL = "all"
MG_PATTERN = re.compile(
    r"^/providers/Microsoft\.Management/managementGroups/([A-Za-z0-9_().-]{1,90})$", re.IGNORECASE
)
MG_API_VERSION = "2020-05-01"


def management_group_of(scope: str | None) -> str | None:
    """The management group's id (its name) when ``scope`` names one."""
    match = MG_PATTERN.match((scope or "").strip())
    return match.group(1) if match else None


def target_of(
    endpoints: AzureEndpoints, creds: Credentials, subscription_ids: list[str], scope: str | None
) -> Target:
    """What to scan: the listed subscriptions, every readable one (``all``), or a group."""
    group = management_group_of(scope)
    if group is not None:
        return Target([], [group])
    if (scope or "").lower() == ALL:
        try:
            visible = list_subscriptions(endpoints, creds)  # the discovery request
        except (AzureCheckFailed, AzureUnavailable):
            # The scan reads what it read last time; its queries then report the fault.
            return Target(list(subscription_ids))
        usable = [s.id for s in visible if s.state.lower() not in ("disabled", "deleted")]
        return Target(usable or list(subscription_ids))
    return Target(list(subscription_ids))


def check_scope(
    endpoints: AzureEndpoints, creds: Credentials, subscription_ids: list[str], scope: str | None
) -> tuple[CheckResult, list[str]]:
    """The staged check across the whole scope; returns it with the subscriptions it covers."""
    group = management_group_of(scope)
    if group is not None:
        return _check_group(endpoints, creds, group)
    if (scope or "").lower() == ALL:
        visible = check_credentials(
            endpoints,
            Credentials(creds.tenant_id, creds.client_id, creds.client_secret),
            through=CheckStage.subscription,
        )
        if not visible.ok:
            return visible, []
        subscription_ids = [s.id for s in visible.subscriptions]
    first = Credentials(creds.tenant_id, creds.client_id, creds.client_secret, subscription_ids[0])
    result = check_credentials(endpoints, first)
    if result.ok and len(subscription_ids) > 1:
        _check_others(endpoints, creds, result, subscription_ids[1:])
    return result, subscription_ids


def _check_others(
    endpoints: AzureEndpoints, creds: Credentials, result: CheckResult, others: list[str]
) -> None:
    """Each further subscription: visible, enabled, readable; the first failure names it."""
    with _sdk.guard_secret(creds.client_secret):
        probe = _Probe(endpoints, creds)
        try:
            with _subscription_client(probe.credential, endpoints) as client:
                for sid in others:
                    stage, warnings = _check_subscription(result.subscriptions, sid)
                    if stage.ok:
                        try:
                            stage, _write = _check_permissions(_fetch_permissions(client, sid))
                        except Exception as exc:  # every SDK failure is translated
                            stage = probe.failure(CheckStage.permissions, exc)
                    if not stage.ok:
                        stage.message = f"Subscription {sid}: {stage.message}"
                        stage.field = "subscriptionIds"
                        result.stages.append(stage)
                        return
                    result.warnings.extend(warnings)
        finally:
            probe.credential.close()


def _group_subscriptions(node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for child in node.get("children") or []:
        if str(child.get("type", "")).lower() == "/subscriptions":
            found.append(str(child.get("name")))
        else:
            found.extend(_group_subscriptions(child))
    return found


def _check_group(
    endpoints: AzureEndpoints, creds: Credentials, group: str
) -> tuple[CheckResult, list[str]]:
    result = check_credentials(endpoints, creds, through=CheckStage.token)
    if not result.ok:
        return result, []
    url = f"/providers/Microsoft.Management/managementGroups/{group}"
    params = {"api-version": MG_API_VERSION, "$expand": "children", "$recurse": "true"}
    with _sdk.guard_secret(creds.client_secret):
        probe = _Probe(endpoints, creds)
        try:
            with _subscription_client(probe.credential, endpoints) as client:
                response = client.send_request(HttpRequest("GET", url, params=params))
                response.raise_for_status()
                body = response.json()
        except Exception as exc:  # every SDK failure is translated
            stage = probe.failure(CheckStage.permissions, exc)
            if stage.code in ("missing_reader_role", "subscription_not_found"):
                stage.code, stage.field = "missing_reader_role", "scope"
                stage.message = (
                    f"The app may not read management group '{group}' (or it does not exist): "
                    "check its ID, and assign the Reader role to the app on the management group."
                )
            result.stages.append(stage)
            return result, []
        finally:
            probe.credential.close()
    subscriptions = _group_subscriptions(body.get("properties") or {})
    name = (body.get("properties") or {}).get("displayName") or group
    result.stages.append(
        StageResult(
            CheckStage.permissions,
            True,
            message=f"The app may read management group '{name}' ({len(subscriptions)} "
            "subscription(s)).",
        )
    )
    return result, subscriptions
