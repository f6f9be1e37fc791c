"""The OpenAPI document names the shapes the API really answers with, by their wire names, and
the answers match them (the schemathesis run checks every operation; these pin the contracts)."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import connect_production
from tests.azure_env import settings_for


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator))


def _schema(document, operation, status="200"):
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    name = content["$ref"].rsplit("/", 1)[-1]
    return document["components"]["schemas"][name]


def test_responses_are_typed_by_their_wire_names(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    account = _schema(document, paths["/api/azure/account/{account_id}"]["get"])
    assert {"CreatorId", "subscriptionIds", "readAccess", "secretExpiresAt"} <= set(
        account["properties"]
    )
    assert "clientSecret" not in account["properties"]  # the secret is never answered
    assert not any("_" in name for name in account["properties"])
    diff = _schema(document, paths["/api/azure/account/{account_id}/diff"]["get"])
    assert {"from", "to", "added", "removed", "changed", "counts"} <= set(diff["properties"])
    check = _schema(document, paths["/api/azure/account/check"]["post"])
    assert {"stages", "canWrite", "subscriptions"} <= set(check["properties"])
    me = _schema(document, paths["/api/user/me"]["get"])
    assert {"organization", "accessedAt"} <= set(me["properties"])
    blueprint = _schema(document, paths["/api/blueprint/{blueprint_id}"]["get"])
    assert {"data", "CustomerId", "CurrentVersionId", "readAccess"} <= set(blueprint["properties"])
    listed = _schema(document, paths["/api/blueprint"]["get"])
    assert "blueprints" in listed["properties"]


def test_request_bodies_and_paths_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    create = paths["/api/azure/account"]["post"]["requestBody"]["content"]["application/json"]
    single, bulk = create["schema"]["oneOf"]
    assert {"applicationId", "directoryId", "clientSecret"} <= set(single["required"])
    assert bulk["type"] == "array" and bulk["maxItems"] == 100
    check = paths["/api/azure/account/check"]["post"]["requestBody"]["content"]
    stage = check["application/json"]["schema"]["properties"]["stage"]
    assert re.fullmatch(stage["pattern"], "permissions")
    diagram = paths["/api/azure/account/{account_id}/{location}/{fmt}"]["get"]
    location = next(p for p in diagram["parameters"] if p["name"] == "location")
    pattern = location["schema"]["pattern"]
    assert re.match(pattern, "eastus") and re.match(pattern, "all")
    assert not re.match(pattern, "East US")
    files = diagram["responses"]["200"]["content"]
    assert {"image/svg+xml", "image/png", "application/pdf"} <= set(files)


def test_an_answer_has_exactly_the_documented_fields(client, make_api_user):
    user = make_api_user()
    account = connect_production(client, user)
    document = client.get("/api/openapi.json").json()
    schema = _schema(document, document["paths"]["/api/azure/account/{account_id}"]["get"])
    answer = client.get(f"/api/azure/account/{account['id']}", headers=user.headers).json()
    assert set(answer) == set(schema["properties"])
