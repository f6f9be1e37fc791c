"""The simulated Azure estate: tenants, principals, subscriptions, role assignments, resources."""

from __future__ import annotations

import json
import secrets as _secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

SECRET_ALPHABET = string.ascii_letters + string.digits + "_-.~"


def new_secret_value() -> str:
    """A 40-character client secret shaped like the ones the Azure portal hands out."""
    head = "".join(_secrets.choice(string.ascii_letters + string.digits) for _ in range(3))
    tail = "".join(_secrets.choice(SECRET_ALPHABET) for _ in range(34))
    return f"{head}{_secrets.choice(string.digits)}Q~{tail}"


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Tenant:
    id: str
    display_name: str = ""
    domains: list[str] = field(default_factory=list)

    def to_dict(self) -> JSON:
        return {"id": self.id, "displayName": self.display_name, "domains": list(self.domains)}


@dataclass
class Secret:
    id: str
    value: str = field(repr=False)
    expires_at: datetime

    @property
    def hint(self) -> str:
        return self.value[:3]

    def to_dict(self) -> JSON:
        return {"id": self.id, "value": self.value, "expiresAt": format_time(self.expires_at)}


@dataclass
class Principal:
    tenant_id: str
    app_id: str
    object_id: str
    display_name: str
    secrets: list[Secret] = field(default_factory=list)

    @property
    def secret(self) -> str:
        """The value of the newest secret (the one to hand to a user)."""
        return max(self.secrets, key=lambda s: s.expires_at).value if self.secrets else ""

    def to_dict(self) -> JSON:
        return {
            "tenantId": self.tenant_id,
            "appId": self.app_id,
            "objectId": self.object_id,
            "displayName": self.display_name,
            "secrets": [s.to_dict() for s in self.secrets],
        }


@dataclass
class Subscription:
    subscription_id: str
    tenant_id: str
    display_name: str
    state: str = "Enabled"
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"

    def to_dict(self) -> JSON:
        return {
            "subscriptionId": self.subscription_id,
            "tenantId": self.tenant_id,
            "displayName": self.display_name,
            "state": self.state,
            "tags": dict(self.tags),
        }


@dataclass
class RoleAssignment:
    principal_id: str
    scope: str
    role: str = "Reader"
    id: str = ""

    def to_dict(self) -> JSON:
        return {"principalId": self.principal_id, "scope": self.scope, "role": self.role}


@dataclass
class ResourceGroup:
    id: str
    location: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.id.rstrip("/").split("/")[-1]

    @property
    def subscription_id(self) -> str:
        return self.id.split("/")[2]

    def to_dict(self) -> JSON:
        return {"id": self.id, "location": self.location, "tags": dict(self.tags)}


MG_PREFIX = "/providers/microsoft.management/managementgroups/"


@dataclass
class ManagementGroup:
    """A management group: a name (its id's last segment), a parent, its direct subscriptions."""

    name: str
    display_name: str = ""
    parent: str | None = None  # the parent group's name; None under the tenant root
    subscriptions: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"/providers/Microsoft.Management/managementGroups/{self.name}"

    def to_dict(self) -> JSON:
        return {
            "name": self.name,
            "displayName": self.display_name or self.name,
            "parent": self.parent,
            "subscriptions": list(self.subscriptions),
        }


@dataclass
class Environment:
    tenants: list[Tenant] = field(default_factory=list)
    principals: list[Principal] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    role_assignments: list[RoleAssignment] = field(default_factory=list)
    resource_groups: list[ResourceGroup] = field(default_factory=list)
    resources: list[JSON] = field(default_factory=list)
    management_groups: list[ManagementGroup] = field(default_factory=list)
    version: int = 0

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: JSON) -> Environment:
        env = cls(
            tenants=[_tenant(t) for t in data.get("tenants", [])],
            principals=[_principal(p) for p in data.get("principals", [])],
            subscriptions=[_subscription(s) for s in data.get("subscriptions", [])],
            role_assignments=[_assignment(a) for a in data.get("roleAssignments", [])],
            resource_groups=[_group(g) for g in data.get("resourceGroups", [])],
            resources=[dict(r) for r in data.get("resources", [])],
            management_groups=[_management_group(m) for m in data.get("managementGroups", [])],
        )
        env.add_missing_groups()
        return env

    @classmethod
    def from_file(cls, path: Path | str) -> Environment:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def sample(cls) -> Environment:
        from cloudcanvas.simulator.sample import sample_environment

        return sample_environment()

    @classmethod
    def demo(cls) -> Environment:
        """The packaged demo environment (environments/demo.json, made by the generator)."""
        return cls.from_file(Path(__file__).parent / "environments" / "demo.json")

    def to_dict(self) -> JSON:
        return {
            "tenants": [t.to_dict() for t in self.tenants],
            "principals": [p.to_dict() for p in self.principals],
            "subscriptions": [s.to_dict() for s in self.subscriptions],
            "roleAssignments": [a.to_dict() for a in self.role_assignments],
            "resourceGroups": [g.to_dict() for g in self.resource_groups],
            "resources": self.resources,
            "managementGroups": [m.to_dict() for m in self.management_groups],
        }

    def to_file(self, path: Path | str) -> None:
        text = json.dumps(self.to_dict(), indent=1, sort_keys=False)
        Path(path).write_text(text + "\n", encoding="utf-8")

    def add_missing_groups(self) -> None:
        """Every resource's group exists, even when the file lists only resources."""
        known = {g.id.lower() for g in self.resource_groups}
        for resource in self.resources:
            parts = str(resource.get("id", "")).split("/")
            if len(parts) > 4 and parts[3].lower() == "resourcegroups":
                group_id = "/".join(parts[:5])
                if group_id.lower() not in known:
                    known.add(group_id.lower())
                    location = str(resource.get("location", "global"))
                    self.resource_groups.append(ResourceGroup(group_id, location))

    # --- look-ups -----------------------------------------------------------------------
    def tenant(self, tenant: str) -> Tenant | None:
        wanted = tenant.lower()
        for t in self.tenants:
            if t.id.lower() == wanted or wanted in (d.lower() for d in t.domains):
                return t
        return None

    def principal_by_app(self, app_id: str, tenant_id: str | None = None) -> Principal | None:
        for p in self.principals:
            if p.app_id.lower() == app_id.lower() and (
                tenant_id is None or p.tenant_id.lower() == tenant_id.lower()
            ):
                return p
        return None

    def subscription(self, subscription_id: str) -> Subscription | None:
        wanted = subscription_id.lower()
        return next((s for s in self.subscriptions if s.subscription_id.lower() == wanted), None)

    def management_group(self, name_or_id: str) -> ManagementGroup | None:
        wanted = name_or_id.lower().rstrip("/")
        wanted = wanted[len(MG_PREFIX) :] if wanted.startswith(MG_PREFIX) else wanted
        return next((m for m in self.management_groups if m.name.lower() == wanted), None)

    def group_subtree(self, name: str) -> list[ManagementGroup]:
        """The group and every group below it."""
        found = self.management_group(name)
        if found is None:
            return []
        out, queue = [found], [found.name.lower()]
        while queue:
            parent = queue.pop()
            for m in self.management_groups:
                if (m.parent or "").lower() == parent and m not in out:
                    out.append(m)
                    queue.append(m.name.lower())
        return out

    def subscriptions_under(self, name: str) -> list[str]:
        """Lower-cased ids of the subscriptions in a management group, at any depth."""
        return [s.lower() for m in self.group_subtree(name) for s in m.subscriptions]

    def touch(self) -> None:
        """Mark the environment changed so that cached query results are dropped."""
        self.version += 1


def _tenant(d: JSON) -> Tenant:
    return Tenant(d["id"], d.get("displayName", ""), list(d.get("domains", [])))


def _principal(d: JSON) -> Principal:
    secrets = [
        Secret(s.get("id", ""), s["value"], parse_time(s.get("expiresAt", "2099-01-01T00:00:00Z")))
        for s in d.get("secrets", [])
    ]
    return Principal(
        d["tenantId"],
        d["appId"],
        str(d.get("objectId", d["appId"])),
        str(d.get("displayName", "")),
        secrets,
    )


def _subscription(d: JSON) -> Subscription:
    return Subscription(
        d["subscriptionId"],
        d["tenantId"],
        str(d.get("displayName", d["subscriptionId"])),
        str(d.get("state", "Enabled")),
        dict(d.get("tags") or {}),
    )


def _assignment(d: JSON) -> RoleAssignment:
    return RoleAssignment(d["principalId"], d["scope"], d.get("role", "Reader"), d.get("id", ""))


def _management_group(d: JSON) -> ManagementGroup:
    return ManagementGroup(
        d["name"],
        str(d.get("displayName", d["name"])),
        d.get("parent"),
        [str(s) for s in d.get("subscriptions", [])],
    )


def _group(d: JSON) -> ResourceGroup:
    return ResourceGroup(d["id"], d.get("location", "eastus"), dict(d.get("tags") or {}))
