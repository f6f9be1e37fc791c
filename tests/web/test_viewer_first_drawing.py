"""The viewer's first drawing is made by the scan that stores the snapshot, and served as is.

On the real app, database and simulated Azure, over HTTP (no browser): what the viewer draws
with no drawing prepared is what the scan prepared, byte for byte; the viewer serves the prepared
one (not a fresh layout) for that view only; the prepared drawing goes with its snapshot.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from cloudcanvas.config import Settings
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.inventory import first_drawing
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, PreparedDrawing, Snapshot
from tests.web.conftest import scanned_account, signed_in

FIRST = {"tiles": "1"}  # what the viewer asks for first, below first_drawing.TILED_FROM


@dataclass
class Viewer:
    client: TestClient
    db: Database
    settings: Settings
    email: str
    account_id: str
    snapshot_id: str

    def first(self, **more: str) -> bytes:
        url = f"/azure/accounts/{self.account_id}/diagram.svg"
        answer = self.client.get(url, params={**FIRST, **more})
        assert answer.status_code == 200, answer.text
        return bytes(answer.content)

    def prepared(self) -> list[PreparedDrawing]:
        with self.db.session() as session:
            query = select(PreparedDrawing).where(PreparedDrawing.snapshot_id == self.snapshot_id)
            found = list(session.scalars(query))
            session.expunge_all()
            return found


@pytest.fixture
def viewer(web_settings: Settings, web_db: Database) -> Iterator[Viewer]:
    email, account_id = scanned_account(web_settings, web_db)
    with web_db.session() as session:
        snapshot_id = session.scalars(
            select(Snapshot.id).where(Snapshot.account_id == account_id)
        ).one()
    with signed_in(web_settings, web_db, email) as client:
        yield Viewer(client, web_db, web_settings, email, account_id, snapshot_id)


def test_the_scan_prepares_what_the_viewer_would_draw(viewer: Viewer) -> None:
    [prepared] = viewer.prepared()
    opts = options_from_query(FIRST)
    assert prepared.view_key == first_drawing.view_key(None, opts)
    served = viewer.first()
    assert served == zlib.decompress(prepared.data)
    with viewer.db.session() as session:
        session.execute(delete(PreparedDrawing))
    # Drawn afresh by a server that has nothing cached: the same bytes.
    with signed_in(viewer.settings, viewer.db, viewer.email) as fresh:
        viewer.client = fresh
        assert viewer.first() == served


def test_the_viewer_serves_the_prepared_drawing_for_its_view_only(viewer: Viewer) -> None:
    [prepared] = viewer.prepared()
    marked = zlib.decompress(prepared.data).replace(b"</svg>", b"<!-- prepared --></svg>")
    with viewer.db.session() as session:
        row = session.get(PreparedDrawing, (viewer.snapshot_id, prepared.view_key))
        assert row is not None
        row.data = zlib.compress(marked)
    assert viewer.first() == marked
    assert b"<!-- prepared -->" not in viewer.first(projection="2d")
    assert b"<!-- prepared -->" not in viewer.first(filter="type:vm")


def test_a_view_key_names_the_view() -> None:
    opts = options_from_query(FIRST)
    keys = {
        first_drawing.view_key(None, opts),
        first_drawing.view_key("westeurope", opts),
        first_drawing.view_key(None, options_from_query({**FIRST, "theme": "dark"})),
        first_drawing.view_key(None, options_from_query({"tiles": "1", "level": "overview"})),
    }
    assert len(keys) == 4
    assert first_drawing.view_key(None, opts) == first_drawing.view_key(None, opts)
    assert first_drawing.first_query(first_drawing.TILED_FROM - 1) == FIRST
    assert first_drawing.first_query(first_drawing.TILED_FROM)["level"] == "overview"


def test_the_prepared_drawing_goes_with_its_account(viewer: Viewer) -> None:
    assert viewer.prepared()
    with viewer.db.session() as session:
        session.execute(delete(AzureAccount).where(AzureAccount.id == viewer.account_id))
    with viewer.db.session() as session:
        left = session.scalar(
            select(func.count())
            .select_from(PreparedDrawing)
            .where(PreparedDrawing.snapshot_id == viewer.snapshot_id)
        )
    assert left == 0
