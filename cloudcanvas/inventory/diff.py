"""What changed between two inventories: resources added, removed, and changed (with the fields)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cloudcanvas.inventory.model import Inventory, Resource

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


def _touched_by_relations(old: Inventory, new: Inventory) -> set[str]:
    """Keys of the resources at either end of a relation that one inventory has and not the other."""
    before = {(rel.source, rel.target, rel.kind) for rel in old.relations}
    after = {(rel.source, rel.target, rel.kind) for rel in new.relations}
    touched: set[str] = set()
    for source, target, _ in before ^ after:
        touched.add(source)
        touched.add(target)
    return touched


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
    touched = _touched_by_relations(old, new)
    for key in sorted(old.resources.keys() & new.resources.keys()):
        before, after = old.resources[key], new.resources[key]
        fields = [] if before == after else _changed_fields(before, after)
        if key in touched:
            fields.append("relations")
        if fields:
            diff.changed.append((before, after, fields))
    return diff
