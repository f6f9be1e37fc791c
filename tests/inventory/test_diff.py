"""What changed between two scans."""

from __future__ import annotations

import copy
from typing import Any

from cloudcanvas.inventory.diff import diff_inventories
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from tests.inventory.topology import RG, containers, row, topology_rows


def inventory_of(rows: list[dict[str, Any]]) -> Inventory:
    return build_inventory(rows, containers())


def key_of(name: str, inv: Inventory) -> str:
    (key,) = [k for k, r in inv.resources.items() if r.name == name]
    return key


def test_no_change() -> None:
    diff = diff_inventories(inventory_of(topology_rows()), inventory_of(topology_rows()))
    assert not diff
    assert diff.counts() == {"added": 0, "removed": 0, "changed": 0}


def test_added_and_removed() -> None:
    old_rows = topology_rows()
    new_rows = [r for r in old_rows if r["name"] != "vault1"]
    new_rows.append(row(f"{RG}/providers/Microsoft.Cache/Redis/cache1", "Microsoft.Cache/Redis"))
    diff = diff_inventories(inventory_of(old_rows), inventory_of(new_rows))
    assert [r.name for r in diff.added] == ["cache1"]
    assert [r.name for r in diff.removed] == ["vault1"]
    # The private endpoint lost its target: its relations changed, and the reference is kept.
    changed = {before.name: fields for before, _, fields in diff.changed}
    assert changed["pe-vault"] == ["properties.ref.private-link", "relations"]


def test_changed_fields_are_named() -> None:
    old_rows = topology_rows()
    new_rows = copy.deepcopy(old_rows)
    vm = next(r for r in new_rows if r["name"] == "vm1")
    vm["tags"] = {"env": "prod"}
    vm["properties"]["hardwareProfile"]["vmSize"] = "Standard_D4s_v5"
    diff = diff_inventories(inventory_of(old_rows), inventory_of(new_rows))
    (before, after, fields) = next(c for c in diff.changed if c[0].name == "vm1")
    assert fields == ["sku", "tags", "properties.size"]
    assert (before.sku, after.sku) == ("Standard_D2s_v5", "Standard_D4s_v5")


def test_moved_nic_changes_placement_and_relations() -> None:
    old_rows = topology_rows()
    new_rows = copy.deepcopy(old_rows)
    nic = next(r for r in new_rows if r["name"] == "nic1")
    conf = nic["properties"]["ipConfigurations"][0]["properties"]
    conf["subnet"]["id"] = conf["subnet"]["id"].replace("/web", "/pe")
    old, new = inventory_of(old_rows), inventory_of(new_rows)
    diff = diff_inventories(old, new)
    changed = {before.name: fields for before, _, fields in diff.changed}
    assert changed["nic1"] == ["subnet", "relations"]
    assert changed["vm1"] == ["subnet"]  # it follows its NIC
    assert "relations" in changed["web"] and "relations" in changed["pe"]


def test_diff_from_nothing_adds_everything() -> None:
    new = inventory_of(topology_rows())
    diff = diff_inventories(Inventory(), new)
    assert len(diff.added) == len(new)
    assert [r.key for r in diff.added] == sorted(new.resources)
