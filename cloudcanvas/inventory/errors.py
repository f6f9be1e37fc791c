"""Scan and snapshot errors."""

from __future__ import annotations

from cloudcanvas.errors import Conflict, NotFound


class ScanBlocked(Conflict):
    """The account cannot be scanned until its owner fixes it (e.g. an expired secret)."""

    code = "scan_blocked"


class SnapshotNotFound(NotFound):
    code = "snapshot_not_found"
