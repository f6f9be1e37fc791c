"""Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources with the KQL subset."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator import access, kql, mgmt_groups
from cloudcanvas.simulator.context import Context, json_response
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.state import QuotaAnswer, Token

MAX_TOP = 1000
DEFAULT_TOP = 100
_CACHE_LIMIT = 64


def quota_headers(answer: QuotaAnswer) -> dict[str, str]:
    return {
        "x-ms-user-quota-remaining": str(answer.remaining),
        "x-ms-user-quota-resets-after": answer.resets_after_text,
    }


def throttled(answer: QuotaAnswer) -> Response:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    headers = quota_headers(answer)
    headers["Retry-After"] = str(max(1, math.ceil(answer.resets_after)))
    body = {
        "error": {
            "code": "RateLimiting",
            "message": "Please provide below info when asking for support: "
            f"timestamp = {stamp}, correlationId = {headers['x-ms-user-quota-remaining']}.",
            "details": [
                {
                    "code": "RateLimiting",
                    "message": "Client application has been throttled and should not attempt to "
                    "repeat the request until an amount of time has elapsed. Please see "
                    "https://aka.ms/resourcegraph-throttling for help.",
                }
            ],
        }
    }
    return json_response(body, 429, headers)


def bad_request(message: str, headers: dict[str, str] | None = None) -> Response:
    body = {
        "error": {
            "code": "BadRequest",
            "message": message,
            "details": [{"code": "InvalidQuery", "message": message}],
        }
    }
    return json_response(body, 400, headers)


async def query(ctx: Context, request: Request, who: Token) -> Response:
    answer = ctx.quota.take(who.object_id)
    if not answer.allowed:
        return throttled(answer)
    headers = quota_headers(answer)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return bad_request("The request body is not valid JSON.", headers)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return bad_request("The request body must contain a 'query' string.", headers)
    options = body.get("options") or {}
    try:
        parsed = kql.parse(body["query"])
        top, skip = _window(options)
    except kql.QueryError as exc:
        return bad_request(f"Query is invalid: {exc}", headers)
    if skip == 0:
        ctx.drift_if_due()  # between queries, never between the pages of one
    scopes = [str(s).lower() for s in body.get("subscriptions") or []]
    groups = [str(g) for g in body.get("managementGroups") or []]
    if groups:
        scoped = _group_scopes(ctx, who, groups)
        if isinstance(scoped, Response):
            return scoped
        scopes = sorted(set(scopes) | set(scoped)) or ["-"]  # an empty group answers no rows
    rows = _result(ctx, who, parsed, body["query"], scopes)
    page = rows[skip : skip + top]
    fmt = str(options.get("resultFormat", "objectArray"))
    result: dict[str, Any] = {
        "totalRecords": len(rows),
        "count": len(page),
        "data": [] if fmt.lower() != "table" else _format(page, parsed.columns, fmt),
        "facets": [],
        "resultTruncated": "false",
    }
    if skip + top < len(rows):
        if "id" in parsed.columns:
            result["$skipToken"] = _token(skip + top)
        else:
            result["resultTruncated"] = "true"
    if fmt.lower() == "table":
        return json_response(result, 200, headers)
    body = json.dumps(result, separators=(",", ":"))
    body = body.replace('"data":[]', '"data":[' + _encode_rows(ctx, parsed, page) + "]", 1)
    return Response(body, 200, headers, media_type="application/json; charset=utf-8")


def _encode_rows(ctx: Context, parsed: kql.Query, page: list[dict[str, Any]]) -> str:
    """The page's rows as a JSON list's inside.

    Rows are serialized once and reused across pages and callers: a 1000-row page of full
    resources is megabytes of JSON, and re-encoding it per request dominated the cost.
    Unprojected rows are the cached table rows themselves, so their id() is stable.
    """
    whole = parsed.columns == list(kql.COLUMNS)
    encoded: dict[int, str] = ctx.cached(("json", parsed.table), dict) if whole else {}
    parts = []
    for row in page:
        text = encoded.get(id(row))
        if text is None:
            text = json.dumps(row, separators=(",", ":"))
            if whole:
                encoded[id(row)] = text
        parts.append(text)
    return ",".join(parts)


def _group_scopes(ctx: Context, who: Token, groups: list[str]) -> list[str] | Response:
    """The subscriptions below the given management groups; 403 for a group the caller can't read."""
    with ctx.env_lock:
        readable = {
            m.name.lower() for m in access.management_groups_readable(ctx.env, who.object_id)
        }
        out: list[str] = []
        for name in groups:
            if name.lower() not in readable:
                return mgmt_groups.forbidden(who, name)
            out.extend(ctx.env.subscriptions_under(name))
    return out


def _window(options: dict[str, Any]) -> tuple[int, int]:
    top = options.get("$top", DEFAULT_TOP)
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise kql.QueryError(f"'$top' must be an integer from 1 to {MAX_TOP}, got {top!r}")
    skip = options.get("$skip")
    token = options.get("$skipToken")
    if skip is None:
        skip = _offset(token) if token else 0
    if not isinstance(skip, int) or skip < 0:
        raise kql.QueryError(f"'$skip' must be a non-negative integer, got {skip!r}")
    return top, skip


def _token(offset: int) -> str:
    return base64.b64encode(json.dumps({"$skip": offset, "sim": 1}).encode()).decode()


def _offset(token: str) -> int:
    try:
        value = json.loads(base64.b64decode(token.encode()))["$skip"]
    except (ValueError, KeyError, TypeError) as exc:
        raise kql.QueryError("'$skipToken' is not a token this service issued") from exc
    if not isinstance(value, int):
        raise kql.QueryError("'$skipToken' is not a token this service issued")
    return value


def _result(
    ctx: Context, who: Token, parsed: kql.Query, text: str, scopes: list[str]
) -> list[dict[str, Any]]:
    """Rows of the query for this principal and scope, cached so that paging stays cheap."""
    key = hashlib.sha256(json.dumps([who.object_id, text, scopes]).encode()).hexdigest()
    with ctx.env_lock:
        table = table_rows(ctx, parsed.table)
        hit = ctx.results.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        prefixes = access.readable_prefixes(ctx.env, who.object_id)
        tenant = who.tenant_id.lower()
        wanted = set(scopes)
        rows = [
            r
            for r in table
            if r["tenantId"].lower() == tenant
            and (not wanted or r["subscriptionId"].lower() in wanted)
            and access.can_read(prefixes, r["id"])
        ]
    result = kql.run(parsed, rows)
    if len(ctx.results) > _CACHE_LIMIT:
        ctx.results.clear()
    ctx.results[key] = result
    return result


def _format(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> Any:
    if str(fmt).lower() != "table":
        return rows
    types = {"sku": "object", "plan": "object", "properties": "object", "tags": "object"}
    types |= {"identity": "object", "zones": "object", "extendedLocation": "object"}
    return {
        "columns": [{"name": c, "type": types.get(c, "string")} for c in columns],
        "rows": [[r.get(c) for c in columns] for r in rows],
    }


def table_rows(ctx: Context, table: str) -> list[dict[str, Any]]:
    build = {"Resources": resource_rows, "AdvisorResources": advisor_rows}.get(
        table, container_rows
    )
    return ctx.cached(("table", table), lambda: build(ctx.env))  # type: ignore[no-any-return]


def resource_rows(env: Environment) -> list[dict[str, Any]]:
    tenants = {s.subscription_id.lower(): s.tenant_id for s in env.subscriptions}
    rows = []
    for r in env.resources:
        rid = str(r.get("id", ""))
        parts = rid.split("/")
        sub = parts[2] if len(parts) > 2 else ""
        group = parts[4] if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""
        rows.append(
            {
                "id": rid,
                "name": r.get("name", parts[-1]),
                "type": str(r.get("type", "")).lower(),
                "tenantId": tenants.get(sub.lower(), ""),
                "kind": r.get("kind") or "",
                "location": r.get("location", ""),
                "resourceGroup": group.lower(),
                "subscriptionId": sub,
                "managedBy": r.get("managedBy") or "",
                "sku": r.get("sku"),
                "plan": r.get("plan"),
                "properties": r.get("properties"),
                "tags": r.get("tags"),
                "identity": r.get("identity"),
                "zones": r.get("zones"),
                "extendedLocation": r.get("extendedLocation"),
            }
        )
    return rows


def _container(rid: str, name: str, kind: str, tenant: str, sub: str, group: str) -> dict[str, Any]:
    return {
        "id": rid,
        "name": name,
        "type": kind,
        "tenantId": tenant,
        "kind": "",
        "location": "",
        "resourceGroup": group,
        "subscriptionId": sub,
        "managedBy": "",
        "sku": None,
        "plan": None,
        "properties": None,
        "tags": {},
        "identity": None,
        "zones": None,
        "extendedLocation": None,
    }


def advisor_rows(env: Environment) -> list[dict[str, Any]]:
    """Azure Advisor's cost recommendations (``advisorresources``): every third VM is over-sized,
    with the savings Advisor would give (the simulator's own figures)."""
    rows = []
    tenants = {s.subscription_id.lower(): s.tenant_id for s in env.subscriptions}
    vms = [r for r in env.resources if str(r.get("type", "")).lower().endswith("/virtualmachines")]
    for index, vm in enumerate(vms):
        if index % 3:
            continue
        rid = str(vm.get("id", ""))
        parts = rid.split("/")
        size = str((vm.get("properties") or {}).get("hardwareProfile", {}).get("vmSize", ""))
        savings = 35.04 + (index % 7) * 10
        rec_id = f"{rid}/providers/Microsoft.Advisor/recommendations/{uuid.uuid5(uuid.NAMESPACE_URL, rid)}"
        rows.append(
            {
                "id": rec_id,
                "name": rec_id.rsplit("/", 1)[-1],
                "type": "microsoft.advisor/recommendations",
                "tenantId": tenants.get(parts[2].lower(), "") if len(parts) > 2 else "",
                "kind": "",
                "location": "",
                "resourceGroup": parts[4].lower() if len(parts) > 4 else "",
                "subscriptionId": parts[2] if len(parts) > 2 else "",
                "managedBy": "",
                "sku": None,
                "plan": None,
                "properties": {
                    "category": "Cost",
                    "impact": "High",
                    "impactedField": "Microsoft.Compute/virtualMachines",
                    "impactedValue": vm.get("name", parts[-1]),
                    "shortDescription": {
                        "problem": "Right-size or shutdown underutilized virtual machines",
                        "solution": "Right-size or shutdown underutilized virtual machines",
                    },
                    "extendedProperties": {
                        "currentSku": size,
                        "targetSku": "Standard_B2s",
                        "recommendationType": "SkuChange",
                        "savingsAmount": str(savings),
                        "annualSavingsAmount": str(round(savings * 12, 2)),
                        "savingsCurrency": "USD",
                    },
                    "resourceMetadata": {"resourceId": rid, "source": "/virtualMachines"},
                    "lastUpdated": "2026-11-30T06:00:00Z",
                },
                "tags": None,
                "identity": None,
                "zones": None,
                "extendedLocation": None,
            }
        )
    return rows


def container_rows(env: Environment) -> list[dict[str, Any]]:
    rows = []
    for s in env.subscriptions:
        row = _container(
            s.id,
            s.display_name,
            "microsoft.resources/subscriptions",
            s.tenant_id,
            s.subscription_id,
            "",
        )
        row["properties"] = {
            "state": s.state,
            "subscriptionPolicies": {"quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
        }
        row["tags"] = dict(s.tags)
        rows.append(row)
    for g in env.resource_groups:
        owner = env.subscription(g.subscription_id)
        row = _container(
            g.id,
            g.name,
            "microsoft.resources/subscriptions/resourcegroups",
            owner.tenant_id if owner else "",
            g.subscription_id,
            g.name,
        )
        row.update(location=g.location, tags=dict(g.tags))
        row["properties"] = {"provisioningState": "Succeeded"}
        rows.append(row)
    return rows
