"""The Blueprints page and "Save as blueprint" over HTTP on the real app and database: list,
rename, duplicate, delete, share settings, versions, CSRF, and what viewers may not do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.blueprint import live, service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import Blueprint, BlueprintShare, BlueprintVersion
from tests.api.test_blueprints import document
from tests.blueprint.test_live import _snapshot
from tests.factories import PASSWORD, actor, connect_account, make_org, make_team, make_user
from tests.inventory.topology import topology_rows
from tests.web.test_login_security import login, web_client


@pytest.fixture
def web_db(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


def _user(db: Database, role: str = "owner") -> tuple[str, str]:
    with db.session() as session:
        user = make_user(session, make_org(session), role=role)
        return user.email, user.id


def _blueprint(db: Database, email: str, **changes) -> str:
    with db.session() as session:
        from cloudcanvas.identity import repository

        user = repository.get_user_by_email(session, email)
        made = service.create_blueprint(
            session, actor=actor(session, user), write=BlueprintWrite(data=document(**changes))
        )
        return made.id


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _logged_in(db: Database, tmp_path: Path, email: str) -> TestClient:
    client = web_client(db, tmp_path)
    client.__enter__()
    assert login(client, email, PASSWORD).status_code == 303
    return client


def test_list_rename_duplicate_delete(web_db, tmp_path):
    email, user_id = _user(web_db)
    bp = _blueprint(web_db, email, name="Shop <b>")
    client = _logged_in(web_db, tmp_path, email)
    try:
        page = client.get("/blueprints")
        assert page.status_code == 200
        assert "Shop &lt;b&gt;" in page.text and f'href="/blueprints/{bp}"' in page.text
        assert email in page.text  # the last editor
        assert 'href="/blueprints">Blueprints</a>' in page.text  # the nav link
        assert "<script>" not in page.text  # scripts come from /static only
        token = _csrf(page.text)
        refused = client.post(f"/blueprints/{bp}/rename", data={"name": "X", "csrf_token": "bad"})
        assert refused.status_code == 403
        empty = client.post(f"/blueprints/{bp}/rename", data={"name": " ", "csrf_token": token})
        assert empty.status_code == 400 and "Name the blueprint" in empty.text
        renamed = client.post(
            f"/blueprints/{bp}/rename", data={"name": "Shop 2", "csrf_token": token}
        )
        assert renamed.status_code == 303 and renamed.headers["location"] == "/blueprints"
        assert "Renamed to" in client.get("/blueprints").text
        with web_db.session() as session:
            assert session.get(Blueprint, bp).name == "Shop 2"
        copied = client.post(f"/blueprints/{bp}/duplicate", data={"csrf_token": token})
        assert copied.status_code == 303
        with web_db.session() as session:
            names = sorted(b.name for b in session.query(Blueprint).filter_by(creator_id=user_id))
            assert names == ["Shop 2", "Shop 2 (copy)"]
        deleted = client.post(f"/blueprints/{bp}/delete", data={"csrf_token": token})
        assert deleted.status_code == 303
        with web_db.session() as session:
            mine = session.query(Blueprint).filter_by(creator_id=user_id)
            assert [b.name for b in mine] == ["Shop 2 (copy)"]
        assert client.get(f"/blueprints/{bp}/versions").status_code == 404
    finally:
        client.__exit__(None, None, None)


def test_share_settings_and_versions(web_db, tmp_path):
    email, user_id = _user(web_db)
    bp = _blueprint(web_db, email)
    client = _logged_in(web_db, tmp_path, email)
    try:
        page = client.get(f"/blueprints/{bp}/share")
        assert page.status_code == 200 and "not shared by link" in page.text
        token = _csrf(page.text)
        assert client.post(f"/blueprints/{bp}/share", data={"csrf_token": token}).status_code == 303
        settings = client.get(f"/blueprints/{bp}/share").text
        link = re.search(r'id="share-link" class="bp-link" value="([^"]+)"', settings).group(1)
        path = "/share/" + link.split("/share/", 1)[1]
        assert "Copy link" in settings and "Allow embedding" in settings
        client.post(f"/blueprints/{bp}/share", data={"csrf_token": token, "embeddable": "on"})
        with web_db.session() as session:
            assert session.query(BlueprintShare).filter_by(blueprint_id=bp).one().embeddable
        client.post(f"/blueprints/{bp}/share/rotate", data={"csrf_token": token})
        assert client.get(path).status_code == 404
        client.post(f"/blueprints/{bp}/share/revoke", data={"csrf_token": token})
        with web_db.session() as session:
            assert session.query(BlueprintShare).filter_by(blueprint_id=bp).count() == 0
        audit = client.get("/audit")  # the share changes are in the audit log, keys are not
        assert audit.status_code == 200 and "share_rotate" in audit.text
        assert path.rsplit("/", 1)[1] not in audit.text
        # Versions: a rename made a second one; open the first read-only, restore it, copy it.
        client.post(f"/blueprints/{bp}/rename", data={"name": "Renamed", "csrf_token": token})
        listing = client.get(f"/blueprints/{bp}/versions")
        assert listing.status_code == 200
        with web_db.session() as session:
            first = (
                session.query(BlueprintVersion).filter_by(blueprint_id=bp, reason="create").one().id
            )
        assert f"/blueprints/{bp}/versions/{first}" in listing.text
        opened = client.get(f"/blueprints/{bp}/versions/{first}")
        assert opened.status_code == 200 and "<svg" in opened.text
        assert "Hello &lt;script&gt;" in opened.text  # the free text, escaped
        restored = client.post(
            f"/blueprints/{bp}/versions/{first}/restore", data={"csrf_token": token}
        )
        assert restored.status_code == 303
        copied = client.post(f"/blueprints/{bp}/versions/{first}/copy", data={"csrf_token": token})
        assert copied.status_code == 303
        with web_db.session() as session:
            assert session.get(Blueprint, bp).name == "Shop"
            assert session.query(Blueprint).filter_by(creator_id=user_id).count() == 2
        assert client.get(f"/blueprints/{bp}/versions/nope").status_code == 404
    finally:
        client.__exit__(None, None, None)


def test_a_viewer_reads_but_never_changes(web_db, tmp_path):
    with web_db.session() as session:
        org = make_org(session)
        owner = make_user(session, org, role="owner")
        viewer = make_user(session, org, role="viewer")
        team = make_team(session, org, viewer)
        write = BlueprintWrite(data=document(), readers=[f"team/{team.id}"])
        bp = service.create_blueprint(session, actor=actor(session, owner), write=write).id
        viewer_email = viewer.email
    client = _logged_in(web_db, tmp_path, viewer_email)
    try:
        page = client.get("/blueprints")
        assert page.status_code == 200 and "Shop" in page.text
        assert f"/blueprints/{bp}/rename" not in page.text and "Duplicate" not in page.text
        token = _csrf(page.text)
        for action in ("rename", "duplicate", "delete", "share", "share/rotate"):
            answer = client.post(
                f"/blueprints/{bp}/{action}", data={"csrf_token": token, "name": "x"}
            )
            assert answer.status_code == 403, action
        assert client.get(f"/blueprints/{bp}/share").status_code == 403
    finally:
        client.__exit__(None, None, None)


def test_save_a_view_as_a_live_blueprint(web_db, tmp_path, azure_settings):
    with web_db.session() as session:
        owner = make_user(session, make_org(session), role="owner")
        account = connect_account(session, azure_settings, owner)
        _snapshot(session, account, topology_rows())
        email, account_id = owner.email, account.id
    client = _logged_in(web_db, tmp_path, email)
    try:
        viewer = client.get(f"/azure/accounts/{account_id}/diagram?theme=dark")
        assert 'id="cc-save-blueprint"' in viewer.text
        token = _csrf(viewer.text)
        form = {
            "csrf_token": token,
            "location": "eastus",
            "groupBy": "resourcegroup",
            "filter": "type=azurevm",
            "theme": "dark",
            "projection": "2d",
        }
        saved = client.post(f"/azure/accounts/{account_id}/blueprint", data=form)
        assert saved.status_code == 303
        bp_id = saved.headers["location"].removeprefix("/blueprints/")
        bad = client.post(
            f"/azure/accounts/{account_id}/blueprint", data=form | {"filter": "type=("}
        )
        assert bad.status_code == 400
        with web_db.session() as session:
            bp = session.get(Blueprint, bp_id)
            data = bp.data
            assert data["liveAccount"] == {"id": account_id, "type": "azure"}
            assert data["liveOptions"]["updatesEnabled"] is True
            assert data["theme"] == {"base": "dark"} and data["projection"] == "2d"
            assert data["groupBy"] == ["resourcegroup"] and data["filter"] == "type=azurevm"
            types = {n["type"] for n in data["nodes"]}
            assert types == {"azurevm"} and {n["region"] for n in data["nodes"]} == {"eastus"}
            assert bp.live_account_id == account_id
            # A live refresh keeps to the view's filter and location.
            live.refresh_live_blueprints(session, account_id=account_id)
            assert {n["type"] for n in session.get(Blueprint, bp_id).data["nodes"]} == types
        assert "live" in client.get("/blueprints").text
    finally:
        client.__exit__(None, None, None)
