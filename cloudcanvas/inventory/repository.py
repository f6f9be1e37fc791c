"""Every scan and snapshot query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from cloudcanvas.store.models import PreparedDrawing, Scan, Snapshot


def get_scan(session: Session, scan_id: str) -> Scan | None:
    return session.get(Scan, scan_id)


def active_scan(session: Session, account_id: str) -> Scan | None:
    query = select(Scan).where(Scan.account_id == account_id, Scan.active.is_(True))
    return session.scalar(query)


def list_scans(session: Session, account_id: str, limit: int = 20) -> Sequence[Scan]:
    query = (
        select(Scan)
        .where(Scan.account_id == account_id)
        .order_by(Scan.created_at.desc(), Scan.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def list_stale_scans(session: Session, heartbeat_before: datetime) -> Sequence[Scan]:
    query = select(Scan).where(
        Scan.active.is_(True),
        Scan.status == "running",
        Scan.heartbeat_at < heartbeat_before,
    )
    return session.scalars(query).all()


def list_queued_scans(session: Session, created_before: datetime) -> Sequence[Scan]:
    query = select(Scan).where(
        Scan.active.is_(True), Scan.status == "queued", Scan.created_at < created_before
    )
    return session.scalars(query).all()


def latest_snapshot(
    session: Session, account_id: str, *, good_only: bool = True, with_data: bool = True
) -> Snapshot | None:
    query = select(Snapshot).where(Snapshot.account_id == account_id)
    if good_only:
        query = query.where(Snapshot.partial.is_(False))
    if not with_data:
        query = query.options(defer(Snapshot.data))
    query = query.order_by(Snapshot.created_at.desc(), Snapshot.id).limit(1)
    return session.scalar(query)


def get_snapshot(session: Session, account_id: str, snapshot_id: str) -> Snapshot | None:
    snapshot = session.get(Snapshot, snapshot_id)
    return snapshot if snapshot is not None and snapshot.account_id == account_id else None


def list_snapshots(session: Session, account_id: str, limit: int = 20) -> Sequence[Snapshot]:
    query = (
        select(Snapshot)
        .options(defer(Snapshot.data))
        .where(Snapshot.account_id == account_id)
        .order_by(Snapshot.created_at.desc(), Snapshot.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def get_prepared_drawing(session: Session, snapshot_id: str, view_key: str) -> bytes | None:
    """The compressed drawing prepared for that snapshot and view, if any."""
    prepared = session.get(PreparedDrawing, (snapshot_id, view_key))
    return prepared.data if prepared is not None else None


def put_prepared_drawing(session: Session, snapshot_id: str, view_key: str, data: bytes) -> None:
    """Keep a compressed drawing of a snapshot (replacing one prepared for the same view)."""
    session.merge(PreparedDrawing(snapshot_id=snapshot_id, view_key=view_key, data=data))
