"""The blueprint page and its editor's endpoints (issue 11), on the real app and database:
who sees what, the CSRF token, the viewer role, a stale ETag and a malformed document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.blueprint import repository, service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.config import Settings
from cloudcanvas.diagram.blueprint import render_document
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.store.database import Database
from tests.factories import PASSWORD, actor, make_org, make_team, make_user

DOCUMENT = {
    "grid": "standard",
    "name": "Shop <prod> & co",
    "projection": "2d",
    "nodes": [{"id": "web", "type": "vm", "mapPos": [0, 0], "name": "web <1>"}],
    "text": [{"id": "t1", "type": "isotext", "text": "<b>hi</b>", "mapPos": [4, 4]}],
    "custom": {"kept": True},
}


@pytest.fixture
def web_db(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


@pytest.fixture
def client(web_db: Database, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, secret_key="k")
    app = create_app(settings, database=web_db, schedule=False)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _people(db: Database) -> tuple[str, str, str, str]:
    """A blueprint of an owner, shared for writing with a team whose member is a viewer (who may
    still only read it); a user of another organization."""
    with db.session() as s:
        org = make_org(s)
        owner = make_user(s, org, role="owner")
        viewer = make_user(s, org, role="viewer")
        outsider = make_user(s, make_org(s), role="owner")
        team = make_team(s, org, viewer)
        write = BlueprintWrite(data=dict(DOCUMENT), writers=[f"team/{team.id}"])
        blueprint = service.create_blueprint(s, actor=actor(s, owner), write=write)
        return blueprint.id, owner.email, viewer.email, outsider.email


def _login(client: TestClient, email: str) -> None:
    client.cookies.clear()
    client.get("/login")
    token = client.cookies.get("cloudcanvas_login_csrf") or ""
    form = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert client.post("/login", data=form).status_code == 303


def _page(client: TestClient, blueprint_id: str) -> tuple[str, str, str]:
    page = client.get(f"/blueprints/{blueprint_id}")
    assert page.status_code == 200
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    etag = re.search(r'data-etag="([^"]+)"', page.text)
    assert csrf and etag
    return page.text, csrf.group(1), etag.group(1).replace("&#34;", '"')


def test_writer_gets_the_editor_and_saves_with_etag(web_db, client):
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    html, csrf, etag = _page(client, blueprint_id)
    assert 'data-edit="1"' in html and 'id="bp-save"' in html
    assert "Shop &lt;prod&gt; &amp; co" in html and "<prod>" not in html
    pan_zoom = html.index('<script src="/static/panzoom.js" defer></script>')
    assert html.index('<script src="/static/blueprint_editor.js" defer></script>') > pan_zoom
    document = client.get(f"/blueprints/{blueprint_id}/document")
    assert document.headers["ETag"] == etag
    data = document.json()["data"]
    data["nodes"][0]["mapPos"] = [6, 2]
    data["text"].append({"id": "t2", "type": "isotext", "text": "Added", "mapPos": [1, 1]})
    headers = {"X-CSRF-Token": csrf, "If-Match": etag}
    saved = client.put(f"/blueprints/{blueprint_id}/document", json={"data": data}, headers=headers)
    assert saved.status_code == 204
    assert saved.headers["ETag"] != etag
    stored = client.get(f"/blueprints/{blueprint_id}/document").json()["data"]
    assert stored["nodes"][0]["mapPos"] == [6, 2]
    assert [t["text"] for t in stored["text"]] == ["<b>hi</b>", "Added"]
    assert stored["custom"] == {"kept": True}
    # The old ETag is stale now: 412, nothing changes.
    data["nodes"][0]["mapPos"] = [9, 9]
    stale = client.put(f"/blueprints/{blueprint_id}/document", json={"data": data}, headers=headers)
    assert stale.status_code == 412
    assert "changed since you loaded it" in stale.json()["error"]
    assert client.get(f"/blueprints/{blueprint_id}/document").json()["data"]["nodes"][0][
        "mapPos"
    ] == [6, 2]


def test_drawing_is_the_export_of_the_posted_document(web_db, client):
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    _, csrf, _ = _page(client, blueprint_id)
    export = client.get(f"/blueprints/{blueprint_id}/document").json()["data"]
    drawn = client.post(
        f"/blueprints/{blueprint_id}/drawing.svg",
        json={"data": export},
        headers={"X-CSRF-Token": csrf},
    )
    assert drawn.status_code == 200
    assert drawn.headers["content-type"].startswith("image/svg+xml")
    assert drawn.content == render_document(export, "svg", RenderOptions(), name=export["name"])
    assert 'id="n0" class="resource"' in drawn.text
    assert "&lt;b&gt;hi&lt;/b&gt;" in drawn.text and "<b>" not in drawn.text
    bad = client.post(
        f"/blueprints/{blueprint_id}/drawing.svg",
        json={"data": {"nodes": [{"id": "x", "type": "vm", "mapPos": "here"}]}},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 400
    assert bad.json()["path"] == "data.nodes[0].mapPos"


def test_save_needs_the_csrf_token(web_db, client):
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    _, _, etag = _page(client, blueprint_id)
    refused = client.put(
        f"/blueprints/{blueprint_id}/document",
        json={"data": {"nodes": []}},
        headers={"If-Match": etag, "X-CSRF-Token": "forged"},
    )
    assert refused.status_code == 403
    assert client.get(f"/blueprints/{blueprint_id}/document").json()["data"]["nodes"]


def test_malformed_document_is_400_naming_the_path(web_db, client):
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    _, csrf, etag = _page(client, blueprint_id)
    headers = {"X-CSRF-Token": csrf, "If-Match": etag}
    url = f"/blueprints/{blueprint_id}/document"
    bad_text = {"text": [{"type": "isotext", "text": 5, "mapPos": [0, 0]}]}
    answer = client.put(url, json={"data": bad_text}, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["path"] == "data.text[0].text"
    assert "data.text[0].text" in answer.json()["error"]
    assert client.put(url, json=[1], headers=headers).status_code == 400
    not_json = client.put(
        url, content=b"{", headers={**headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400


def test_viewer_reads_but_cannot_save(web_db, client):
    blueprint_id, _, viewer, _ = _people(web_db)
    _login(client, viewer)
    html, csrf, etag = _page(client, blueprint_id)
    assert 'data-edit="0"' in html and "Read-only" in html
    assert 'id="bp-save"' not in html and 'id="bp-add-text"' not in html
    answer = client.put(
        f"/blueprints/{blueprint_id}/document",
        json={"data": {"nodes": []}},
        headers={"X-CSRF-Token": csrf, "If-Match": etag},
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "read_only"


def test_others_get_404_and_strangers_log_in(web_db, client):
    blueprint_id, _, _, outsider = _people(web_db)
    anonymous = client.get(f"/blueprints/{blueprint_id}")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    _login(client, outsider)
    assert client.get(f"/blueprints/{blueprint_id}").status_code == 404
    assert client.get(f"/blueprints/{blueprint_id}/document").status_code == 404
    assert client.get("/blueprints/no-such-id").status_code == 404


def test_a_large_document_saves(web_db, client):
    """Past the 1 MiB of ordinary requests: the editor's saves get the blueprint API's cap."""
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    _, csrf, etag = _page(client, blueprint_id)
    nodes = [
        {"id": f"node-{i}", "type": "vm", "name": f"vm-{i:05d}-" + "x" * 60, "mapPos": [i % 100, i]}
        for i in range(12_000)
    ]
    body = {"data": {"projection": "2d", "nodes": nodes}}
    headers = {"X-CSRF-Token": csrf, "If-Match": etag}
    saved = client.put(f"/blueprints/{blueprint_id}/document", json=body, headers=headers)
    assert saved.status_code == 204
    assert len(client.get(f"/blueprints/{blueprint_id}/document").json()["data"]["nodes"]) == 12_000


def test_downloads_are_the_exports_of_the_saved_blueprint(web_db, client):
    blueprint_id, _, viewer, _ = _people(web_db)
    _login(client, viewer)
    html, _, _ = _page(client, blueprint_id)
    assert f'href="/blueprints/{blueprint_id}/export.png"' in html
    svg = client.get(f"/blueprints/{blueprint_id}/export.svg")
    assert svg.status_code == 200
    assert svg.content == render_document(DOCUMENT, "svg", RenderOptions(), name=DOCUMENT["name"])
    assert 'filename="Shop-prod-co.svg"' in svg.headers["content-disposition"]
    png = client.get(f"/blueprints/{blueprint_id}/export.png?scale=0.5")
    assert png.content.startswith(b"\x89PNG")
    drawio = client.get(f"/blueprints/{blueprint_id}/export.mxGraph")
    assert drawio.status_code == 200 and b"mxGraphModel" in drawio.content
    assert client.get(f"/blueprints/{blueprint_id}/export.gif").status_code == 404
    assert client.get(f"/blueprints/{blueprint_id}/export.svg?scale=abc").status_code == 400


def test_editor_saves_within_five_minutes_are_one_version(web_db, client):
    blueprint_id, owner, _, _ = _people(web_db)
    _login(client, owner)
    _, csrf, etag = _page(client, blueprint_id)
    url = f"/blueprints/{blueprint_id}/document"
    for x in (1, 2, 3):
        data = {**DOCUMENT, "nodes": [{"id": "web", "type": "vm", "mapPos": [x, 0]}]}
        answer = client.put(
            url, json={"data": data}, headers={"X-CSRF-Token": csrf, "If-Match": etag}
        )
        assert answer.status_code == 204
        etag = answer.headers["ETag"]
    with web_db.session() as s:
        found = repository.list_versions(s, blueprint_id)
        assert [v.reason for v in found] == ["edit", "create"]
        version = repository.get_version(s, blueprint_id, found[0].id)
        assert version is not None and version.data["nodes"][0]["mapPos"] == [3, 0]
