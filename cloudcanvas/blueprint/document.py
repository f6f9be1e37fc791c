"""The blueprint document (Cloudcraft's ``data``): checked field by field, never rewritten.

Only the fields we read are checked; every other field round-trips untouched. An error names the
path of the bad value (``data.nodes[3].mapPos``) so that the caller knows what to fix.
"""

from __future__ import annotations

from typing import Any

from cloudcanvas.errors import BadRequest, PayloadTooLarge

MAX_NODES = 20_000
MAX_ELEMENTS = 50_000  # edges, groups, texts... each list
MAX_TEXT = 10_000  # characters of one text label or name
PROJECTIONS = ("isometric", "2d")
LIST_FIELDS = ("edges", "groups", "connectors", "surfaces", "text", "icons", "images")
LIVE_FLAGS = (
    "autoLabel",
    "autoConnect",
    "updatesEnabled",
    "updateAllOnScan",
    "updateGroupsOnScan",
    "updateNodeOnSelect",
)


class DocumentError(BadRequest):
    code = "invalid_blueprint"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}.", detail={"path": path})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(value: Any, path: str) -> None:
    if not (isinstance(value, list) and len(value) in (2, 3) and all(map(_is_number, value))):
        raise DocumentError(path, "must be a list of two numbers [x, y]")


def _string(item: dict[str, Any], key: str, path: str, *, required: bool = False) -> None:
    value = item.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise DocumentError(f"{path}.{key}", f"must be a string of at most {MAX_TEXT} characters")


def _objects(data: dict[str, Any], key: str, limit: int) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if items is None:
        return []
    if not isinstance(items, list):
        raise DocumentError(f"data.{key}", "must be a list")
    if len(items) > limit:
        raise PayloadTooLarge(
            f"data.{key}: {len(items)} elements; a blueprint holds at most {limit}.",
            detail={"path": f"data.{key}"},
        )
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DocumentError(f"data.{key}[{index}]", "must be an object")
    return items


def _check_elements(key: str, items: list[dict[str, Any]]) -> None:
    for index, item in enumerate(items):
        path = f"data.{key}[{index}]"
        _string(item, "id", path, required=key == "nodes")
        _string(item, "type", path, required=key == "nodes")
        _string(item, "name", path)
        if key == "text":
            _string(item, "text", path)
        if key == "edges":
            _string(item, "from", path)
            _string(item, "to", path)
        if "mapPos" in item:
            _position(item["mapPos"], f"{path}.mapPos")
        if "mapSize" in item:
            _position(item["mapSize"], f"{path}.mapSize")


def _check_live(data: dict[str, Any]) -> None:
    live = data.get("liveAccount")
    if live is not None:
        if not isinstance(live, dict) or not isinstance(live.get("id"), str):
            raise DocumentError("data.liveAccount", 'must be {"id": ACCOUNT_ID, "type": "azure"}')
        if live.get("type", "azure") != "azure":
            raise DocumentError("data.liveAccount.type", 'must be "azure"')
    options = data.get("liveOptions")
    if options is None:
        return
    if not isinstance(options, dict):
        raise DocumentError("data.liveOptions", "must be an object")
    excluded = options.get("excludedTypes", [])
    if not isinstance(excluded, list) or not all(isinstance(t, str) for t in excluded):
        raise DocumentError("data.liveOptions.excludedTypes", "must be a list of type names")
    for flag in LIVE_FLAGS:
        if flag in options and not isinstance(options[flag], bool):
            raise DocumentError(f"data.liveOptions.{flag}", "must be true or false")


def check_document(data: Any) -> dict[str, Any]:
    """Return ``data`` when it is a blueprint document we can keep; raise naming the bad path."""
    if not isinstance(data, dict):
        raise DocumentError("data", "must be an object (the blueprint document)")
    _string(data, "name", "data")
    if data.get("projection") is not None and data["projection"] not in PROJECTIONS:
        raise DocumentError("data.projection", 'must be "isometric" or "2d"')
    if not isinstance(data.get("theme", {}), dict | str | None):
        raise DocumentError("data.theme", 'must be an object such as {"base": "light"}')
    if not isinstance(data.get("disabledLayers", []), list | None):
        raise DocumentError("data.disabledLayers", "must be a list")
    _check_elements("nodes", _objects(data, "nodes", MAX_NODES))
    for key in LIST_FIELDS:
        _check_elements(key, _objects(data, key, MAX_ELEMENTS))
    _check_live(data)
    return data


def live_account_id(data: dict[str, Any]) -> str | None:
    live = data.get("liveAccount")
    return live.get("id") if isinstance(live, dict) else None
