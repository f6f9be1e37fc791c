"""The official cloudcraftco SDK creates, lists, updates and deletes Azure accounts against
``cloudcanvas serve`` pointed at the simulator."""

import json

from cloudcraftco.cloudcraft import Cloudcraft

from tests.azure_env import PRODUCTION, READER, TENANT, settings_for


def test_sdk_account_lifecycle(cli, cli_env, simulator, request, monkeypatch):
    for name, value in settings_for(simulator).items():
        cli_env[f"CLOUDCANVAS_{name.upper()}"] = str(value)
    cli("org", "create", "SDK Accounts", "--plan", "pro")
    cli(
        "user",
        "create",
        "owner@sdk.io",
        "--org",
        "SDK Accounts",
        "--role",
        "owner",
        stdin="sdk-password-1\n",
    )
    key = cli("apikey", "create", "owner@sdk.io").stdout.strip()
    url = request.getfixturevalue("served")
    monkeypatch.setenv("CLOUDCRAFT_PROTOCOL", "http")
    monkeypatch.setenv("CLOUDCRAFT_HOST", "localhost")
    monkeypatch.setenv("CLOUDCRAFT_PORT", url.rsplit(":", 1)[1])
    sdk = Cloudcraft({"api_key": key})
    created = sdk.create_azure_account(
        {
            "name": "Production",
            "applicationId": READER.app_id,
            "directoryId": TENANT,
            "subscriptionId": PRODUCTION,
            "clientSecret": READER.secret,
        }
    )
    assert created["hint"] == READER.secret[:3]
    assert [a["name"] for a in sdk.list_azure_accounts()["accounts"]] == ["Production"]
    svg = sdk.snapshot_azure_account(created["id"], "eastus", "svg", {"projection": "2d"})
    assert svg.startswith(b"<svg") or b"<svg" in svg[:200]
    blueprint = json.loads(sdk.snapshot_azure_account(created["id"], "eastus", "json"))
    assert any(PRODUCTION in (n.get("resourceId") or "") for n in blueprint["data"]["nodes"])
    sdk.update_azure_account(created["id"], {"name": "Prod (renamed)"})
    assert sdk.list_azure_accounts()["accounts"][0]["name"] == "Prod (renamed)"
    sdk.delete_azure_account(created["id"])
    assert sdk.list_azure_accounts()["accounts"] == []
