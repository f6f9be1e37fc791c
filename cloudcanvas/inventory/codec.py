"""Snapshots on disk: an inventory as compact, deterministic, zlib-compressed JSON.

The same inventory always gives the same bytes: resources are sorted by key, relations by
(source, target, kind), tags by name; key facts keep their display order. VNet, subnet, parent and
relation ends are stored as indexes into the resource list.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from cloudcanvas.errors import AppError
from cloudcanvas.inventory.model import Inventory, Relation, Resource
from cloudcanvas.inventory.normalize import paused_gc

FORMAT = "cloudcanvas.inventory"
VERSION = 1


class SnapshotUnreadable(AppError):
    code = "snapshot_unreadable"


def _ref(key: str | None, index: dict[str, int]) -> int | str | None:
    if key is None:
        return None
    position = index.get(key)
    return key if position is None else position


def _row(res: Resource, index: dict[str, int]) -> list[Any]:
    return [
        res.id,
        None if res.key == res.id.lower() else res.key,
        res.name,
        res.arm_type,
        res.component,
        res.family,
        res.location,
        res.subscription_id,
        res.resource_group,
        res.kind,
        res.sku,
        dict(sorted(res.tags.items())),
        [[k, v] for k, v in res.properties.items()],
        list(res.ip_addresses),
        _ref(res.vnet, index),
        _ref(res.subnet, index),
        _ref(res.parent, index),
    ]


def encode_inventory(inv: Inventory) -> bytes:
    """The inventory as compressed compact JSON; equal inventories give equal bytes."""
    with paused_gc():
        ordered = sorted(inv.resources.values(), key=lambda res: res.key)
        index = {res.key: position for position, res in enumerate(ordered)}
        relations = sorted({(rel.source, rel.target, rel.kind) for rel in inv.relations})
        document = {
            "format": FORMAT,
            "version": VERSION,
            "subscriptions": dict(sorted(inv.subscriptions.items())),
            "resource_groups": dict(sorted(inv.resource_groups.items())),
            "resources": [_row(res, index) for res in ordered],
            "relations": [[_ref(s, index), _ref(t, index), k] for s, t, k in relations],
        }
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def _key(value: Any, keys: list[str]) -> str | None:
    if value is None:
        return None
    return keys[value] if isinstance(value, int) else str(value)


def _resources(rows: list[list[Any]]) -> dict[str, Resource]:
    keys = [row[1] if row[1] is not None else str(row[0]).lower() for row in rows]
    resources: dict[str, Resource] = {}
    for key, row in zip(keys, rows, strict=True):
        resources[key] = Resource(
            key=key,
            id=row[0],
            name=row[2],
            arm_type=row[3],
            component=row[4],
            family=row[5],
            location=row[6],
            subscription_id=row[7],
            resource_group=row[8],
            kind=row[9],
            sku=row[10],
            tags=dict(row[11]),
            properties={k: v for k, v in row[12]},
            ip_addresses=tuple(row[13]),
            vnet=_key(row[14], keys),
            subnet=_key(row[15], keys),
            parent=_key(row[16], keys),
        )
    return resources


def decode_inventory(data: bytes) -> Inventory:
    """The inventory ``encode_inventory`` stored; ``SnapshotUnreadable`` when it is not one."""
    try:
        with paused_gc():
            return _decode(data)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, zlib.error) as exc:
        raise SnapshotUnreadable(
            "The stored snapshot could not be read; scan the account again to replace it."
        ) from exc


def _decode(data: bytes) -> Inventory:
    document = json.loads(zlib.decompress(data).decode("utf-8"))
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValueError(f"not a version {VERSION} inventory")
    resources = _resources(document["resources"])
    keys = list(resources)
    relations = [
        Relation(str(_key(s, keys)), str(_key(t, keys)), k) for s, t, k in document["relations"]
    ]
    return Inventory(
        resources=resources,
        relations=relations,
        subscriptions=dict(document["subscriptions"]),
        resource_groups=dict(document["resource_groups"]),
    )


def location_index(inv: Inventory) -> dict[str, int]:
    """Resource count per location ("eastus", "global"), largest first."""
    return inv.counts_by_location()
