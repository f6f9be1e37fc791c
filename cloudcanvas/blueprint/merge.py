"""A live blueprint follows its account's scans: the pure merge of a scan's document into the
user's document.

What the scan owns is refreshed; what the user did stays:

- a resource still in the scan keeps its element id, ``mapPos``, colour, label and every field the
  scan does not produce; its scan fields (name, tags, properties, region...) are updated;
- a resource gone from the scan leaves, with the edges to it and its group memberships;
- a new resource is added where the scan's layout puts it (unless its type is excluded);
- elements the user drew (no ``resourceId``: texts, icons, hand-drawn blocks and edges) stay;
- ``autoConnect`` replaces the edges a scan made (``"auto": true``) with the scan's, or drops them;
- ``autoLabel`` gives a new resource a ``label`` (its name) or none;
- ``updateGroupsOnScan`` replaces the scan-made groups, keeping the place and size of a group the
  user already had (matched by ``key``).
"""

from __future__ import annotations

import copy
from typing import Any

# The fields a scan writes on a node; every other field of an existing node is the user's.
SCAN_FIELDS = (
    "type",
    "name",
    "region",
    "resourceId",
    "family",
    "armType",
    "subscriptionId",
    "resourceGroup",
    "tags",
    "properties",
    "ipAddresses",
)


def _key(node: dict[str, Any]) -> str | None:
    resource_id = node.get("resourceId")
    return resource_id.lower() if isinstance(resource_id, str) and resource_id else None


def _options(data: dict[str, Any]) -> dict[str, Any]:
    options = data.get("liveOptions")
    return options if isinstance(options, dict) else {}


def _merge_nodes(
    data: dict[str, Any], scan: dict[str, Any], account_id: str, options: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The merged nodes, and each scan element id → the id it has in the blueprint."""
    excluded = {t for t in options.get("excludedTypes") or [] if isinstance(t, str)}
    auto_label = options.get("autoLabel", True) is not False
    incoming = {}
    for node in scan.get("nodes") or []:
        key = _key(node)
        if key is not None and node.get("type") not in excluded:
            incoming[key] = node
    ids: dict[str, str] = {}
    merged = []
    for node in data.get("nodes") or []:
        key = _key(node)
        if key is None:
            merged.append(node)  # drawn by the user
            continue
        fresh = incoming.pop(key, None)
        if fresh is None:
            continue  # gone from the account (or now excluded)
        updated = dict(node)
        updated.update({f: fresh[f] for f in SCAN_FIELDS if f in fresh})
        updated["liveAccountId"] = account_id
        ids[fresh["id"]] = node["id"]
        merged.append(updated)
    for node in incoming.values():
        added = copy.deepcopy(node)
        added["liveAccountId"] = account_id
        if auto_label:
            added["label"] = node.get("name", "")
        ids[node["id"]] = node["id"]
        merged.append(added)
    return merged, ids


def _merge_edges(
    data: dict[str, Any],
    scan: dict[str, Any],
    ids: dict[str, str],
    present: set[str],
    auto_connect: bool,
) -> list[dict[str, Any]]:
    kept = [
        e
        for e in data.get("edges") or []
        if not e.get("auto") and e.get("from") in present and e.get("to") in present
    ]
    if not auto_connect:
        return kept
    for edge in scan.get("edges") or []:
        source, target = ids.get(edge.get("from", "")), ids.get(edge.get("to", ""))
        if source is not None and target is not None:
            kept.append(edge | {"from": source, "to": target, "auto": True})
    return kept


def _scan_made(group: dict[str, Any]) -> bool:
    return isinstance(group.get("key"), str)  # "" too: the services group of a region


def _group_keys(groups: list[dict[str, Any]]) -> dict[str, str]:
    """Each scan-made group's id → a key stable across scans: its kind and ``key``, or, for a
    group without one (services), its kind and name under its parent's key."""
    by_id = {g.get("id"): g for g in groups if _scan_made(g)}
    keys: dict[str, str] = {}
    for group_id, group in by_id.items():
        parent = by_id.get(group.get("parent"))
        where = group["key"] or f"{group.get('name')}@{parent.get('key') if parent else ''}"
        keys[str(group_id)] = f"{group.get('kind')}:{where}"  # a VNet and its services share a key
    return keys


def _merge_groups(
    data: dict[str, Any], scan: dict[str, Any], ids: dict[str, str], present: set[str]
) -> list[dict[str, Any]]:
    """Scan-made groups (they carry ``key``) follow the scan; the user's keep their members that
    still exist."""
    mine = data.get("groups") or []
    old_keys = _group_keys(mine)
    old = {old_keys[str(g.get("id"))]: g for g in mine if _scan_made(g)}
    groups = [
        g | {"nodes": [n for n in g.get("nodes") or [] if n in present]}
        for g in mine
        if not _scan_made(g)
    ]
    scan_groups = scan.get("groups") or []
    new_keys = _group_keys(scan_groups)
    group_ids = {
        g["id"]: old[new_keys[g["id"]]]["id"]
        for g in scan_groups
        if new_keys.get(g.get("id")) in old
    }
    for group in scan_groups:
        previous = old.get(new_keys.get(group.get("id"), ""))
        fresh = dict(group)
        fresh["nodes"] = [ids[n] for n in group.get("nodes") or [] if n in ids]
        if group.get("parent"):
            fresh["parent"] = group_ids.get(group["parent"], group["parent"])
        if previous is not None:
            fresh.update(
                {k: previous[k] for k in ("id", "mapPos", "mapSize", "color") if k in previous}
            )
        groups.append(fresh)
    return groups


def merge_scan(data: dict[str, Any], scan: dict[str, Any], *, account_id: str) -> dict[str, Any]:
    """The blueprint document after a scan (``scan`` is a snapshot's JSON ``data``)."""
    options = _options(data)
    nodes, ids = _merge_nodes(data, scan, account_id, options)
    present = {n["id"] for n in nodes if isinstance(n.get("id"), str)}
    merged = dict(data)
    merged["nodes"] = nodes
    merged["edges"] = _merge_edges(
        data, scan, ids, present, options.get("autoConnect", True) is not False
    )
    if options.get("updateGroupsOnScan", True) is not False:
        merged["groups"] = _merge_groups(data, scan, ids, present)
    else:
        merged["groups"] = [
            g | {"nodes": [n for n in g.get("nodes") or [] if n in present]}
            for g in data.get("groups") or []
        ]
    return merged
