"""Blueprint use cases: list, create, read, update (ETag-guarded), delete, the document for export."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.blueprint import repository, versions
from cloudcanvas.blueprint.document import live_account_id
from cloudcanvas.blueprint.schemas import BlueprintWrite, etag, name_of
from cloudcanvas.errors import BadRequest, PreconditionFailed
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity.policy import Action, Actor, authorize, can_see
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import Blueprint, BlueprintVersion


def _teams(session: Session, actor: Actor, field: str, entries: list[str]) -> list[str]:
    cleaned = set()
    for entry in entries:
        kind, _, team_id = entry.partition("/")
        team = identity_repository.get_team(session, team_id) if kind == "team" else None
        if team is None or team.organization_id != actor.organization_id:
            raise BadRequest(
                f"{field}: {entry!r} is not a team of this organization; write team/<TEAM_ID>.",
                detail={"path": field},
            )
        cleaned.add(f"team/{team.id}")
    return sorted(cleaned)


def list_blueprints(session: Session, *, actor: Actor) -> list[Blueprint]:
    """The blueprints the actor can see."""
    found = repository.list_for_organization(session, actor.organization_id)
    return [b for b in found if can_see(actor, b)]


def get_blueprint(
    session: Session, *, actor: Actor, blueprint_id: str, action: Action = Action.VIEW_BLUEPRINT
) -> Blueprint:
    """The blueprint if the actor may do ``action`` on it (404 when it cannot see it)."""
    blueprint = repository.get_blueprint(session, blueprint_id)
    if blueprint is None or blueprint.organization_id != actor.organization_id:
        authorize(actor, action, None)
    authorize(actor, action, blueprint)
    assert blueprint is not None
    return blueprint


def blueprint_document(session: Session, *, actor: Actor, blueprint_id: str) -> dict[str, Any]:
    """The blueprint's document (``data``) for a reader: what exports and budgets are made from.
    Nodes that came from a scan carry ``resourceId``; ``liveAccount.id`` names the account."""
    return get_blueprint(session, actor=actor, blueprint_id=blueprint_id).data


def create_blueprint(session: Session, *, actor: Actor, write: BlueprintWrite) -> Blueprint:
    authorize(actor, Action.CREATE_BLUEPRINT)
    now = utcnow()
    blueprint = Blueprint(
        organization_id=actor.organization_id,
        creator_id=actor.user_id,
        last_user_id=actor.user_id,
        name=name_of(write),
        tags=write.tags or [],
        readers=_teams(session, actor, "readAccess", write.readers or []),
        writers=_teams(session, actor, "writeAccess", write.writers or []),
        data=write.data,
        live_account_id=live_account_id(write.data),
        revision=1,
        created_at=now,
        updated_at=now,
    )
    session.add(blueprint)
    session.flush()
    versions.record(session, blueprint, user_id=actor.user_id, reason="create")
    return blueprint


def update_blueprint(
    session: Session,
    *,
    actor: Actor,
    blueprint_id: str,
    write: BlueprintWrite,
    if_match: str | None = None,
    reason: str = "put",
) -> Blueprint:
    """Replace the document; ``If-Match`` (an ETag of ours, or ``*``) refuses a stale overwrite.
    Changing the access lists is sharing: the creator or an admin only. An API PUT (``put``) is
    always a new version; the editor's saves (``edit``) are one version per 5 minutes."""
    blueprint = get_blueprint(
        session, actor=actor, blueprint_id=blueprint_id, action=Action.EDIT_BLUEPRINT
    )
    if if_match is not None and if_match.strip().removeprefix("W/") not in (etag(blueprint), "*"):
        raise PreconditionFailed(
            "The blueprint changed since you loaded it; reload it and apply your change again.",
        )
    access_changes = _access_changes(session, actor, blueprint, write)
    if access_changes:
        authorize(actor, Action.SHARE_BLUEPRINT, blueprint)
        for field, value in access_changes.items():
            setattr(blueprint, field, value)
    blueprint.name = name_of(write) if (write.name or write.data.get("name")) else blueprint.name
    if write.tags is not None:
        blueprint.tags = write.tags
    _replace_document(blueprint, write.data, user_id=actor.user_id)
    session.flush()
    versions.record(session, blueprint, user_id=actor.user_id, reason=reason)
    return blueprint


def _replace_document(blueprint: Blueprint, data: dict[str, Any], *, user_id: str | None) -> None:
    blueprint.data = data
    blueprint.live_account_id = live_account_id(data)
    blueprint.revision += 1
    blueprint.last_user_id = user_id
    blueprint.updated_at = utcnow()


def _access_changes(
    session: Session, actor: Actor, blueprint: Blueprint, write: BlueprintWrite
) -> dict[str, list[str]]:
    changes = {}
    for field, key, value in (
        ("readers", "readAccess", write.readers),
        ("writers", "writeAccess", write.writers),
    ):
        if value is None:
            continue
        cleaned = _teams(session, actor, key, value)
        if cleaned != sorted(getattr(blueprint, field)):
            changes[field] = cleaned
    return changes


def delete_blueprint(session: Session, *, actor: Actor, blueprint_id: str) -> None:
    blueprint = get_blueprint(
        session, actor=actor, blueprint_id=blueprint_id, action=Action.DELETE_BLUEPRINT
    )
    session.delete(blueprint)
    session.flush()


def list_versions(session: Session, *, actor: Actor, blueprint_id: str) -> list[BlueprintVersion]:
    blueprint = get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    return list(versions.list_versions(session, blueprint))


def get_version(
    session: Session, *, actor: Actor, blueprint_id: str, version_id: str
) -> BlueprintVersion:
    """One version, read-only."""
    blueprint = get_blueprint(session, actor=actor, blueprint_id=blueprint_id)
    return versions.get_version(session, blueprint, version_id)


def restore_version(
    session: Session, *, actor: Actor, blueprint_id: str, version_id: str
) -> Blueprint:
    """Make a version the current state again (itself a new version: nothing is lost)."""
    blueprint = get_blueprint(
        session, actor=actor, blueprint_id=blueprint_id, action=Action.EDIT_BLUEPRINT
    )
    version = versions.get_version(session, blueprint, version_id)
    blueprint.name = version.name or blueprint.name
    _replace_document(blueprint, dict(version.data), user_id=actor.user_id)
    session.flush()
    versions.record(session, blueprint, user_id=actor.user_id, reason="restore")
    return blueprint


def save_version_as(
    session: Session, *, actor: Actor, blueprint_id: str, version_id: str, name: str | None = None
) -> Blueprint:
    """A new blueprint (the actor's) from a version."""
    version = get_version(session, actor=actor, blueprint_id=blueprint_id, version_id=version_id)
    copy = BlueprintWrite(data=dict(version.data), name=name or f"{version.name} (copy)")
    return create_blueprint(session, actor=actor, write=copy)
