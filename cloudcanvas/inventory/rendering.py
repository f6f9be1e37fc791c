"""Diagrams of stored snapshots, cached: decoded inventories by snapshot content, and renderings
by content, location, format and options.

The caches belong to an application: ``create_app`` makes one ``SnapshotCaches`` and holds it on
``app.state`` (``caches_of``); the API and the web viewer of that app share it, so an unchanged
snapshot drawn with the same options is drawn once, and two apps in one process share nothing.
Callers without an app (jobs, the CLI) pass no caches: they decode and draw afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

from cloudcanvas.diagram import RenderOptions, render
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


class SnapshotCaches:
    """One application's decoded inventories and drawings of snapshots."""

    def __init__(
        self, *, drawing_bytes: int = 96 * 1024 * 1024, inventory_resources: int = 200_000
    ) -> None:
        self.renderings = WeightedCache(budget=drawing_bytes)  # bytes of SVG, PNG, PDF ...
        self.inventories = WeightedCache(budget=inventory_resources)  # resources decoded
        self._drawing: dict[tuple[object, ...], threading.Lock] = {}
        self._drawing_lock = threading.Lock()

    def inventory_of(self, snapshot: Snapshot) -> Inventory:
        """The snapshot's inventory, decoded once per content."""
        cached = self.inventories.get((snapshot.content_hash,))
        if cached is None:
            cached = decode_inventory(snapshot.data)
            self.inventories.put((snapshot.content_hash,), cached, max(1, len(cached)))
        return cast(Inventory, cached)

    def drawing(self, key: tuple[object, ...], draw: Callable[[], bytes]) -> bytes:
        """The drawing under ``key``, drawn by ``draw`` when not cached.

        Concurrent requests for the same drawing wait for one of them to draw it (a crowd
        arriving at a cold cache would otherwise draw it once per request, each slower than the
        last)."""
        data = self.renderings.get(key)
        if data is not None:
            return cast(bytes, data)
        with self._drawing_lock:
            lock = self._drawing.setdefault(key, threading.Lock())
        with lock:
            data = self.renderings.get(key)
            if data is None:
                data = draw()
                self.renderings.put(key, data, len(data))
        with self._drawing_lock:
            self._drawing.pop(key, None)
        return cast(bytes, data)


def caches_of(app_state: object) -> SnapshotCaches:
    """The caches ``create_app`` put on ``app.state``."""
    caches: SnapshotCaches = getattr(app_state, "snapshot_caches")  # noqa: B009 - untyped state
    return caches


def inventory_of(snapshot: Snapshot, caches: SnapshotCaches | None = None) -> Inventory:
    """The snapshot's inventory: from the app's caches when given, else decoded now."""
    return caches.inventory_of(snapshot) if caches is not None else decode_inventory(snapshot.data)


def render_snapshot(
    snapshot: Snapshot,
    location: str | None,
    fmt: str,
    opts: RenderOptions,
    caches: SnapshotCaches | None = None,
) -> bytes:
    """Draw one location (or all, with ``None``) of a snapshot, from the cache when drawn before."""

    def draw() -> bytes:
        return render(to_graph(inventory_of(snapshot, caches), location), fmt, opts)

    if caches is None:
        return draw()
    return caches.drawing((snapshot.content_hash, location, fmt, opts), draw)


def render_snapshots(
    snapshots: list[Snapshot],
    location: str | None,
    fmt: str,
    opts: RenderOptions,
    caches: SnapshotCaches | None = None,
) -> bytes:
    """Draw the union of several snapshots (several accounts in one diagram), cached alike."""
    if len(snapshots) == 1:
        return render_snapshot(snapshots[0], location, fmt, opts, caches)

    def draw() -> bytes:
        merged = union([inventory_of(s, caches) for s in snapshots])
        return render(to_graph(merged, location), fmt, opts)

    if caches is None:
        return draw()
    hashes = tuple(sorted(s.content_hash for s in snapshots))
    return caches.drawing((hashes, location, fmt, opts), draw)
