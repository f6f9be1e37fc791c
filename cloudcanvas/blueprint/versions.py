"""A blueprint's versions: kept on every API PUT and after 5 minutes of edits; listed, opened
read-only, restored, or saved as a new blueprint; purged after the retention setting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from cloudcanvas.blueprint import repository
from cloudcanvas.errors import NotFound
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import Blueprint, BlueprintVersion

# Edits by one user within this window are one version (an editing session, not every drag).
EDIT_WINDOW = timedelta(minutes=5)


def record(session: Session, blueprint: Blueprint, *, user_id: str | None, reason: str) -> None:
    """Keep the blueprint's current state as a version. An ``edit`` inside the window of the
    previous edit by the same user updates that version instead of adding one."""
    now = utcnow()
    latest = repository.latest_version(session, blueprint.id)
    coalesce = (
        reason == "edit"
        and latest is not None
        and latest.reason == "edit"
        and latest.user_id == user_id
        and latest.created_at > now - EDIT_WINDOW
    )
    if coalesce:
        assert latest is not None
        latest.data, latest.name = blueprint.data, blueprint.name
        return
    version = BlueprintVersion(
        blueprint_id=blueprint.id,
        user_id=user_id,
        reason=reason,
        name=blueprint.name,
        data=blueprint.data,
        created_at=now,
    )
    session.add(version)
    session.flush()
    blueprint.current_version_id = version.id


def list_versions(session: Session, blueprint: Blueprint) -> Sequence[BlueprintVersion]:
    return repository.list_versions(session, blueprint.id)


def get_version(session: Session, blueprint: Blueprint, version_id: str) -> BlueprintVersion:
    version = repository.get_version(session, blueprint.id, version_id)
    if version is None:
        raise NotFound("No such version of this blueprint.", code="not_found")
    return version


def purge(session: Session, *, retention_days: int) -> int:
    """Delete versions older than the retention; a blueprint's current version stays."""
    return repository.purge_versions(session, utcnow() - timedelta(days=retention_days))
