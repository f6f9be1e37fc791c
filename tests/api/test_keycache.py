"""Authentication and the rate limit need no database connection for a key seen a moment ago
(issue 14, item 1): a key over its limit is answered 429 even when every connection is taken."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from cloudcanvas.store.engine import EngineLimits
from cloudcanvas.store.models import ApiKey
from tests.factories import make_org, make_user


def test_a_throttled_key_is_answered_without_a_connection(tmp_path, database_url):
    database = Database.connect(database_url, EngineLimits(pool_size=1, pool_timeout=0.3))
    with database.session() as session:
        user = make_user(session, make_org(session), role="owner")
        plain = identity_service.create_api_key(session, user=user, access="readwrite")[1]
    settings = Settings(data_dir=tmp_path, secret_key="k", api_rate_limit="2/60s")
    headers = {"Authorization": f"Bearer {plain}"}
    with TestClient(create_app(settings, database=database, schedule=False)) as client:
        assert client.get("/api/user/me", headers=headers).status_code == 200
        assert client.get("/api/user/me", headers=headers).status_code == 200
        with database.engine.connect():  # no connection left for anyone
            refused = client.get("/api/user/me", headers=headers)
    database.dispose()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_last_used_is_collected_and_written_in_one_batch(tmp_path, database_url):
    database = Database.connect(database_url)
    with database.session() as session:
        user = make_user(session, make_org(session), role="owner")
        keys = [identity_service.create_api_key(session, user=user, access="read") for _ in "ab"]
    settings = Settings(data_dir=tmp_path, secret_key="k")
    with TestClient(create_app(settings, database=database, schedule=False)) as client:
        for _, plain in keys:
            headers = {"Authorization": f"Bearer {plain}"}
            assert client.get("/api/user/me", headers=headers).status_code == 200
        with database.session() as session:  # not written by the requests themselves
            assert all(session.get(ApiKey, k.id).last_used_at is None for k, _ in keys)
        client.app.state.key_uses.flush()  # type: ignore[attr-defined]  # what its thread does every 30 s, and at shutdown
        with database.session() as session:
            used = [session.get(ApiKey, k.id).last_used_at for k, _ in keys]
    assert all(u is not None for u in used)
    database.dispose()


def test_a_key_revoked_through_the_api_is_refused_at_once(tmp_path, database_url):
    database = Database.connect(database_url)
    with database.session() as session:
        user = make_user(session, make_org(session), role="owner")
        key, plain = identity_service.create_api_key(session, user=user, access="readwrite")
    settings = Settings(data_dir=tmp_path, secret_key="k", api_key_cache_seconds=600)
    headers = {"Authorization": f"Bearer {plain}"}
    with TestClient(create_app(settings, database=database, schedule=False)) as client:
        assert client.get("/api/user/me", headers=headers).status_code == 200  # cached now
        assert client.delete(f"/api/apikey/{key.id}", headers=headers).status_code == 204
        assert client.get("/api/user/me", headers=headers).status_code == 401
    database.dispose()
