"""The viewer's drawings of a snapshot, and the first of them prepared when a scan stores it.

The viewer asks for ``diagram.svg?tiles=1`` (the whole drawing, with summary tiles over it) or,
from ``TILED_FROM`` resources, ``tiles=1&level=overview`` (a tile in place of each group's
resources; their resources are fetched by group, ``groups=``, as the view zooms in). On a
100,000-resource estate that first drawing takes about 4 s to make (decode the snapshot, build the
graph, lay it out, draw), far above the 3 s a first paint may take; the scan job makes it once,
right after it stores the snapshot, and the viewer serves it from the database
(``prepared_drawings``) to every server process, cold or not.

A prepared drawing is found by its view key: the view (location and render options) and a digest
of the code that draws (``diagram/``, the graph builder and this module), so a new release never
serves a drawing its own code would not make.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from cloudcanvas import diagram
from cloudcanvas.diagram import Layout, RenderOptions, layout, overview
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.diagram.svg import render_svg
from cloudcanvas.inventory import graph as inventory_graph
from cloudcanvas.inventory import repository
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.store.models import Snapshot

TILED_FROM = 20_000  # from this many resources the viewer starts at the overview level


def first_query(resource_count: int) -> dict[str, str]:
    """The query of the viewer's first drawing of a snapshot of that size, with default controls."""
    if resource_count >= TILED_FROM:
        return {"tiles": "1", "level": "overview"}
    return {"tiles": "1"}


def is_quick(opts: RenderOptions, groups: Collection[str]) -> bool:
    """The overview alone: drawn from a layout without routed edges (the same places, faster)."""
    return not groups and opts.level == "overview"


def layout_options(opts: RenderOptions, groups: Collection[str]) -> RenderOptions:
    """The options the drawing's layout is made with."""
    return replace(opts, autoconnect=False) if is_quick(opts, groups) else opts


def draw(lay: Layout, opts: RenderOptions, groups: Collection[str]) -> bytes:
    """One of the viewer's drawings of ``lay``: the resources of ``groups`` alone, the overview
    (``level=overview``) or the whole drawing with the tiles over it."""
    if groups:
        return overview.render_groups_svg(lay, opts, groups).encode()
    if is_quick(opts, groups):
        return overview.render_overview_svg(lay, opts, lean=True).encode()
    return overview.add_tiles(render_svg(lay, opts), lay, opts, lean=True).encode()


@cache
def _code_digest() -> str:
    sources = sorted(Path(diagram.__file__).parent.rglob("*.py"))
    sources += [Path(inventory_graph.__file__), Path(__file__)]  # the graph, and ``draw`` here
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def view_key(location: str | None, opts: RenderOptions) -> str:
    """The name of a drawing of one snapshot: the view and the code that draws it."""
    text = f"{_code_digest()}|{location or ''}|{opts!r}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A drawing made for a snapshot before it is stored: its view key and compressed SVG."""

    view_key: str
    data: bytes

    def svg(self) -> bytes:
        return zlib.decompress(self.data)


def prepare(inventory: Inventory) -> Prepared:
    """The viewer's first drawing of a snapshot of ``inventory``, made by the scan job before it
    stores the snapshot (``keep`` stores it with the snapshot)."""
    opts = options_from_query(first_query(len(inventory)))
    lay = layout(inventory_graph.to_graph(inventory, None), layout_options(opts, ()))
    return Prepared(view_key(None, opts), zlib.compress(draw(lay, opts, ()), 6))


def keep(session: Session, snapshot_id: str, drawing: Prepared) -> None:
    """Store a prepared drawing of that snapshot; the caller commits."""
    repository.put_prepared_drawing(session, snapshot_id, drawing.view_key, drawing.data)


def prepared(
    session: Session, snapshot: Snapshot, location: str | None, opts: RenderOptions
) -> bytes | None:
    """The drawing prepared for this snapshot and view, or None."""
    found = repository.get_prepared_drawing(session, snapshot.id, view_key(location, opts))
    return zlib.decompress(found) if found is not None else None
