"""Role-based access: built-in roles, which scopes a principal can read, effective permissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from cloudcanvas.simulator.environment import (
    MG_PREFIX,
    Environment,
    ManagementGroup,
    RoleAssignment,
    Subscription,
)


@dataclass(frozen=True)
class Role:
    name: str
    guid: str
    description: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] = ()

    def permission(self) -> dict[str, list[str]]:
        return {
            "actions": list(self.actions),
            "notActions": list(self.not_actions),
            "dataActions": [],
            "notDataActions": [],
        }


ROLES = {
    "reader": Role(
        "Reader",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "View all resources, but does not allow you to make any changes.",
        ("*/read",),
    ),
    "contributor": Role(
        "Contributor",
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Grants full access to manage all resources, but does not allow you to assign roles in "
        "Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        ("*",),
        (
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
        ),
    ),
    "cost management reader": Role(
        "Cost Management Reader",
        "72fafb9e-0641-4937-9268-a91bfd8191a3",
        "Can view cost data and configuration (e.g. budgets, exports)",
        (
            "Microsoft.Consumption/*/read",
            "Microsoft.CostManagement/*/read",
            "Microsoft.Billing/billingPeriods/read",
            "Microsoft.Resources/subscriptions/read",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*",
            "Microsoft.Advisor/configurations/read",
            "Microsoft.Advisor/recommendations/read",
            "Microsoft.Management/managementGroups/read",
            "Microsoft.Billing/billingProperty/read",
        ),
    ),
    "owner": Role(
        "Owner",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Grants full access to manage all resources, including the ability to assign roles in "
        "Azure RBAC.",
        ("*",),
    ),
}


def role(name: str) -> Role:
    found = ROLES.get(name.lower())
    if found is None:
        raise ValueError(
            f"unknown role {name!r}: use one of Reader, Contributor, Owner, Cost Management Reader"
        )
    return found


def covers(scope: str, target: str) -> bool:
    """True when an assignment at `scope` applies to `target` (same scope or below it)."""
    s, t = scope.lower().rstrip("/"), target.lower().rstrip("/")
    return s == "" or t == s or t.startswith(s + "/")


def assignments_of(env: Environment, object_id: str) -> list[RoleAssignment]:
    """The principal's assignments; one at a management group also applies to its subscriptions."""
    oid = object_id.lower()
    mine = [a for a in env.role_assignments if a.principal_id.lower() == oid]
    inherited = [
        RoleAssignment(a.principal_id, f"/subscriptions/{sid}", a.role, a.id)
        for a in mine
        if a.scope.lower().startswith(MG_PREFIX)
        for sid in env.subscriptions_under(a.scope)
    ]
    return mine + inherited


def management_groups_readable(env: Environment, object_id: str) -> list[ManagementGroup]:
    """Groups where the principal holds a role, on the group or on one of its ancestors."""
    names = {
        m.name.lower()
        for a in assignments_of(env, object_id)
        if a.scope.lower().startswith(MG_PREFIX)
        for m in env.group_subtree(a.scope)
    }
    return [m for m in env.management_groups if m.name.lower() in names]


def applying(env: Environment, object_id: str, target: str) -> list[RoleAssignment]:
    return [a for a in assignments_of(env, object_id) if covers(a.scope, target)]


def visible_subscriptions(env: Environment, object_id: str) -> list[Subscription]:
    """Subscriptions where the principal holds any role, on the subscription or inside it."""
    mine = assignments_of(env, object_id)
    return [
        s
        for s in env.subscriptions
        if any(covers(a.scope, s.id) or covers(s.id, a.scope) for a in mine)
    ]


def readable_prefixes(env: Environment, object_id: str) -> list[str]:
    """Lower-cased scope prefixes (ending in '/') under which the principal may read."""
    return [
        a.scope.lower().rstrip("/") + "/"
        for a in assignments_of(env, object_id)
        if "*/read" in role(a.role).actions or "*" in role(a.role).actions
    ]


def can_read(prefixes: list[str], resource_id: str) -> bool:
    rid = resource_id.lower() + "/"
    return any(rid.startswith(p) for p in prefixes)


def permissions(env: Environment, object_id: str, scope: str) -> list[dict[str, list[str]]]:
    seen: list[dict[str, list[str]]] = []
    for a in applying(env, object_id, scope):
        perm = role(a.role).permission()
        if perm not in seen:
            seen.append(perm)
    return seen


def assignment_id(a: RoleAssignment) -> str:
    if a.id:
        return a.id
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{a.principal_id}|{a.scope.lower()}|{a.role}"))


def assignment_body(a: RoleAssignment) -> dict[str, Any]:
    sub = a.scope.split("/")[2] if a.scope.lower().startswith("/subscriptions/") else ""
    definition = f"/providers/Microsoft.Authorization/roleDefinitions/{role(a.role).guid}"
    if sub:
        definition = f"/subscriptions/{sub}{definition}"
    name = assignment_id(a)
    return {
        "properties": {
            "roleDefinitionId": definition,
            "principalId": a.principal_id,
            "principalType": "ServicePrincipal",
            "scope": a.scope,
            "condition": None,
            "conditionVersion": None,
            "createdOn": "2024-01-15T21:08:45.4904312Z",
            "updatedOn": "2024-01-15T21:08:45.4904312Z",
            "createdBy": None,
            "updatedBy": None,
            "delegatedManagedIdentityResourceId": None,
            "description": None,
        },
        "id": f"{a.scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{name}",
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name,
    }


def definition_body(r: Role, scope: str) -> dict[str, Any]:
    prefix = scope.rstrip("/")
    return {
        "id": f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{r.guid}",
        "name": r.guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": r.name,
            "type": "BuiltInRole",
            "description": r.description,
            "assignableScopes": ["/"],
            "permissions": [r.permission()],
        },
    }
