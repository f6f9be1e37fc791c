"""``/api/blueprint`` over HTTP: CRUD with ETags, validation naming the bad path, size limits,
access, exports drawn from the blueprint's own document, and the API at the root path."""

import json

import pytest

from cloudcanvas.diagram.style import shade
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.models import User
from tests.factories import make_team, make_user


def document(**changes):
    return {
        "grid": "standard",
        "name": "Shop",
        "version": 1,
        "projection": "isometric",
        "theme": {"base": "light"},
        "nodes": [
            {
                "id": "n-web",
                "type": "azurevm",
                "mapPos": [3, 4],
                "name": "web-<b>1</b>",
                "resourceId": "/subscriptions/s/resourceGroups/rg/providers/x/web1",
                "color": {"isometric": "#ff0066"},
            },
            {"id": "n-db", "type": "azuresqldb", "mapPos": [10, 4], "name": "db"},
        ],
        "edges": [{"id": "e1", "from": "n-web", "to": "n-db"}],
        "groups": [],
        "text": [
            {
                "id": "t1",
                "type": "isotext",
                "text": "Hello <script>",
                "color": "#123456",
                "mapPos": [2, 2],
                "textSize": 24,
            }
        ],
        "connectors": [],
        "surfaces": [],
        "icons": [],
        "images": [],
        "disabledLayers": [],
        "liveAccount": {"id": "acc-1", "type": "azure"},
        "liveOptions": {"excludedTypes": ["azurensg"], "autoLabel": True, "updatesEnabled": True},
        "someFutureField": {"kept": [1, 2, 3]},
    } | changes


def test_create_list_read_update_delete(client, make_api_user):
    user = make_api_user()
    created = client.post("/api/blueprint", headers=user.headers, json={"data": document()})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == "Shop" and body["data"] == document()  # unknown fields round-trip
    assert body["CreatorId"] == user.user_id == body["LastUserId"]
    assert body["CustomerId"] == user.org_id
    listed = client.get("/api/blueprint", headers=user.headers).json()["blueprints"]
    assert [b["id"] for b in listed] == [body["id"]] and "data" not in listed[0]
    assert set(listed[0]) >= {"readAccess", "writeAccess", "createdAt", "CurrentVersionId"}
    read = client.get(f"/api/blueprint/{body['id']}", headers=user.headers)
    etag = read.headers["ETag"]
    assert read.json()["data"]["someFutureField"] == {"kept": [1, 2, 3]}
    changed = {"data": document(name="Shop v2", nodes=[])}
    put = client.put(
        f"/api/blueprint/{body['id']}", headers=user.headers | {"If-Match": etag}, json=changed
    )
    assert put.status_code == 204 and put.headers["ETag"] != etag
    stale = client.put(
        f"/api/blueprint/{body['id']}", headers=user.headers | {"If-Match": etag}, json=changed
    )
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    again = client.get(f"/api/blueprint/{body['id']}", headers=user.headers).json()
    assert again["name"] == "Shop v2" and again["data"]["nodes"] == []
    assert client.delete(f"/api/blueprint/{body['id']}", headers=user.headers).status_code == 204
    assert client.get(f"/api/blueprint/{body['id']}", headers=user.headers).status_code == 404
    assert client.get("/api/blueprint", headers=user.headers).json() == {"blueprints": []}


def test_a_snapshot_document_posted_as_is_becomes_a_blueprint(client, make_api_user):
    user = make_api_user()
    snapshot = {"grid": "standard", "name": "From a scan", "data": document(name="From a scan")}
    created = client.post("/api/blueprint", headers=user.headers, json=snapshot)
    assert created.status_code == 201 and created.json()["name"] == "From a scan"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], "data"),
        (
            document(nodes=[{"id": "a", "type": "azurevm", "mapPos": [1, "x"]}]),
            "data.nodes[0].mapPos",
        ),
        (document(nodes=[{"id": "a"}]), "data.nodes[0].type"),
        (document(nodes={"a": 1}), "data.nodes"),
        (document(text=[{"id": "t", "text": 5, "mapPos": [0, 0]}]), "data.text[0].text"),
        (document(projection="3d"), "data.projection"),
        (document(liveAccount={"type": "aws", "id": "x"}), "data.liveAccount.type"),
        (document(liveOptions={"autoConnect": "yes"}), "data.liveOptions.autoConnect"),
        (document(edges=[3]), "data.edges[0]"),
    ],
)
def test_a_malformed_document_is_refused_naming_the_path(client, make_api_user, data, path):
    user = make_api_user()
    answer = client.post("/api/blueprint", headers=user.headers, json={"data": data})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"].startswith(path + ":") and answer.json()["path"] == path
    assert client.get("/api/blueprint", headers=user.headers).json()["blueprints"] == []


def test_size_limits_answer_413(client, make_api_user):
    user = make_api_user()
    nodes = [{"id": f"n{i}", "type": "azurevm", "mapPos": [i, 0]} for i in range(20_001)]
    many = client.post("/api/blueprint", headers=user.headers, json={"data": document(nodes=nodes)})
    assert many.status_code == 413 and "data.nodes" in many.json()["error"]
    huge = json.dumps({"data": document(padding="x" * (33 * 1024 * 1024))})
    big = client.post("/api/blueprint", headers=user.headers, content=huge)
    assert big.status_code == 413 and big.json()["code"] == "payload_too_large"
    assert client.post("/api/blueprint", headers=user.headers, content=b"{nope").status_code == 400


def test_access_private_team_admin_viewer_and_read_key(client, make_api_user, api_db):
    owner = make_api_user(role="owner")
    with api_db.session() as session:
        author = make_user(session, session.get(User, owner.user_id).organization, role="user")
        outsider = make_user(session, author.organization, role="user")
        writer = make_user(session, author.organization, role="user")
        viewer = make_user(session, author.organization, role="viewer")
        team = make_team(session, author.organization, writer, viewer)
        team_id = team.id
        keys = {
            u.email: identity_service.create_api_key(session, user=u, access="readwrite")[1]
            for u in (author, outsider, writer, viewer)
        }
        read_key = identity_service.create_api_key(session, user=author, access="read")[1]
        emails = author.email, outsider.email, writer.email, viewer.email

    def h(key):
        return {"Authorization": f"Bearer {key}"}

    a, o, w, v = (h(keys[e]) for e in emails)
    bp = client.post("/api/blueprint", headers=a, json={"data": document()}).json()
    url = f"/api/blueprint/{bp['id']}"
    assert client.get(url, headers=o).status_code == 404  # private to its creator
    assert client.get(url, headers=owner.headers).status_code == 200  # owners see everything
    assert client.get("/api/blueprint", headers=o).json()["blueprints"] == []
    shared = {"data": document(), "writeAccess": [f"team/{team_id}"]}
    assert client.put(url, headers=a, json=shared).status_code == 204
    assert client.put(url, headers=w, json={"data": document(name="by writer")}).status_code == 204
    assert client.put(url, headers=v, json={"data": document()}).json()["code"] == "read_only"
    assert client.put(url, headers=h(read_key), json={"data": document()}).status_code == 403
    assert client.delete(url, headers=w).status_code == 403  # editing is not deleting
    unshare = {"data": document(), "writeAccess": []}
    assert client.put(url, headers=w, json=unshare).status_code == 403  # nor sharing
    bad_team = {"data": document(), "readAccess": ["team/nope"]}
    assert client.put(url, headers=a, json=bad_team).json()["path"] == "readAccess"
    assert client.delete(url, headers=a).status_code == 204


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "mxGraph", "json"])
def test_exports_draw_the_blueprint_itself(client, make_api_user, fmt):
    user = make_api_user()
    bp = client.post("/api/blueprint", headers=user.headers, json={"data": document()}).json()
    answer = client.get(
        f"/api/blueprint/{bp['id']}/{fmt}",
        headers=user.headers,
        params={"paperSize": "Ledger", "landscape": "true", "grid": "false", "scale": "2"},
    )
    assert answer.status_code == 200, answer.text
    if fmt == "svg":
        svg = answer.text
        assert shade("#ff0066", 0.55) in svg  # the block's own colour (its outline)
        assert "Hello &lt;script&gt;" in svg and 'fill="#123456"' in svg  # the text label
        assert "web-&lt;b&gt;1&lt;/b&gt;" in svg and "<script>" not in svg
    elif fmt == "json":
        assert answer.json() == document()
    elif fmt == "png":
        assert answer.content.startswith(b"\x89PNG")
    elif fmt == "pdf":
        assert answer.content.startswith(b"%PDF")
    else:
        assert b"web-&lt;b&gt;1&lt;/b&gt;" in answer.content


def test_export_positions_follow_the_document(client, make_api_user):
    user = make_api_user()
    data = document(projection="2d", text=[])
    bp = client.post("/api/blueprint", headers=user.headers, json={"data": data}).json()
    before = client.get(f"/api/blueprint/{bp['id']}/svg", headers=user.headers).text
    data["nodes"][1]["mapPos"] = [40, 30]
    client.put(f"/api/blueprint/{bp['id']}", headers=user.headers, json={"data": data})
    after = client.get(f"/api/blueprint/{bp['id']}/svg", headers=user.headers).text
    assert before != after
    assert client.get(f"/api/blueprint/{bp['id']}/gif", headers=user.headers).status_code == 400
    bad = client.get(f"/api/blueprint/{bp['id']}/svg?paperSize=B9", headers=user.headers)
    assert bad.status_code == 400


def test_the_api_answers_at_the_root_path_with_a_bearer_key(client, make_api_user):
    user = make_api_user()
    created = client.post("/blueprint", headers=user.headers, json={"data": document()})
    assert created.status_code == 201
    assert client.get("/user/me", headers=user.headers).json()["email"] == user.email
    assert client.get("/blueprint", headers=user.headers).json()["blueprints"][0]["name"] == "Shop"
    assert client.get("/azure/account", headers=user.headers).json() == {"accounts": []}
    assert client.get("/team", headers=user.headers).status_code == 200
    # Without a bearer key the root path stays the web UI's (a login redirect or page, never JSON).
    web = client.get("/blueprint", follow_redirects=False)
    assert not web.headers.get("content-type", "").startswith("application/json")


def test_versions_over_http(client, make_api_user):
    user = make_api_user()
    bp = client.post("/api/blueprint", headers=user.headers, json={"data": document()}).json()
    url = f"/api/blueprint/{bp['id']}"
    client.put(url, headers=user.headers, json={"data": document(name="Second")})
    listed = client.get(f"{url}/versions", headers=user.headers).json()["versions"]
    assert [v["name"] for v in listed] == ["Second", "Shop"]
    assert [v["reason"] for v in listed] == ["put", "create"] and "data" not in listed[0]
    first = client.get(f"{url}/versions/{listed[1]['id']}", headers=user.headers).json()
    assert first["data"] == document()
    restored = client.post(f"{url}/versions/{listed[1]['id']}/restore", headers=user.headers)
    assert restored.status_code == 200 and restored.json()["name"] == "Shop"
    assert restored.json()["CurrentVersionId"] != listed[0]["id"]
    copied = client.post(f"{url}/versions/{listed[0]['id']}/copy", headers=user.headers)
    assert copied.status_code == 201 and copied.json()["data"]["name"] == "Second"
    missing = client.get(f"{url}/versions/nope", headers=user.headers)
    assert missing.status_code == 404
    other = make_api_user()
    assert client.get(f"{url}/versions", headers=other.headers).status_code == 404
