"""The collector is tuned once per process that builds inventories, and never switched off."""

from __future__ import annotations

import gc
import sys

from cloudcanvas.inventory.codec import decode_inventory, encode_inventory
from cloudcanvas.inventory.diff import diff_inventories
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.jobs.gc_tuning import YOUNG_THRESHOLD, tune_gc
from cloudcanvas.jobs.queue import InlineQueue
from cloudcanvas.store.database import Database
from tests.inventory.topology import topology_rows


def test_a_worker_tunes_the_collector_once(database_url, settings) -> None:
    database = Database.connect(database_url)
    queue = InlineQueue(database, settings, workers=1)
    try:
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert tune_gc() is False  # already done, by the queue of this process
        assert gc.isenabled()
    finally:
        queue.close()
        database.dispose()


def test_inventory_work_leaves_the_collector_running() -> None:
    """Building, encoding, decoding, diffing and drawing never switch the collector off (in a
    server that switched it off for every thread at once): with the lowest threshold, the
    collector runs inside each of them (seen on the stack of its callback)."""
    rows = topology_rows()
    inventory = build_inventory(rows)
    wanted = {"_build", "_document", "_decode", "diff_inventories", "to_graph"}
    inside: set[str] = set()

    def watch(phase: str, info: dict[str, int]) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name in wanted:
                inside.add(frame.f_code.co_name)
            frame = frame.f_back

    saved = gc.get_threshold()
    gc.callbacks.append(watch)
    gc.set_threshold(1, *saved[1:])  # a collection at (nearly) every allocation
    try:
        later = build_inventory(rows[: len(rows) // 2])
        decode_inventory(encode_inventory(inventory))
        diff_inventories(inventory, later)
        to_graph(inventory, None)
    finally:
        gc.set_threshold(*saved)
        gc.callbacks.remove(watch)
    assert gc.isenabled()
    assert inside == wanted, wanted - inside
