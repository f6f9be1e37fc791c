from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from tests.factories import make_org, make_user


@dataclass
class ApiUser:
    key: str
    email: str
    user_id: str
    org_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def api_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, secret_key="api-test-key", api_rate_limit="1000/10s")


@pytest.fixture
def api_db(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


@pytest.fixture
def client(api_settings: Settings, api_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, database=api_db)) as test_client:
        yield test_client


@pytest.fixture
def make_api_user(api_db: Database):
    """A committed user with a key (the app commits, so these tests use their own rows)."""

    def make(plan: str = "pro", role: str = "owner", access: str = "readwrite") -> ApiUser:
        with api_db.session() as session:
            user = make_user(session, make_org(session, plan=plan), role=role)
            _, plain = identity_service.create_api_key(session, user=user, access=access)
            return ApiUser(
                key=plain, email=user.email, user_id=user.id, org_id=user.organization_id
            )

    return make


def connect_production(client: TestClient, user: ApiUser) -> dict[str, object]:
    """The simulated Production subscription connected through the API, as a user would."""
    from tests.azure_env import PRODUCTION, READER, TENANT

    response = client.post(
        "/api/azure/account",
        headers=user.headers,
        json={
            "name": "Production",
            "subscriptionId": PRODUCTION,
            "directoryId": TENANT,
            "applicationId": READER.app_id,
            "clientSecret": READER.secret,
        },
    )
    assert response.status_code == 201, response.text
    account: dict[str, object] = response.json()
    return account


@pytest.fixture
def connected(client: TestClient, make_api_user):
    """A user and the simulated Production subscription they connected (the module's
    ``api_settings`` point at the simulator)."""
    user = make_api_user()
    return user, connect_production(client, user)
