"""Scans, snapshots, and what changed between them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from cloudcanvas.accounts import service as account_service
from cloudcanvas.api.deps import ActorDep, SessionDep
from cloudcanvas.identity.policy import Action
from cloudcanvas.inventory import repository as inventory_repository
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.model import Resource
from cloudcanvas.jobs import queue as jobs_queue
from cloudcanvas.jobs.queue import JobQueue
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import Scan, Snapshot

router = APIRouter()


def scan_json(scan: Scan) -> dict[str, Any]:
    return {
        "id": scan.id,
        "accountId": scan.account_id,
        "status": scan.status,
        "trigger": scan.trigger,
        "createdAt": iso(scan.created_at),
        "startedAt": iso(scan.started_at or scan.created_at),
        "finishedAt": iso(scan.finished_at),
        "progress": scan.progress,
        "counts": scan.counts,
        "failures": scan.failures,
        "errorCode": scan.error_code,
        "error": scan.error_message,
        "snapshotId": scan.snapshot_id,
    }


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "scanId": snapshot.scan_id,
        "createdAt": iso(snapshot.created_at),
        "partial": snapshot.partial,
        "resourceCount": snapshot.resource_count,
        "locations": snapshot.location_index,
        "types": snapshot.type_counts,
        "failures": snapshot.failures,
    }


def queue_of(request: Request) -> JobQueue:
    return jobs_queue.queue_of(request.app.state)


@router.post("/azure/account/{account_id}/scans", status_code=202)
def start_scan(
    request: Request, session: SessionDep, actor: ActorDep, account_id: str
) -> dict[str, Any]:
    """Start a scan, or join the running one."""
    account = account_service.get_account(
        session, actor=actor, account_id=account_id, action=Action.SCAN_ACCOUNT
    )
    scan = jobs_queue.start_scan(session, queue_of(request), account=account, actor=actor)
    return scan_json(scan)


@router.get("/azure/account/{account_id}/scans")
def list_scans(session: SessionDep, actor: ActorDep, account_id: str) -> dict[str, Any]:
    """The recent scans with status, progress, counts and failures."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    scans = inventory_repository.list_scans(session, account.id)
    return {"scans": [scan_json(s) for s in scans]}


@router.get("/azure/account/{account_id}/scans/{scan_id}")
def read_scan(
    session: SessionDep, actor: ActorDep, account_id: str, scan_id: str
) -> dict[str, Any]:
    """One scan."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    return scan_json(
        inventory_service.get_scan(session, actor=actor, account=account, scan_id=scan_id)
    )


@router.get("/azure/account/{account_id}/snapshots")
def list_snapshots(session: SessionDep, actor: ActorDep, account_id: str) -> dict[str, Any]:
    """The stored snapshots, good and partial, newest first."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    snapshots = inventory_repository.list_snapshots(session, account.id)
    return {"snapshots": [snapshot_json(s) for s in snapshots]}


def _resource_json(resource: Resource) -> dict[str, Any]:
    return {
        "resourceId": resource.id,
        "name": resource.name,
        "type": resource.component,
        "armType": resource.arm_type,
        "location": resource.location,
        "resourceGroup": resource.resource_group,
    }


@router.get("/azure/account/{account_id}/diff")
def diff(
    session: SessionDep,
    actor: ActorDep,
    account_id: str,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
) -> dict[str, Any]:
    """What changed between two snapshots (default: the latest and the one before)."""
    account = account_service.get_account(session, actor=actor, account_id=account_id)
    old, new, changes = inventory_service.diff_snapshots(session, account, from_, to)
    return {
        "from": snapshot_json(old) if old else None,
        "to": snapshot_json(new),
        "counts": changes.counts(),
        "added": [_resource_json(r) for r in changes.added],
        "removed": [_resource_json(r) for r in changes.removed],
        "changed": [
            _resource_json(new_r) | {"fields": fields} for _, new_r, fields in changes.changed
        ],
    }
