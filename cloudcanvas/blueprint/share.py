"""Share links: a blueprint opened read-only by anyone holding ``/share/<id>/<key>``, no login.

The id and the key are each 128 bits from ``secrets``; the key is compared in constant time.
Rotating the key ("invalidate existing links") and revoking take effect at the next request: the
link is looked up on every request, never cached. Embedding in another site's frame is a separate
opt-in, off by default. Only those who may share the blueprint (its creator, owners and
administrators; never viewers or read-only keys) see or change the link; each change is audited.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudcanvas.blueprint import service
from cloudcanvas.errors import NotFound
from cloudcanvas.identity.audit import add_event
from cloudcanvas.identity.policy import Action, Actor
from cloudcanvas.store.base import iso, utcnow
from cloudcanvas.store.models import Blueprint, BlueprintShare
from cloudcanvas.wire import Wire

NOT_SHARED = "This link does not open a blueprint: it was revoked, replaced, or never existed."


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 bits


def share_path(share: BlueprintShare) -> str:
    return f"/share/{share.id}/{share.key}"


class ShareOut(Wire):
    """A blueprint's share link as the API answers it; only ``enabled`` and ``embeddable`` when
    the blueprint is not shared."""

    enabled: bool
    embeddable: bool
    share_id: str | None = None
    key: str | None = None
    url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @classmethod
    def of(cls, share: BlueprintShare | None) -> ShareOut:
        if share is None:
            return cls(enabled=False, embeddable=False)
        return cls(
            enabled=True,
            embeddable=share.embeddable,
            share_id=share.id,
            key=share.key,
            url=share_path(share),
            created_at=iso(share.created_at),
            updated_at=iso(share.updated_at),
        )


def _share_of(session: Session, blueprint_id: str) -> BlueprintShare | None:
    query = select(BlueprintShare).where(BlueprintShare.blueprint_id == blueprint_id)
    return session.scalars(query).first()


def _audit(
    session: Session, actor: Actor, blueprint: Blueprint, action: str, changes: dict[str, bool]
) -> None:
    """The key itself is never recorded: the log says that a link changed, not what it is."""
    add_event(
        session,
        organization_id=blueprint.organization_id,
        actor=actor,
        action=action,
        target=("blueprint", blueprint.id, blueprint.name),
        changes=changes,
    )


def _sharable(session: Session, actor: Actor, blueprint_id: str) -> Blueprint:
    return service.get_blueprint(
        session, actor=actor, blueprint_id=blueprint_id, action=Action.SHARE_BLUEPRINT
    )


def get_share(
    session: Session, *, actor: Actor, blueprint_id: str
) -> tuple[Blueprint, BlueprintShare | None]:
    """The blueprint and its link (``None``: not shared). The link is a secret: sharers only."""
    blueprint = _sharable(session, actor, blueprint_id)
    return blueprint, _share_of(session, blueprint.id)


def enable_share(
    session: Session, *, actor: Actor, blueprint_id: str, embeddable: bool | None = None
) -> BlueprintShare:
    """Share by link (the link already made stays the same), and set the embed opt-in if given."""
    blueprint = _sharable(session, actor, blueprint_id)
    share = _share_of(session, blueprint.id)
    if share is None:
        now = utcnow()
        share = BlueprintShare(
            id=_new_token(),
            blueprint_id=blueprint.id,
            key=_new_token(),
            embeddable=bool(embeddable),
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        session.add(share)
        _audit(
            session,
            actor,
            blueprint,
            "share_link",
            {"shared": True, "embeddable": bool(embeddable)},
        )
    elif embeddable is not None and embeddable != share.embeddable:
        share.embeddable = embeddable
        share.updated_at = utcnow()
        _audit(session, actor, blueprint, "share_embed", {"embeddable": embeddable})
    session.flush()
    return share


def rotate_key(session: Session, *, actor: Actor, blueprint_id: str) -> BlueprintShare:
    """A new key: every link given out so far answers 404 from now on."""
    blueprint = _sharable(session, actor, blueprint_id)
    share = _share_of(session, blueprint.id)
    if share is None:
        raise NotFound(
            "This blueprint is not shared by link; enable sharing first.", code="not_shared"
        )
    share.key = _new_token()
    share.updated_at = utcnow()
    _audit(session, actor, blueprint, "share_rotate", {"linkReplaced": True})
    session.flush()
    return share


def revoke_share(session: Session, *, actor: Actor, blueprint_id: str) -> None:
    """Stop sharing by link; sharing again later makes a new link."""
    blueprint = _sharable(session, actor, blueprint_id)
    share = _share_of(session, blueprint.id)
    if share is not None:
        session.delete(share)
        _audit(session, actor, blueprint, "share_revoke", {"shared": False})
        session.flush()


def open_shared(session: Session, *, share_id: str, key: str) -> tuple[Blueprint, BlueprintShare]:
    """The blueprint a link opens. An unknown id, a wrong key and a revoked link are the same
    404, so that a guess learns nothing."""
    share = session.get(BlueprintShare, share_id) if len(share_id) <= 64 else None
    expected = share.key if share is not None else _new_token()
    if not hmac.compare_digest(key.encode(), expected.encode()) or share is None:
        raise NotFound(NOT_SHARED, code="not_found")
    blueprint = session.get(Blueprint, share.blueprint_id)
    if blueprint is None:  # pragma: no cover - the share row goes with its blueprint
        raise NotFound(NOT_SHARED, code="not_found")
    return blueprint, share
