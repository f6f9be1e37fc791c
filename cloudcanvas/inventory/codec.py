"""Snapshots on disk: an inventory as compact, deterministic, zlib-compressed JSON.

The same inventory always gives the same bytes: resources are sorted by key, relations by
(source, target, kind), tags by name; key facts keep their display order. VNet, subnet, parent and
relation ends are stored as indexes into the resource list, and the few distinct values of type,
component, family, location, subscription, group, kind and SKU as indexes into a string table
(a smaller document is faster to write and to read).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from cloudcanvas.errors import AppError
from cloudcanvas.inventory.model import Inventory, Relation, Resource

FORMAT = "cloudcanvas.inventory"
VERSION = 1


class SnapshotUnreadable(AppError):
    code = "snapshot_unreadable"


def _ref(key: str | None, index: dict[str, int]) -> int | str | None:
    if key is None:
        return None
    position = index.get(key)
    return key if position is None else position


# Resource fields stored as indexes into the string table.
_SHARED = slice(3, 11)


def _row(res: Resource, index: dict[str, int], strings: dict[str | None, int | None]) -> list[Any]:
    shared = []
    for value in (
        res.arm_type,
        res.component,
        res.family,
        res.location,
        res.subscription_id,
        res.resource_group,
        res.kind,
        res.sku,
    ):
        position = strings.get(value, -1)
        if position == -1:
            position = strings[value] = len(strings) - 1  # None is preset to None
        shared.append(position)
    return [
        res.id,
        None if res.key == res.id.lower() else res.key,
        res.name,
        *shared,
        dict(sorted(res.tags.items())),
        list(res.properties.items()),  # pairs: the display order survives
        list(res.ip_addresses),
        _ref(res.vnet, index),
        _ref(res.subnet, index),
        _ref(res.parent, index),
    ]


def _relation_rows(relations: list[Relation], index: dict[str, int]) -> list[list[Any]]:
    """Relations as [source, target, kind], ends as indexes, sorted; ends that are not resources
    (a hand-built inventory may have them) keep their key and come last."""
    indexed: set[tuple[int, int, str]] = set()
    loose: set[tuple[str, str, str]] = set()
    for rel in relations:
        source, target = index.get(rel.source), index.get(rel.target)
        if source is None or target is None:
            loose.add((rel.source, rel.target, rel.kind))
        else:
            indexed.add((source, target, rel.kind))
    rows: list[list[Any]] = [list(triple) for triple in sorted(indexed)]  # ints sort fast
    rows.extend([_ref(s, index), _ref(t, index), k] for s, t, k in sorted(loose))
    return rows


def _document(inv: Inventory) -> str:
    ordered = sorted(inv.resources.values(), key=lambda res: res.key)
    index = {res.key: position for position, res in enumerate(ordered)}
    strings: dict[str | None, int | None] = {None: None}
    resources = [_row(res, index, strings) for res in ordered]
    document = {
        "format": FORMAT,
        "version": VERSION,
        "subscriptions": dict(sorted(inv.subscriptions.items())),
        "resource_groups": dict(sorted(inv.resource_groups.items())),
        "strings": [value for value in strings if value is not None],
        "resources": resources,
        "relations": _relation_rows(inv.relations, index),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def encode_inventory(inv: Inventory) -> bytes:
    """The inventory as compressed compact JSON; equal inventories give equal bytes."""
    return zlib.compress(_document(inv).encode("utf-8"), 6)


def _key(value: Any, keys: list[str]) -> str | None:
    if value is None:
        return None
    return keys[value] if isinstance(value, int) else str(value)


def _resources(rows: list[list[Any]], strings: list[str]) -> dict[str, Resource]:
    keys = [row[1] if row[1] is not None else str(row[0]).lower() for row in rows]
    resources: dict[str, Resource] = {}
    for key, row in zip(keys, rows, strict=True):
        shared: list[Any] = [None if i is None else strings[i] for i in row[_SHARED]]
        arm_type, component, family, location, subscription, group, kind, sku = shared
        resources[key] = Resource(
            key,
            row[0],
            row[2],
            arm_type,
            component,
            family,
            location,
            subscription,
            group,
            kind,
            sku,
            dict(row[11]),
            dict(row[12]),  # [[name, value], ...] keeps the display order
            tuple(row[13]),
            _key(row[14], keys),
            _key(row[15], keys),
            _key(row[16], keys),
        )
    return resources


def decode_inventory(data: bytes) -> Inventory:
    """The inventory ``encode_inventory`` stored; ``SnapshotUnreadable`` when it is not one."""
    try:
        return _decode(data)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, zlib.error) as exc:
        raise SnapshotUnreadable(
            "The stored snapshot could not be read; scan the account again to replace it."
        ) from exc


def _decode(data: bytes) -> Inventory:
    document = json.loads(zlib.decompress(data).decode("utf-8"))
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValueError(f"not a version {VERSION} inventory")
    resources = _resources(document["resources"], document["strings"])
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
