"""A live blueprint over HTTP follows a real scan of the simulated account."""

import pytest

from tests.api.test_scans import wait_scan
from tests.azure_env import settings_for


@pytest.fixture
def api_settings(api_settings, simulator):
    return api_settings.model_copy(update=settings_for(simulator, snapshot_wait_seconds=30.0))


def test_a_scan_fills_a_live_blueprint_and_keeps_the_users_moves(client, connected):
    user, account = connected
    live = {
        "name": "Live",
        "liveAccount": {"id": account["id"], "type": "azure"},
        "liveOptions": {"updatesEnabled": True, "excludedTypes": ["azurensg"]},
        "nodes": [],
    }
    bp = client.post("/api/blueprint", headers=user.headers, json={"data": live}).json()
    scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    assert wait_scan(client, user, account["id"], scan["id"])["status"] == "succeeded"
    data = client.get(f"/api/blueprint/{bp['id']}", headers=user.headers).json()["data"]
    assert data["nodes"] and all(n["liveAccountId"] == account["id"] for n in data["nodes"])
    assert all(n["resourceId"] and n["type"] != "azurensg" for n in data["nodes"])
    data["nodes"][0]["mapPos"] = [500, 500]
    client.put(f"/api/blueprint/{bp['id']}", headers=user.headers, json={"data": data})
    scan = client.post(f"/api/azure/account/{account['id']}/scans", headers=user.headers).json()
    wait_scan(client, user, account["id"], scan["id"])
    again = client.get(f"/api/blueprint/{bp['id']}", headers=user.headers).json()["data"]
    assert again["nodes"][0]["mapPos"] == [500, 500]
    assert len(again["nodes"]) == len(data["nodes"])
