import pytest
from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from tests.factories import make_team, make_user


def test_user_me_in_cloudcraft_shape(client, make_api_user):
    user = make_api_user()
    response = client.get("/api/user/me", headers=user.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.user_id and body["email"] == user.email
    assert {"name", "settings", "createdAt", "updatedAt", "accessedAt"} <= set(body)


def test_free_plan_reads_its_profile_but_nothing_else(client, make_api_user):
    user = make_api_user(plan="free")
    assert client.get("/api/user/me", headers=user.headers).status_code == 200
    response = client.get("/api/team", headers=user.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "plan_required"
    assert "free plan" in response.json()["error"]


def test_team_list_with_members(client, make_api_user, api_db):
    user = make_api_user()
    with api_db.session() as session:
        me = session.get(__import__("cloudcanvas.store.models").store.models.User, user.user_id)
        team = make_team(session, me.organization, me, make_user(session, me.organization))
        team_id = team.id
    body = client.get("/api/team", headers=user.headers).json()
    (team_json,) = [t for t in body["teams"] if t["id"] == team_id]
    assert user.email in {m["email"] for m in team_json["members"]}
    assert len(team_json["members"]) == 2


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"Authorization": "Basic abc"}, "missing_api_key"),
        ({"Authorization": "Bearer short"}, "invalid_api_key"),
        ({"Authorization": "Bearer " + "A" * 44}, "invalid_api_key"),
    ],
)
def test_bad_keys_are_401_with_a_code(client, headers, code):
    response = client.get("/api/user/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == code and response.json()["error"]


def test_revoked_key_is_refused(client, make_api_user, api_db):
    user = make_api_user()
    with api_db.session() as session:
        (key,) = identity_service.list_api_keys(
            session,
            user=session.get(
                __import__("cloudcanvas.store.models").store.models.User, user.user_id
            ),
        )
        identity_service.revoke_api_key(session, key_id=key.id)
    response = client.get("/api/user/me", headers=user.headers)
    assert response.status_code == 401 and "revoked" in response.json()["error"]


def test_malformed_json_is_400_not_422(client, make_api_user):
    user = make_api_user()
    headers = user.headers | {"Content-Type": "application/json"}
    response = client.post("/api/apikey", headers=headers, content=b'{"name": ')
    assert response.status_code == 400
    assert response.json() == {
        "error": "The request body is not valid JSON.",
        "code": "invalid_request",
    }
    response = client.post("/api/apikey", headers=user.headers, json={"access": "admin"})
    assert response.status_code == 400 and "access" in response.json()["error"]


def test_bodies_over_one_mebibyte_are_413(client, make_api_user):
    user = make_api_user()
    big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = client.post(
        "/api/apikey", headers=user.headers | {"Content-Type": "application/json"}, content=big
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert client.get("/api/apikey", headers=user.headers).json()["keys"].__len__() == 1


def test_unknown_endpoint_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_keys_through_the_api(client, make_api_user):
    owner = make_api_user(role="owner")
    created = client.post(
        "/api/apikey", headers=owner.headers, json={"name": "ci", "access": "read"}
    )
    assert created.status_code == 201 and len(created.json()["key"]) == 44
    listed = client.get("/api/apikey", headers=owner.headers).json()["keys"]
    assert all("key" not in k for k in listed) and len(listed) == 2
    assert (
        client.delete(f"/api/apikey/{created.json()['id']}", headers=owner.headers).status_code
        == 204
    )
    new_headers = {"Authorization": f"Bearer {created.json()['key']}"}
    assert client.get("/api/user/me", headers=new_headers).status_code == 401


def test_users_cannot_mint_keys_and_read_keys_cannot_write(client, make_api_user):
    assert (
        client.post("/api/apikey", headers=make_api_user(role="user").headers, json={}).status_code
        == 403
    )
    response = client.post("/api/apikey", headers=make_api_user(access="read").headers, json={})
    assert response.status_code == 403 and response.json()["code"] == "read_only"


def test_rate_limit_answers_429_with_retry_after(tmp_path, api_db, make_api_user):
    settings = Settings(data_dir=tmp_path, secret_key="k", api_rate_limit="3/10s")
    user = make_api_user()
    with TestClient(create_app(settings, database=api_db)) as limited:
        statuses = [limited.get("/api/user/me", headers=user.headers).status_code for _ in range(4)]
        last = limited.get("/api/user/me", headers=user.headers)
    assert statuses == [200, 200, 200, 429]
    assert last.status_code == 429 and 1 <= int(last.headers["Retry-After"]) <= 10
    assert last.json()["code"] == "rate_limited"


def test_openapi_docs_are_served(client):
    assert client.get("/api/docs").status_code == 200
    assert "/api/user/me" in client.get("/api/openapi.json").json()["paths"]
