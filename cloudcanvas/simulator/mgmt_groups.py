"""Management groups: list and get (api-version 2020-05-01 shapes), as a principal may see them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator import access
from cloudcanvas.simulator.context import Context, arm_error, json_response
from cloudcanvas.simulator.environment import MG_PREFIX, ManagementGroup
from cloudcanvas.simulator.state import Token

TYPE = "Microsoft.Management/managementGroups"
_ROOT = MG_PREFIX.rstrip("/")


def is_path(lower_path: str) -> bool:
    return lower_path == _ROOT or lower_path.startswith(MG_PREFIX)


def _body(
    ctx: Context, group: ManagementGroup, tenant_id: str, expand: bool, recurse: bool = False
) -> dict[str, Any]:
    parent = ctx.env.management_group(group.parent) if group.parent else None
    parent_id = (
        parent.id if parent else f"/providers/Microsoft.Management/managementGroups/{tenant_id}"
    )
    properties: dict[str, Any] = {
        "tenantId": tenant_id,
        "displayName": group.display_name or group.name,
        "details": {"version": 1, "parent": {"id": parent_id, "name": parent_id.split("/")[-1]}},
    }
    if expand:
        children: list[dict[str, Any]] = []
        for m in ctx.env.management_groups:
            if (m.parent or "").lower() == group.name.lower():
                child = {"type": TYPE, "id": m.id, "name": m.name, "displayName": m.display_name}
                if recurse:  # $recurse=true: the whole subtree, nested
                    child["children"] = _body(ctx, m, tenant_id, True, True)["properties"][
                        "children"
                    ]
                children.append(child)
        for sid in group.subscriptions:
            sub = ctx.env.subscription(sid)
            children.append(
                {
                    "type": "/subscriptions",
                    "id": f"/subscriptions/{sid}",
                    "name": sid,
                    "displayName": sub.display_name if sub else sid,
                }
            )
        properties["children"] = children
    return {"id": group.id, "type": TYPE, "name": group.name, "properties": properties}


def forbidden(who: Token, name: str) -> Response:
    """Azure answers 403 both for a group the caller may not read and for one that is not there."""
    scope = f"/providers/Microsoft.Management/managementGroups/{name}"
    return arm_error(
        403,
        "AuthorizationFailed",
        f"The client '{who.app_id}' with object id '{who.object_id}' does not have authorization "
        f"to perform action 'Microsoft.Management/managementGroups/read' over scope '{scope}' or "
        "the scope is invalid. If access was recently granted, please refresh your credentials.",
    )


def get(ctx: Context, request: Request, who: Token, lower_path: str) -> Response:
    with ctx.env_lock:
        readable = access.management_groups_readable(ctx.env, who.object_id)
        if lower_path == _ROOT:
            value = [_body(ctx, m, who.tenant_id, False) for m in readable]
            return json_response({"value": value})
        name = lower_path[len(MG_PREFIX) :].split("/")[0]
        group = next((m for m in readable if m.name.lower() == name), None)
        if group is None:
            return forbidden(who, name)
        expand = "children" in request.query_params.get("$expand", "").lower()
        recurse = request.query_params.get("$recurse", "").lower() == "true"
        return json_response(_body(ctx, group, who.tenant_id, expand, expand and recurse))
