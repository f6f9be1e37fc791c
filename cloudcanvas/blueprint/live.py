"""Live blueprints follow their account: after each scan, every blueprint whose
``liveAccount`` is the account (and ``liveOptions.updatesEnabled`` is not false) is merged with
the new snapshot's document."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy.orm import Session

from cloudcanvas.blueprint import repository, service, versions
from cloudcanvas.blueprint.merge import merge_scan
from cloudcanvas.blueprint.schemas import MAX_NAME, BlueprintWrite
from cloudcanvas.diagram import GROUP_PRESETS, RenderOptions
from cloudcanvas.identity.policy import Actor
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.inventory.errors import SnapshotNotFound
from cloudcanvas.inventory.rendering import render_snapshot
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import AzureAccount, Blueprint, Snapshot

log = logging.getLogger(__name__)


def _options(data: dict[str, Any]) -> RenderOptions:
    """The layout a new resource is placed by: the blueprint's grouping, else Cloudcraft's."""
    levels = data.get("groupBy")
    # A blueprint saved from the viewer keeps the view's filter: new resources must match it.
    text = data.get("filter")
    try:
        group_by = tuple(levels) if isinstance(levels, list) else GROUP_PRESETS["infrastructure"]
        return RenderOptions(group_by=group_by, filter=text if isinstance(text, str) else None)
    except ValueError:
        return RenderOptions()


def scan_document(snapshot: Snapshot, data: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as a blueprint ``data`` laid out for this blueprint: every location, or the
    one a blueprint saved from the viewer keeps (``location``)."""
    location = data.get("location")
    where = location if isinstance(location, str) and location else None
    rendered = render_snapshot(snapshot, where, "json", _options(data))
    document: dict[str, Any] = json.loads(rendered)["data"]
    return document


def refresh_live_blueprints(session: Session, *, account_id: str) -> int:
    """Merge the account's latest snapshot into its live blueprints; the number updated."""
    account = session.get(AzureAccount, account_id)
    snapshot = inventory_service.latest_snapshot(session, account) if account else None
    if snapshot is None:
        return 0
    updated = 0
    for blueprint in repository.live_blueprints(session, account_id):
        options = blueprint.data.get("liveOptions")
        if isinstance(options, dict) and options.get("updatesEnabled") is False:
            continue
        merged = merge_scan(
            blueprint.data, scan_document(snapshot, blueprint.data), account_id=account_id
        )
        if merged != blueprint.data:
            blueprint.data = merged
            blueprint.revision += 1  # the editor's next save sees the change (412)
            blueprint.updated_at = utcnow()
            versions.record(session, blueprint, user_id=None, reason="live")
            updated += 1
    session.flush()
    return updated


def save_view(
    session: Session,
    *,
    actor: Actor,
    account: AzureAccount,
    location: str | None,
    opts: RenderOptions,
) -> Blueprint:
    """A live blueprint of a viewer's view: the latest snapshot drawn for one location (or all)
    with the view's grouping, filter, projection and theme. It keeps ``location`` and ``filter``
    so that later scans add only what the view would show."""
    snapshot = inventory_service.latest_snapshot(session, account)
    if snapshot is None:
        raise SnapshotNotFound("This account has no snapshot yet; scan it first.")
    name = f"{account.name} · {location or 'all regions'}"[:MAX_NAME]
    document: dict[str, Any] = json.loads(render_snapshot(snapshot, location, "json", opts))["data"]
    document |= {
        "name": name,
        "liveAccount": {"id": account.id, "type": "azure"},
        "liveOptions": {
            "excludedTypes": [],
            "autoLabel": True,
            "autoConnect": True,
            "updatesEnabled": True,
            "updateAllOnScan": True,
            "updateGroupsOnScan": True,
        },
        "location": location,
        "filter": opts.filter,
    }
    write = BlueprintWrite(data=document, name=name)
    return service.create_blueprint(session, actor=actor, write=write)
