"""What the API reads and writes for a blueprint (Cloudcraft's field names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from cloudcanvas.blueprint.document import DocumentError, check_document
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import Blueprint, BlueprintVersion
from cloudcanvas.wire import Wire

MAX_NAME = 200
MAX_TAGS = 50
DEFAULT_NAME = "Untitled blueprint"


@dataclass
class BlueprintWrite:
    """A create or a whole-document update; ``None`` fields keep what is stored."""

    data: dict[str, Any]
    name: str | None = None
    tags: list[str] | None = None
    readers: list[str] | None = None
    writers: list[str] | None = None


def _string_list(payload: dict[str, Any], key: str) -> list[str] | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DocumentError(key, "must be a list of strings")
    if len(value) > MAX_TAGS:
        raise DocumentError(key, f"holds at most {MAX_TAGS} entries")
    return list(value)


def parse_write(payload: Any) -> BlueprintWrite:
    """``{"data": {...}, "name"?, "tags"?, "readAccess"?, "writeAccess"?}``; a snapshot document
    (``{"grid", "name", "data"}``) has the same shape and is taken as is."""
    if not isinstance(payload, dict):
        raise DocumentError("body", 'must be an object such as {"data": {...}}')
    if "data" not in payload:
        raise DocumentError("data", "is required (the blueprint document)")
    data = check_document(payload["data"])
    name = payload.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME):
        raise DocumentError("name", f"must be a string of at most {MAX_NAME} characters")
    return BlueprintWrite(
        data=data,
        name=name.strip() if isinstance(name, str) and name.strip() else None,
        tags=_string_list(payload, "tags"),
        readers=_string_list(payload, "readAccess"),
        writers=_string_list(payload, "writeAccess"),
    )


def name_of(write: BlueprintWrite) -> str:
    from_data = write.data.get("name")
    name = write.name or (from_data.strip() if isinstance(from_data, str) else "")
    return (name or DEFAULT_NAME)[:MAX_NAME]


def etag(blueprint: Blueprint) -> str:
    return f'"{blueprint.id}-{blueprint.revision}"'


class BlueprintSummaryOut(Wire):
    """A blueprint as listed: Cloudcraft's fields, without the document."""

    id: str
    name: str
    tags: list[str]
    read_access: list[str]
    write_access: list[str]
    created_at: str | None
    updated_at: str | None
    creator_id: str | None = Field(alias="CreatorId")
    current_version_id: str | None = Field(alias="CurrentVersionId")
    last_user_id: str | None = Field(alias="LastUserId")

    @classmethod
    def fields_of(cls, blueprint: Blueprint) -> dict[str, Any]:
        return {
            "id": blueprint.id,
            "name": blueprint.name,
            "tags": list(blueprint.tags),
            "read_access": list(blueprint.readers),
            "write_access": list(blueprint.writers),
            "created_at": iso(blueprint.created_at),
            "updated_at": iso(blueprint.updated_at),
            "creator_id": blueprint.creator_id,
            "current_version_id": blueprint.current_version_id,
            "last_user_id": blueprint.last_user_id,
        }

    @classmethod
    def of(cls, blueprint: Blueprint) -> BlueprintSummaryOut:
        return cls(**cls.fields_of(blueprint))


class BlueprintOut(BlueprintSummaryOut):
    """A blueprint with its document (``data``, Cloudcraft's fields and any others, untouched)."""

    customer_id: str = Field(alias="CustomerId")
    data: dict[str, Any]

    @classmethod
    def of(cls, blueprint: Blueprint) -> BlueprintOut:
        return cls(
            **cls.fields_of(blueprint), customer_id=blueprint.organization_id, data=blueprint.data
        )


class BlueprintListOut(Wire):
    blueprints: list[BlueprintSummaryOut]


class VersionOut(Wire):
    """A saved version, as listed (without its document)."""

    id: str
    name: str
    reason: str
    user_id: str | None = Field(alias="UserId")
    created_at: str | None

    @classmethod
    def fields_of(cls, version: BlueprintVersion) -> dict[str, Any]:
        return {
            "id": version.id,
            "name": version.name,
            "reason": version.reason,
            "user_id": version.user_id,
            "created_at": iso(version.created_at),
        }

    @classmethod
    def of(cls, version: BlueprintVersion) -> VersionOut:
        return cls(**cls.fields_of(version))


class VersionDetailOut(VersionOut):
    """One version with its document, read-only."""

    data: dict[str, Any]

    @classmethod
    def of(cls, version: BlueprintVersion) -> VersionDetailOut:
        return cls(**cls.fields_of(version), data=version.data)


class VersionListOut(Wire):
    versions: list[VersionOut]
