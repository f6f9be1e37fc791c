"""Scans, snapshots, resources and differences as the API (and the viewer's JSON) answer them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from cloudcanvas.diagram.legend import Kind, symbol_svg
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.inventory.diff import InventoryDiff
from cloudcanvas.inventory.model import Inventory, Resource
from cloudcanvas.store.base import iso
from cloudcanvas.store.models import Scan, Snapshot
from cloudcanvas.wire import Wire


class ScanOut(Wire):
    id: str
    account_id: str
    status: str
    trigger: str
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    progress: dict[str, Any]
    counts: dict[str, Any]
    failures: list[dict[str, Any]]
    error_code: str | None
    error: str | None
    snapshot_id: str | None

    @classmethod
    def of(cls, scan: Scan) -> ScanOut:
        return cls(
            id=scan.id,
            account_id=scan.account_id,
            status=scan.status,
            trigger=scan.trigger,
            created_at=iso(scan.created_at),
            started_at=iso(scan.started_at or scan.created_at),
            finished_at=iso(scan.finished_at),
            progress=scan.progress or {},
            counts=scan.counts or {},
            failures=scan.failures or [],
            error_code=scan.error_code,
            error=scan.error_message,
            snapshot_id=scan.snapshot_id,
        )


class ScanListOut(Wire):
    scans: list[ScanOut]


class SnapshotOut(Wire):
    id: str
    scan_id: str | None
    created_at: str | None
    partial: bool
    resource_count: int
    locations: dict[str, int]
    types: dict[str, int]
    failures: list[dict[str, Any]]

    @classmethod
    def of(cls, snapshot: Snapshot) -> SnapshotOut:
        return cls(
            id=snapshot.id,
            scan_id=snapshot.scan_id,
            created_at=iso(snapshot.created_at),
            partial=snapshot.partial,
            resource_count=snapshot.resource_count,
            locations=snapshot.location_index or {},
            types=snapshot.type_counts or {},
            failures=snapshot.failures or [],
        )


class SnapshotListOut(Wire):
    snapshots: list[SnapshotOut]


class ResourceOut(Wire):
    """A resource in brief: what a difference lists."""

    resource_id: str
    name: str
    type: str
    arm_type: str
    location: str
    resource_group: str

    @classmethod
    def brief(cls, resource: Resource) -> dict[str, Any]:
        return {
            "resource_id": resource.id,
            "name": resource.name,
            "type": resource.component,
            "arm_type": resource.arm_type,
            "location": resource.location,
            "resource_group": resource.resource_group,
        }

    @classmethod
    def of(cls, resource: Resource) -> ResourceOut:
        return cls(**cls.brief(resource))


class ChangedResourceOut(ResourceOut):
    fields: list[str]


class ConnectionOut(Wire):
    """A relation seen from one resource: its kind, its direction and the resource at the other
    end (``known`` is false when that end is not in the inventory)."""

    kind: str
    direction: Literal["in", "out"]
    key: str
    name: str
    type: str
    known: bool

    @classmethod
    def of_resource(cls, inventory: Inventory, key: str) -> list[ConnectionOut]:
        """The resource's connections, by kind, then name, then key."""
        out: list[ConnectionOut] = []
        for relation in inventory.relations_of(key):
            outgoing = relation.source == key
            other_key = relation.target if outgoing else relation.source
            other = inventory.resources.get(other_key)
            out.append(
                cls(
                    kind=relation.kind,
                    direction="out" if outgoing else "in",
                    key=other_key,
                    name=other.name if other else other_key.rsplit("/", 1)[-1],
                    type=other.component if other else "",
                    known=other is not None,
                )
            )
        out.sort(key=lambda c: (c.kind, c.name.lower(), c.key))
        return out


class ResourceDetailOut(ResourceOut):
    """A resource in full, with its connections: the viewer's details panel as JSON."""

    key: str
    subscription_id: str
    kind: str | None
    sku: str | None
    tags: dict[str, str]
    properties: dict[str, str]
    ip_addresses: list[str]
    connections: list[ConnectionOut]

    @classmethod
    def of_detail(cls, resource: Resource, connections: list[ConnectionOut]) -> ResourceDetailOut:
        return cls(
            **cls.brief(resource),
            key=resource.key,
            subscription_id=resource.subscription_id,
            kind=resource.kind,
            sku=resource.sku,
            tags=dict(resource.tags),
            properties=dict(resource.properties),
            ip_addresses=list(resource.ip_addresses),
            connections=connections,
        )


class DiffCountsOut(Wire):
    added: int
    removed: int
    changed: int


class DiffOut(Wire):
    from_: SnapshotOut | None = Field(alias="from")
    to: SnapshotOut
    counts: DiffCountsOut
    added: list[ResourceOut]
    removed: list[ResourceOut]
    changed: list[ChangedResourceOut]

    @classmethod
    def of(cls, old: Snapshot | None, new: Snapshot, changes: InventoryDiff) -> DiffOut:
        return cls(
            from_=SnapshotOut.of(old) if old else None,
            to=SnapshotOut.of(new),
            counts=DiffCountsOut(**changes.counts()),
            added=[ResourceOut.of(r) for r in changes.added],
            removed=[ResourceOut.of(r) for r in changes.removed],
            changed=[
                ChangedResourceOut(**ResourceOut.brief(r), fields=f) for _, r, f in changes.changed
            ],
        )


class StillProcessingOut(Wire):
    """A diagram asked for while its scan still runs (202): call again to get it."""

    code: Literal["STILL_PROCESSING"] = "STILL_PROCESSING"
    message: str = "The scan is still running; call again to get the diagram."
    retry: bool = True
    scan_id: str


class LegendEntryOut(Wire):
    """One kind of resource a viewer's view draws: its type, name, count and symbol as drawn."""

    type: str  # the component id, "azuresubnet"
    family: str
    name: str  # in the user's words, "Subnet": text, never markup
    count: int
    drawn_as: Literal["block", "area"]  # an area: drawn around its resources (a VNet grouped on)
    symbol: str  # a standalone <svg> made by diagram/legend.py from its own tables

    @classmethod
    def of_kind(cls, kind: Kind, opts: RenderOptions, index: int) -> LegendEntryOut:
        return cls(
            type=kind.component,
            family=kind.family,
            name=kind.name,
            count=kind.count,
            drawn_as="area" if kind.area else "block",
            symbol=symbol_svg(kind, opts, f"cc-legend-{index}"),
        )


class LegendOut(Wire):
    """The viewer's legend of a view (``legend.json``): blocks first, then areas."""

    projection: str
    theme: str
    total: int
    entries: list[LegendEntryOut]

    @classmethod
    def of_kinds(cls, kinds: list[Kind], opts: RenderOptions) -> LegendOut:
        return cls(
            projection=opts.projection,
            theme=opts.theme,
            total=sum(kind.count for kind in kinds),
            entries=[LegendEntryOut.of_kind(kind, opts, i) for i, kind in enumerate(kinds)],
        )
