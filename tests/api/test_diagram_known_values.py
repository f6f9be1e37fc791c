"""An unknown region or resource type answers 404/400 with the known values, never an empty
diagram (issue 16)."""

import pytest

from tests.azure_env import settings_for


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator, snapshot_wait_seconds=30.0))


def test_an_unknown_region_is_404_with_the_known_ones(client, connected):
    user, account = connected
    base = f"/api/azure/account/{account['id']}"
    assert client.get(f"{base}/eastus/json", headers=user.headers).status_code == 200
    response = client.get(f"{base}/southpole/svg", headers=user.headers)
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["code"] == "unknown_location"
    assert "eastus" in body["known"] and "southpole" not in body["known"]
    assert body["error"].startswith("no such region in this account: 'southpole'; known are ")
    assert "eastus" in body["error"]


def test_an_unknown_type_is_400_with_the_known_ones(client, connected):
    user, account = connected
    base = f"/api/azure/account/{account['id']}/eastus/json"
    response = client.get(base, params={"filter": "web type=azurespaceship"}, headers=user.headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "unknown_type"
    assert body["error"].startswith("no resource type named 'azurespaceship' (position 5)")
    assert body["known"] and all(name in body["error"] for name in body["known"])
    # a known component id, an ARM type, and a wildcard all still draw
    for known in (body["known"][0], body["knownArmTypes"][0], "azure*"):
        ok = client.get(base, params={"filter": f"type={known}"}, headers=user.headers)
        assert ok.status_code == 200, (known, ok.text)
    # NOT of an unknown type would match everything: it is still a typo worth naming
    response = client.get(base, params={"filter": "NOT type=vmm"}, headers=user.headers)
    assert response.status_code == 400 and "'vmm' (position 5)" in response.json()["error"]
