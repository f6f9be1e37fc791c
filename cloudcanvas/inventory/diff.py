"""What changed between two inventories: resources added, removed, and changed (with the fields)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cloudcanvas.inventory.model import Inventory, Resource
from cloudcanvas.inventory.normalize import paused_gc

# Fields compared one by one; properties are compared per key ("properties.size").
_FIELDS = (
    "name",
    "location",
    "component",
    "kind",
    "sku",
    "tags",
    "ip_addresses",
    "vnet",
    "subnet",
    "parent",
)


@dataclass(slots=True)
class InventoryDiff:
    added: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)
    changed: list[tuple[Resource, Resource, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }


def _relation_sets(inv: Inventory) -> dict[str, set[tuple[str, str, str]]]:
    """Per resource key: its relations as (direction, other end, kind)."""
    sets: dict[str, set[tuple[str, str, str]]] = {}
    for rel in inv.relations:
        sets.setdefault(rel.source, set()).add(("out", rel.target, rel.kind))
        sets.setdefault(rel.target, set()).add(("in", rel.source, rel.kind))
    return sets


def _changed_fields(old: Resource, new: Resource) -> list[str]:
    fields = [name for name in _FIELDS if getattr(old, name) != getattr(new, name)]
    if old.properties != new.properties:
        names = old.properties.keys() | new.properties.keys()
        fields.extend(
            f"properties.{name}"
            for name in sorted(names)
            if old.properties.get(name) != new.properties.get(name)
        )
    return fields


def diff_inventories(old: Inventory, new: Inventory) -> InventoryDiff:
    """Resources added, removed and changed from ``old`` to ``new``, each list sorted by key."""
    diff = InventoryDiff(
        added=[new.resources[k] for k in sorted(new.resources.keys() - old.resources.keys())],
        removed=[old.resources[k] for k in sorted(old.resources.keys() - new.resources.keys())],
    )
    empty: set[tuple[str, str, str]] = set()
    with paused_gc():
        old_relations, new_relations = _relation_sets(old), _relation_sets(new)
        for key in sorted(old.resources.keys() & new.resources.keys()):
            before, after = old.resources[key], new.resources[key]
            fields = [] if before == after else _changed_fields(before, after)
            if old_relations.get(key, empty) != new_relations.get(key, empty):
                fields.append("relations")
            if fields:
                diff.changed.append((before, after, fields))
    return diff
