"""Scans, snapshots, and what changed between them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from cloudcanvas.accounts import service as account_service
from cloudcanvas.api.deps import ActorDep, SessionDep
from cloudcanvas.identity.policy import Action
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.rendering import caches_of
from cloudcanvas.inventory.schemas import (
    DiffOut,
    ScanListOut,
    ScanOut,
    SnapshotListOut,
    SnapshotOut,
)
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.jobs.queue import JobQueue

router = APIRouter()


def queue_of(request: Request) -> JobQueue:
    return jobs_queue.queue_of(request.app.state)


@router.post("/azure/account/{account_id}/scans", status_code=202)
def start_scan(request: Request, session: SessionDep, actor: ActorDep, account_id: str) -> ScanOut:
    """Start a scan, or join the running one."""
    account = account_service.get_account(
        session, actor=actor, account_id=account_id, action=Action.SCAN_ACCOUNT
    )
    scan = jobs_queue.start_scan(session, queue_of(request), account=account, actor=actor)
    return ScanOut.of(scan)


@router.get("/azure/account/{account_id}/scans")
def list_scans(session: SessionDep, actor: ActorDep, account_id: str) -> ScanListOut:
    """The recent scans with status, progress, counts and failures."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    scans = inventory_repository.list_scans(session, account.id)
    return ScanListOut(scans=[ScanOut.of(s) for s in scans])


@router.get("/azure/account/{account_id}/scans/{scan_id}")
def read_scan(session: SessionDep, actor: ActorDep, account_id: str, scan_id: str) -> ScanOut:
    """One scan."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    return ScanOut.of(
        inventory_service.get_scan(session, actor=actor, account=account, scan_id=scan_id)
    )


@router.get("/azure/account/{account_id}/snapshots")
def list_snapshots(session: SessionDep, actor: ActorDep, account_id: str) -> SnapshotListOut:
    """The stored snapshots, good and partial, newest first."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    snapshots = inventory_repository.list_snapshots(session, account.id)
    return SnapshotListOut(snapshots=[SnapshotOut.of(s) for s in snapshots])


@router.get("/azure/account/{account_id}/diff")
def diff(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    account_id: str,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
) -> DiffOut:
    """What changed between two snapshots (default: the latest and the one before)."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    caches = caches_of(request.app.state)
    old, new, changes = inventory_service.diff_snapshots(session, account, from_, to, caches)
    return DiffOut.of(old, new, changes)
