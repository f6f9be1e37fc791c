"""The garbage collector tuned once, in the processes that build inventories.

A 100,000-resource inventory is millions of new dicts, lists and tuples and no cycles; with the
default thresholds the cyclic collector walks them again and again while they are built, decoded
and diffed (it doubled the build time in ``bench/inventory.py``). The collector is not switched
off and on around that work (in a server's threads that switched it off for every other request
too): the young generation's threshold is raised once, when a worker starts, and what the
process allocated at start-up is frozen out of every later collection.
"""

from __future__ import annotations

import gc
import threading

# Collections of the young generation every 50,000 net allocations instead of 700; the older
# generations keep their default ratios, so cycles are still collected, only less often.
YOUNG_THRESHOLD = 50_000
_tuned = False
_lock = threading.Lock()


def tune_gc() -> bool:
    """Tune the collector for inventory work; once per process. Returns whether this call did."""
    global _tuned
    with _lock:
        if _tuned:
            return False
        _, older, oldest = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
        _tuned = True
        return True
