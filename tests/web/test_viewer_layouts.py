"""The viewer's layouts are made once per key, and a slow one holds up only its own waiters."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from cloudcanvas.inventory.rendering import SnapshotCaches
from cloudcanvas.web.viewer import ViewerLayouts


def test_a_value_is_made_once_however_many_ask_at_once():
    held = ViewerLayouts(SnapshotCaches())
    cache: OrderedDict[tuple[object, ...], int] = OrderedDict()
    calls = []

    def make() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(held.made(cache, ("k",), make, 3)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


def test_a_slow_value_does_not_hold_up_another_key():
    held = ViewerLayouts(SnapshotCaches())
    cache: OrderedDict[tuple[object, ...], str] = OrderedDict()
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "slow"

    worker = threading.Thread(target=lambda: held.made(cache, ("slow",), slow, 3))
    worker.start()
    assert started.wait(5)
    quick = threading.Thread(target=lambda: held.made(cache, ("quick",), lambda: "quick", 3))
    quick.start()
    quick.join(5)
    assert not quick.is_alive() and cache[("quick",)] == "quick"  # the slow one still runs
    assert ("slow",) not in cache
    release.set()
    worker.join()
    assert cache[("slow",)] == "slow"


def test_the_cache_keeps_only_the_newest():
    held = ViewerLayouts(SnapshotCaches())
    cache: OrderedDict[tuple[object, ...], int] = OrderedDict()
    for n in range(5):
        held.made(cache, (n,), int(n).__int__, 2)
    assert list(cache) == [(3,), (4,)]


def test_a_layout_being_made_counts_as_had():
    held = ViewerLayouts(SnapshotCaches())
    started, release = threading.Event(), threading.Event()

    def slow() -> object:
        started.set()
        release.wait(5)
        return object()

    worker = threading.Thread(target=lambda: held.made(held.layouts, ("k",), slow, 3))
    worker.start()
    assert started.wait(5)
    assert held.has_layout(("k",))  # no second background layout is started meanwhile
    assert not held.has_layout(("other",))
    release.set()
    worker.join()
    assert held.has_layout(("k",))
