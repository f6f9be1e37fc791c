"""The official cloudcraftco SDK, unchanged, drives every blueprint call against ``cloudcanvas
serve``: at ``localhost`` (the SDK adds ``/api``) and at ``127.0.0.1`` (it calls the root)."""

import json

import pytest
from cloudcraftco.cloudcraft import Cloudcraft
from cloudcraftco.error import CloudcraftMalformed, CloudcraftOutdatedResource

from tests.azure_env import PRODUCTION, READER, TENANT, settings_for

FORMATS = {"svg": b"<svg", "png": b"\x89PNG", "pdf": b"%PDF", "mxGraph": b"<mxfile"}


def _document(name):
    return {
        "grid": "standard",
        "name": name,
        "projection": "2d",
        "nodes": [{"id": "a", "type": "azurevm", "mapPos": [0, 0], "name": "vm-a"}],
        "edges": [],
        "text": [{"id": "t", "type": "isotext", "text": "note", "mapPos": [4, 0]}],
        "custom": {"untouched": True},
    }


def _lifecycle(sdk, host):
    created = sdk.create_blueprint({"data": _document(f"On {host}")})
    assert created["name"] == f"On {host}" and created["data"]["custom"] == {"untouched": True}
    assert created["id"] in [b["id"] for b in sdk.list_blueprints()["blueprints"]]
    read = sdk.read_blueprint(created["id"])
    assert read["data"] == _document(f"On {host}")
    sdk.update_blueprint(created["id"], {"data": _document(f"On {host}, renamed")})
    assert sdk.read_blueprint(created["id"])["name"] == f"On {host}, renamed"
    # The SDK sends no If-Match of its own; a caller that adds one gets Cloudcraft's 412.
    sdk.headers["If-Match"] = f'"{created["id"]}-1"'
    with pytest.raises(CloudcraftOutdatedResource):
        sdk.update_blueprint(created["id"], {"data": _document("stale")})
    del sdk.headers["If-Match"]
    with pytest.raises(CloudcraftMalformed, match=r"data\.nodes"):
        sdk.update_blueprint(created["id"], {"data": _document("x") | {"nodes": 5}})
    for fmt, magic in FORMATS.items():
        body = sdk.export_blueprint(created["id"], fmt, {"grid": "true", "paperSize": "A4"})
        assert magic in body[:300], fmt
    exported = json.loads(sdk.export_blueprint(created["id"], "json"))
    assert exported["name"] == f"On {host}, renamed"
    sdk.delete_blueprint(created["id"])
    assert created["id"] not in [b["id"] for b in sdk.list_blueprints()["blueprints"]]


def test_sdk_blueprint_calls_at_localhost_and_at_a_host_name(
    cli, cli_env, simulator, request, monkeypatch
):
    for name, value in settings_for(simulator).items():
        cli_env[f"CLOUDCANVAS_{name.upper()}"] = str(value)
    cli_env["CLOUDCANVAS_API_RATE_LIMIT"] = "1000/10s"  # this test makes ~40 calls in seconds
    cli("org", "create", "SDK Blueprints", "--plan", "pro")
    cli(
        "user",
        "create",
        "bp@sdk.io",
        "--org",
        "SDK Blueprints",
        "--role",
        "owner",
        stdin="sdk-password-1\n",
    )
    key = cli("apikey", "create", "bp@sdk.io").stdout.strip()
    url = request.getfixturevalue("served")
    monkeypatch.setenv("CLOUDCRAFT_PROTOCOL", "http")
    monkeypatch.setenv("CLOUDCRAFT_PORT", url.rsplit(":", 1)[1])
    for host in ("localhost", "127.0.0.1"):
        monkeypatch.setenv("CLOUDCRAFT_HOST", host)
        sdk = Cloudcraft({"api_key": key})
        assert sdk.url_base.endswith("/api{}") == (host == "localhost")
        assert sdk.read_user_profile()["email"] == "bp@sdk.io"
        _lifecycle(sdk, host)
    # A snapshot's JSON document, posted as is, becomes a blueprint that keeps the resource ids.
    account = sdk.create_azure_account(
        {
            "name": "Production",
            "applicationId": READER.app_id,
            "directoryId": TENANT,
            "subscriptionId": PRODUCTION,
            "clientSecret": READER.secret,
        }
    )
    snapshot = json.loads(sdk.snapshot_azure_account(account["id"], "eastus", "json"))
    blueprint = sdk.create_blueprint(snapshot)
    nodes = sdk.read_blueprint(blueprint["id"])["data"]["nodes"]
    assert nodes and all(PRODUCTION in n["resourceId"] for n in nodes if n.get("resourceId"))
    assert sdk.export_blueprint(blueprint["id"], "svg").startswith(b"<svg")
