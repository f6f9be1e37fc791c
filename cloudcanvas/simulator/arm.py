"""Azure Resource Manager: subscriptions, resource groups, permissions, role assignments, GETs."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator import access, mgmt_groups
from cloudcanvas.simulator.context import Context, arm_error, json_response
from cloudcanvas.simulator.entra import base_of
from cloudcanvas.simulator.environment import ResourceGroup, Subscription
from cloudcanvas.simulator.state import Token

_AUTHZ = "/providers/microsoft.authorization/"
_FILTER_OID = re.compile(r"(?:principalId\s+eq\s+|assignedTo\()'([^']*)'", re.IGNORECASE)


def arm_headers(request_id: str, scope_kind: str, remaining: int) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return {
        "x-ms-request-id": request_id,
        "x-ms-correlation-request-id": request_id,
        "x-ms-routing-request-id": f"EASTUS:{stamp}:{request_id}",
        f"x-ms-ratelimit-remaining-{scope_kind}-reads": str(remaining),
        "Cache-Control": "no-cache",
    }


def not_authorized(who: Token, action: str, scope: str) -> Response:
    return arm_error(
        403,
        "AuthorizationFailed",
        f"The client '{who.app_id}' with object id '{who.object_id}' does not have authorization "
        f"to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was "
        "recently granted, please refresh your credentials.",
    )


def subscription_not_found(sid: str) -> Response:
    return arm_error(404, "SubscriptionNotFound", f"The subscription '{sid}' could not be found.")


def get(ctx: Context, request: Request, who: Token) -> Response:
    """Every ARM GET: dispatch on the (case-insensitive) path."""
    path = request.url.path.rstrip("/")
    lower = path.lower()
    parts = lower.split("/")
    if lower == "/subscriptions":
        return _list_subscriptions(ctx, request, who)
    if lower == "/tenants":
        return _list_tenants(ctx, who)
    if mgmt_groups.is_path(lower):
        return mgmt_groups.get(ctx, request, who, lower)
    if len(parts) < 3 or parts[1] != "subscriptions":
        return arm_error(
            404, "InvalidResourceType", f"The resource path '{path}' is not supported."
        )
    with ctx.env_lock:
        sub = ctx.env.subscription(path.split("/")[2])
    if sub is None:
        return subscription_not_found(path.split("/")[2])
    if len(parts) == 3:
        visible = access.visible_subscriptions(ctx.env, who.object_id)
        return (
            json_response(_subscription_body(sub))
            if sub in visible
            else subscription_not_found(sub.subscription_id)
        )
    if lower.endswith(_AUTHZ + "permissions"):
        return _permissions(ctx, who, path[: -len(_AUTHZ + "permissions")])
    if _AUTHZ + "roleassignments" in lower:
        return _role_assignments(ctx, request, who, path[: lower.index(_AUTHZ)])
    if _AUTHZ + "roledefinitions/" in lower:
        return _role_definition(path)
    return _scoped_get(ctx, request, who, path)


def _page(ctx: Context, request: Request, items: list[Any]) -> Response:
    """A `value` page with a nextLink on the simulator's own host when more remain."""
    token = request.query_params.get("$skiptoken") or request.query_params.get("$skipToken")
    start = _decode_offset(token)
    end = start + ctx.page_size
    body: dict[str, Any] = {"value": items[start:end]}
    if end < len(items):
        query = f"api-version={request.query_params.get('api-version', '')}"
        query += f"&$skiptoken={base64.urlsafe_b64encode(str(end).encode()).decode()}"
        body["nextLink"] = f"{base_of(request)}{request.url.path}?{query}"
    return json_response(body)


def _decode_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return max(0, int(base64.urlsafe_b64decode(token.encode()).decode()))
    except ValueError:
        return 0


def _subscription_body(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": dict(sub.tags),
        "subscriptionId": sub.subscription_id,
        "tenantId": sub.tenant_id,
        "displayName": sub.display_name,
        "state": sub.state,
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    }


def _list_subscriptions(ctx: Context, request: Request, who: Token) -> Response:
    with ctx.env_lock:
        subs = access.visible_subscriptions(ctx.env, who.object_id)
    return _page(ctx, request, [_subscription_body(s) for s in subs])


def _list_tenants(ctx: Context, who: Token) -> Response:
    tenant = ctx.env.tenant(who.tenant_id)
    value = []
    if tenant is not None:
        value.append(
            {
                "id": f"/tenants/{tenant.id}",
                "tenantId": tenant.id,
                "tenantCategory": "Home",
                "displayName": tenant.display_name,
                "domains": list(tenant.domains),
            }
        )
    return json_response({"value": value})


def _permissions(ctx: Context, who: Token, scope: str) -> Response:
    sub_id = scope.split("/")[2]
    with ctx.env_lock:
        visible = {
            s.subscription_id.lower() for s in access.visible_subscriptions(ctx.env, who.object_id)
        }
        perms = access.permissions(ctx.env, who.object_id, scope)
    if sub_id.lower() not in visible:
        return not_authorized(who, "Microsoft.Authorization/permissions/read", scope)
    return json_response({"value": perms})


def _role_assignments(ctx: Context, request: Request, who: Token, scope: str) -> Response:
    raw = request.query_params.get("$filter", "")
    at_scope = "atscope()" in raw.lower()
    oid_match = _FILTER_OID.search(raw)
    with ctx.env_lock:
        prefixes = access.readable_prefixes(ctx.env, who.object_id)
        if not access.can_read(prefixes, scope):
            return not_authorized(who, "Microsoft.Authorization/roleAssignments/read", scope)
        found = [
            a
            for a in ctx.env.role_assignments
            if access.covers(a.scope, scope) or (not at_scope and access.covers(scope, a.scope))
        ]
    if oid_match:
        found = [a for a in found if a.principal_id.lower() == oid_match.group(1).lower()]
    return _page(ctx, request, [access.assignment_body(a) for a in found])


def _role_definition(path: str) -> Response:
    scope, _, guid = path.rpartition("/providers/Microsoft.Authorization/roleDefinitions/")
    if not guid:
        scope, _, guid = path.lower().rpartition(_AUTHZ + "roledefinitions/")
    for r in access.ROLES.values():
        if r.guid == guid.lower():
            return json_response(access.definition_body(r, scope))
    return arm_error(
        404, "RoleDefinitionDoesNotExist", "The specified role definition does not exist."
    )


def _scoped_get(ctx: Context, request: Request, who: Token, path: str) -> Response:
    parts = path.split("/")
    lower = [p.lower() for p in parts]
    with ctx.env_lock:
        prefixes = access.readable_prefixes(ctx.env, who.object_id)
    if not access.can_read(prefixes, path):
        visible = access.visible_subscriptions(ctx.env, who.object_id)
        if lower[3:] == ["resourcegroups"] and any(
            s.id.lower() == "/".join(lower[:3]) for s in visible
        ):
            return _list_groups(ctx, request, prefixes, parts[2])  # roles on some groups only
        return not_authorized(who, _read_action(parts), path)
    if lower[3:] == ["resourcegroups"]:
        return _list_groups(ctx, request, prefixes, parts[2])
    if lower[3:4] == ["resourcegroups"] and len(parts) == 5:
        group = next((g for g in ctx.env.resource_groups if g.id.lower() == path.lower()), None)
        if group is None:
            return arm_error(
                404, "ResourceGroupNotFound", f"Resource group '{parts[4]}' could not be found."
            )
        return json_response(_group_body(group))
    if lower[-1] == "resources" and (
        len(parts) == 4 or (lower[3] == "resourcegroups" and len(parts) == 6)
    ):
        prefix = "/".join(lower[:-1]) + "/"
        items = [r for r in ctx.env.resources if str(r.get("id", "")).lower().startswith(prefix)]
        return _page(ctx, request, items)
    collection = _list_collection(ctx, request, parts)
    if collection is not None:
        return collection
    found = find_resource(ctx, path)
    if found is None:
        return arm_error(
            404,
            "ResourceNotFound",
            f"The Resource '{'/'.join(parts[6:])}' under resource group '{parts[4] if len(parts) > 4 else ''}' "
            "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )
    return json_response(found)


def _list_collection(ctx: Context, request: Request, parts: list[str]) -> Response | None:
    """A per-type list (``.../providers/Microsoft.Compute/virtualMachines``) or a child list
    (``.../servers/sql1/databases``, ``.../virtualNetworks/v/subnets``): the one-call-per-type
    strategy that benchmarks compare Resource Graph with."""
    lower = [p.lower() for p in parts]
    if "providers" not in lower:
        return None
    i = lower.index("providers")
    tail = lower[i + 1 :]
    if len(tail) < 2 or len(tail) % 2:
        return None
    arm_type = "/".join([tail[0], *tail[1::2]])
    parent = "/".join(lower[:-1]) if len(tail) > 2 else "/".join(lower[:i])
    with ctx.env_lock:
        items = [
            r
            for r in ctx.env.resources
            if str(r.get("type", "")).lower() == arm_type
            and str(r.get("id", "")).lower().startswith(parent + "/")
        ]
        if not items and len(tail) > 2:
            owner = resource_index(ctx).get(parent)
            nested = (owner or {}).get("properties", {}).get(parts[-1])
            items = list(nested) if isinstance(nested, list) else []
    return _page(ctx, request, items)


def _read_action(parts: list[str]) -> str:
    lower = [p.lower() for p in parts]
    if "providers" in lower:
        i = lower.index("providers")
        kinds = parts[i + 1 : i + 2] + parts[i + 2 :: 2]
        return "/".join(kinds) + "/read"
    if len(parts) > 4:
        return "Microsoft.Resources/subscriptions/resourceGroups/read"
    return "Microsoft.Resources/subscriptions/resourceGroups/read"


def _group_body(group: ResourceGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": group.location,
        "tags": dict(group.tags),
        "properties": {"provisioningState": "Succeeded"},
    }


def _list_groups(ctx: Context, request: Request, prefixes: list[str], sid: str) -> Response:
    with ctx.env_lock:
        groups = [
            g
            for g in ctx.env.resource_groups
            if g.subscription_id.lower() == sid.lower() and access.can_read(prefixes, g.id)
        ]
    return _page(ctx, request, [_group_body(g) for g in groups])


def resource_index(ctx: Context) -> dict[str, dict[str, Any]]:
    def build() -> dict[str, dict[str, Any]]:
        return {str(r.get("id", "")).lower(): r for r in ctx.env.resources}

    return ctx.cached("index", build)  # type: ignore[no-any-return]


def find_resource(ctx: Context, resource_id: str) -> dict[str, Any] | None:
    """A top-level resource by id, or a child object (subnet, ipConfiguration) inside its parent."""
    wanted = resource_id.lower().rstrip("/")
    with ctx.env_lock:
        index = resource_index(ctx)
        found = index.get(wanted)
        if found is not None:
            return found
        parts = wanted.split("/")
        for cut in range(len(parts) - 2, 8, -2):
            parent = index.get("/".join(parts[:cut]))
            if parent is not None:
                return _find_nested(parent, wanted)
    return None


def _find_nested(node: Any, wanted: str) -> dict[str, Any] | None:
    children: list[Any]
    if isinstance(node, dict):
        if str(node.get("id", "")).lower() == wanted and "name" in node:
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        hit = _find_nested(child, wanted)
        if hit is not None:
            return hit
    return None


def new_request_id() -> str:
    return str(uuid.uuid4())
