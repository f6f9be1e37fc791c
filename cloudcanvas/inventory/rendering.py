"""Diagrams of stored snapshots, cached: decoded inventories by snapshot content, and renderings
by content, location, format and options. The API and the web viewer share both caches, so an
unchanged snapshot drawn with the same options is drawn once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, cast

from cloudcanvas.diagram import RenderOptions, render
from cloudcanvas.diagram.filter import check_types, has_type_terms, parse_filter
from cloudcanvas.errors import NotFound
from cloudcanvas.inventory.codec import decode_inventory
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.union import union
from cloudcanvas.store.models import Snapshot


class WeightedCache:
    """A small LRU of values by key, bounded by a total weight (bytes, or resources)."""

    def __init__(self, budget: int) -> None:
        self._items: OrderedDict[tuple[object, ...], tuple[Any, int]] = OrderedDict()
        self._budget, self._used, self._lock = budget, 0, threading.Lock()

    def get(self, key: tuple[object, ...]) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: tuple[object, ...], value: Any, weight: int) -> None:
        with self._lock:
            if key in self._items:
                self._used -= self._items.pop(key)[1]
            self._items[key] = (value, weight)
            self._used += weight
            while self._used > self._budget and len(self._items) > 1:
                self._used -= self._items.popitem(last=False)[1][1]


_renderings = WeightedCache(budget=96 * 1024 * 1024)  # bytes of SVG, PNG, PDF ...
_inventories = WeightedCache(budget=200_000)  # resources of decoded snapshots


def inventory_of(snapshot: Snapshot) -> Inventory:
    """The snapshot's inventory, decoded once per content."""
    cached = _inventories.get((snapshot.content_hash,))
    if cached is None:
        cached = decode_inventory(snapshot.data)
        _inventories.put((snapshot.content_hash,), cached, max(1, len(cached)))
    return cast(Inventory, cached)


_drawing: dict[tuple[object, ...], threading.Lock] = {}
_drawing_lock = threading.Lock()


def render_snapshot(
    snapshot: Snapshot, location: str | None, fmt: str, opts: RenderOptions
) -> bytes:
    """Draw one location (or all, with ``None``) of a snapshot, from the cache when drawn before.

    Concurrent requests for the same drawing wait for one of them to draw it (a crowd arriving
    at a cold cache would otherwise draw it once per request, each slower than the last)."""
    key = (snapshot.content_hash, location, fmt, opts)
    data = _renderings.get(key)
    if data is not None:
        return cast(bytes, data)
    with _drawing_lock:
        lock = _drawing.setdefault(key, threading.Lock())
    with lock:
        data = _renderings.get(key)
        if data is None:
            data = render(to_graph(inventory_of(snapshot), location), fmt, opts)
            _renderings.put(key, data, len(data))
    with _drawing_lock:
        _drawing.pop(key, None)
    return cast(bytes, data)


def render_snapshots(
    snapshots: list[Snapshot], location: str | None, fmt: str, opts: RenderOptions
) -> bytes:
    """Draw the union of several snapshots (several accounts in one diagram), cached alike."""
    if len(snapshots) == 1:
        return render_snapshot(snapshots[0], location, fmt, opts)
    hashes = tuple(sorted(s.content_hash for s in snapshots))
    key = (hashes, location, fmt, opts)
    data = _renderings.get(key)
    if data is None:
        merged = union([inventory_of(s) for s in snapshots])
        data = render(to_graph(merged, location), fmt, opts)
        _renderings.put(key, data, len(data))
    return cast(bytes, data)


_types: WeightedCache = WeightedCache(budget=4096)  # (components, ARM types) by snapshot content


def _types_of(snapshot: Snapshot) -> tuple[set[str], set[str]]:
    cached = _types.get((snapshot.content_hash,))
    if cached is None:
        nodes = to_graph(inventory_of(snapshot), None).nodes
        cached = ({n.component for n in nodes}, {n.arm_type for n in nodes})
        _types.put((snapshot.content_hash,), cached, 1)
    return cast(tuple[set[str], set[str]], cached)


def check_view(snapshots: list[Snapshot], location: str | None, opts: RenderOptions) -> None:
    """Refuse a region or a ``type=`` the snapshots do not have, naming those they have, instead
    of drawing an empty diagram: 404 for the region, 400 for the type."""
    if location is not None:
        known = sorted({name for s in snapshots for name in s.location_index})
        if location not in known:
            raise NotFound(
                f"no such region in this account: {location!r}; known are "
                f"{', '.join(known) or 'none (nothing was scanned yet)'}, or all.",
                code="unknown_location",
                detail={"known": known},
            )
    expr = parse_filter(opts.filter) if opts.filter and opts.filter.strip() else None
    if has_type_terms(expr):
        components: set[str] = set()
        arm_types: set[str] = set()
        for snapshot in snapshots:
            more_components, more_arm_types = _types_of(snapshot)
            components |= more_components
            arm_types |= more_arm_types
        check_types(expr, components, arm_types)
