"""Share links over HTTP: enable, read, rotate (old link 404s), revoke (404), embed opt-in and
its headers, noindex, audit, who may manage a link, and the link opened with no login."""

import re

from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.models import AuditEvent, BlueprintShare, User
from tests.api.test_blueprints import document
from tests.factories import make_team, make_user


def _create(client, user, **changes):
    created = client.post(
        "/api/blueprint", headers=user.headers, json={"data": document(**changes)}
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _open(client, url):
    """The link opened as a stranger would: no cookie, no key."""
    client.cookies.clear()
    return client.get(url)


def test_enable_open_rotate_revoke(client, make_api_user, api_db):
    user = make_api_user()
    bp = _create(client, user)
    base = f"/api/blueprint/{bp}/share"
    off = client.get(base, headers=user.headers).json()
    assert off["enabled"] is False and off["embeddable"] is False and off["key"] is None
    # Rotating a link that does not exist says what to do.
    missing = client.post(base + "/rotate", headers=user.headers)
    assert missing.status_code == 404 and missing.json()["code"] == "not_shared"
    enabled = client.put(base, headers=user.headers)
    assert enabled.status_code == 200, enabled.text
    share = enabled.json()
    assert share["enabled"] is True and share["embeddable"] is False
    assert share["url"] == f"/share/{share['shareId']}/{share['key']}"
    # 128-bit tokens: token_urlsafe(16) is 22 URL-safe characters.
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", share["shareId"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", share["key"]) and share["key"] != share["shareId"]
    # Enabling again keeps the link.
    assert client.put(base, headers=user.headers, json={}).json()["key"] == share["key"]
    assert client.get(base, headers=user.headers).json()["url"] == share["url"]

    page = _open(client, share["url"])
    assert page.status_code == 200, page.text
    assert '<meta name="robots" content="noindex' in page.text
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert "<svg" in page.text and 'class="cloudcanvas-diagram"' in page.text
    # Names and texts are escaped in the drawing.
    assert "Hello &lt;script&gt;" in page.text and "<script>" not in page.text.split("<svg")[1]
    # Not embeddable by default: frames refused as everywhere.
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "x-cloudcanvas-frameable" not in page.headers

    rotated = client.post(base + "/rotate", headers=user.headers).json()
    assert rotated["shareId"] == share["shareId"] and rotated["key"] != share["key"]
    gone = _open(client, share["url"])
    assert gone.status_code == 404 and gone.headers["X-Robots-Tag"].startswith("noindex")
    assert _open(client, rotated["url"]).status_code == 200
    # A wrong key, an unknown id and a revoked link are the same page.
    wrong = _open(client, f"/share/{share['shareId']}/{'A' * 22}")
    unknown = _open(client, f"/share/{'B' * 22}/{rotated['key']}")
    assert wrong.status_code == unknown.status_code == 404
    assert client.delete(base, headers=user.headers).status_code == 204
    revoked = _open(client, rotated["url"])
    assert revoked.status_code == 404 and revoked.text == wrong.text == unknown.text == gone.text
    assert client.get(base, headers=user.headers).json()["enabled"] is False
    with api_db.session() as session:
        assert session.query(BlueprintShare).filter_by(blueprint_id=bp).count() == 0
        actions = [e.action for e in session.query(AuditEvent).filter_by(target_id=bp)]
        logged = " ".join(str(e.changes) for e in session.query(AuditEvent).filter_by(target_id=bp))
    assert sorted(actions) == ["share_link", "share_revoke", "share_rotate"]
    assert share["key"] not in logged and rotated["key"] not in logged  # the secret is never logged
    listed = client.get("/api/audit", headers=user.headers)
    assert listed.status_code == 200 and share["key"] not in listed.text
    shown = {e["action"] for e in listed.json()["events"] if e["targetId"] == bp}
    assert shown == {"share_link", "share_rotate", "share_revoke"}


def test_embedding_is_an_explicit_opt_in(client, make_api_user):
    user = make_api_user()
    bp = _create(client, user)
    base = f"/api/blueprint/{bp}/share"
    bad = client.put(base, headers=user.headers, json={"embeddable": "yes"})
    assert bad.status_code == 400 and "embeddable" in bad.json()["error"]
    share = client.put(base, headers=user.headers, json={"embeddable": True}).json()
    assert share["embeddable"] is True
    page = _open(client, share["url"])
    assert page.status_code == 200 and "X-Frame-Options" not in page.headers
    assert "frame-ancestors *" in page.headers["Content-Security-Policy"]
    assert "x-cloudcanvas-frameable" not in page.headers  # the route's mark is stripped
    # Other pages stay unframeable, and so does the 404 of a bad link.
    assert _open(client, "/login").headers["X-Frame-Options"] == "DENY"
    assert _open(client, share["url"] + "x").headers["X-Frame-Options"] == "DENY"
    off = client.put(base, headers=user.headers, json={"embeddable": False}).json()
    assert off["key"] == share["key"] and off["embeddable"] is False
    assert _open(client, share["url"]).headers["X-Frame-Options"] == "DENY"


def test_a_deleted_blueprint_takes_its_link_with_it(client, make_api_user):
    user = make_api_user()
    bp = _create(client, user)
    share = client.put(f"/api/blueprint/{bp}/share", headers=user.headers).json()
    assert client.delete(f"/api/blueprint/{bp}", headers=user.headers).status_code == 204
    assert _open(client, share["url"]).status_code == 404


def test_only_sharers_see_or_change_the_link(client, make_api_user, api_db):
    owner = make_api_user(role="owner")
    with api_db.session() as session:
        org = session.get(User, owner.user_id).organization
        author = make_user(session, org, role="user")
        writer = make_user(session, org, role="user")
        viewer = make_user(session, org, role="viewer")
        outsider = make_user(session, org, role="user")
        team = make_team(session, org, writer, viewer)
        team_id = team.id

        def key(user, access="readwrite"):
            return {
                "Authorization": f"Bearer {identity_service.create_api_key(session, user=user, access=access)[1]}"
            }

        headers = {
            "author": key(author),
            "author-read-key": key(author, "read"),
            "writer": key(writer),
            "viewer": key(viewer),
            "outsider": key(outsider),
        }
    data = {"data": document(), "writeAccess": [f"team/{team_id}"]}
    bp = client.post("/api/blueprint", headers=headers["author"], json=data).json()["id"]
    base = f"/api/blueprint/{bp}/share"
    other = make_api_user(role="owner")  # another organization
    expected = {
        "author-read-key": 403,
        "writer": 403,  # may edit the drawing, not publish it
        "viewer": 403,
        "outsider": 404,
    }
    for who, status in expected.items():
        for method, path in (("put", base), ("post", base + "/rotate"), ("delete", base)):
            answer = client.request(method.upper(), path, headers=headers[who])
            assert answer.status_code == status, (who, method, answer.text)
    assert client.get(base, headers=headers["viewer"]).status_code == 403  # the link is a secret
    assert client.put(base, headers=other.headers).status_code == 404
    assert client.put(base, headers=headers["author"]).status_code == 200
    assert client.put(base, headers=owner.headers, json={"embeddable": True}).status_code == 200
    assert client.post(base + "/rotate", headers=owner.headers).status_code == 200


def test_share_routes_at_the_root_path(client, make_api_user):
    user = make_api_user()
    bp = _create(client, user)
    answer = client.put(f"/blueprint/{bp}/share", headers=user.headers)
    assert answer.status_code == 200 and answer.json()["enabled"] is True


def test_a_hostile_document_is_drawn_escaped(client, make_api_user):
    user = make_api_user()
    evil = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    bp = _create(
        client,
        user,
        name=evil,
        nodes=[{"id": "n", "type": evil, "name": evil, "mapPos": [1, 1], "resourceId": evil}],
        groups=[{"id": "g", "name": evil, "mapPos": [0, 0], "mapSize": [5, 5], "nodes": ["n"]}],
        text=[{"id": "t", "type": "isotext", "text": evil, "mapPos": [2, 2]}],
        edges=[],
    )
    share = client.put(f"/api/blueprint/{bp}/share", headers=user.headers).json()
    page = _open(client, share["url"])
    assert page.status_code == 200
    assert "<img" not in page.text and "<script>alert" not in page.text
    assert page.text.count("onerror=alert(1)") >= 4  # the name, node, group and text, escaped
    assert "onerror=alert(1)&gt;" in page.text or "onerror=alert(1)&#x3E;" in page.text
