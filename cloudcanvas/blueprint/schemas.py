"""What the API reads and writes for a blueprint (Cloudcraft's field names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudcanvas.blueprint.document import DocumentError, check_document
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import Blueprint

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


def blueprint_json(blueprint: Blueprint, *, with_data: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": blueprint.id,
        "name": blueprint.name,
        "tags": list(blueprint.tags),
        "readAccess": list(blueprint.readers),
        "writeAccess": list(blueprint.writers),
        "createdAt": iso(blueprint.created_at),
        "updatedAt": iso(blueprint.updated_at),
        "CreatorId": blueprint.creator_id,
        "CurrentVersionId": blueprint.current_version_id,
        "LastUserId": blueprint.last_user_id,
    }
    if with_data:
        body["CustomerId"] = blueprint.organization_id
        body["data"] = blueprint.data
    return body
