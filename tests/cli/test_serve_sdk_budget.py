"""The official cloudcraftco SDK downloads an account's budget (CSV and XLSX) from
``cloudcanvas serve`` pointed at the simulator. The SDK has ``export_blueprint_budget`` for
blueprints only; for a live account its snapshot call takes ``budget/{csv|xlsx}`` as the format."""

import csv
import io
import json

import openpyxl
import pytest
from cloudcraftco.cloudcraft import Cloudcraft

from tests.azure_env import PRODUCTION, READER, TENANT, settings_for


def connected_sdk(cli, cli_env, simulator, request, monkeypatch, org: str, email: str):
    """An owner's ``Cloudcraft`` client against ``cloudcanvas serve`` and its connected account."""
    for name, value in settings_for(simulator).items():
        cli_env[f"CLOUDCANVAS_{name.upper()}"] = str(value)
    cli("org", "create", org, "--plan", "pro")
    cli("user", "create", email, "--org", org, "--role", "owner", stdin="sdk-password-1\n")
    key = cli("apikey", "create", email).stdout.strip()
    url = request.getfixturevalue("served")
    monkeypatch.setenv("CLOUDCRAFT_PROTOCOL", "http")
    monkeypatch.setenv("CLOUDCRAFT_HOST", "localhost")
    monkeypatch.setenv("CLOUDCRAFT_PORT", url.rsplit(":", 1)[1])
    sdk = Cloudcraft({"api_key": key})
    account = sdk.create_azure_account(
        {"name": "Production", "applicationId": READER.app_id, "directoryId": TENANT,
         "subscriptionId": PRODUCTION, "clientSecret": READER.secret}
    )  # fmt: skip
    return sdk, account


def test_sdk_downloads_an_accounts_budget(cli, cli_env, simulator, request, monkeypatch):
    sdk, account = connected_sdk(
        cli, cli_env, simulator, request, monkeypatch, "SDK Budget", "owner@budget.io"
    )
    sdk.snapshot_azure_account(account["id"], "all", "json")  # scans, waits for the snapshot
    body = sdk.snapshot_azure_account(account["id"], "all", "budget/csv", {"currency": "GBP"})
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and {r["currency"] for r in rows} == {"GBP"}
    assert sum(float(r["cost"]) for r in rows if r["cost"]) > 0
    xlsx = sdk.snapshot_azure_account(account["id"], "all", "budget/xlsx", {"period": "y"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "Total (USD per year)"
    with pytest.raises(Exception, match="period"):
        sdk.snapshot_azure_account(account["id"], "all", "budget/csv", {"period": "q"})


# One line of Cloudcraft's CSV, as its documentation prints it.
CLOUDCRAFT_CSV_LINE = (
    "category,type,region,count,unitPrice,cost,instanceType,instanceSize,platform,role,engine,"
    "storage,dataGb,snapshots,volume,iops,memory,mRequests,computeDuration,readUnits,writeUnits,"
    "readConsistency,shards,putUnits,extendedRetention,emailsOut,requests,notifications,"
    "notificationType,cache,apiCalls,tier,instance"
)
CLOUDCRAFT_HEADER = CLOUDCRAFT_CSV_LINE.split(",")


def test_sdk_exports_a_blueprints_budget(cli, cli_env, simulator, request, monkeypatch):
    """``export_blueprint_budget``, unchanged, for csv and xlsx: a blueprint made from a scanned
    snapshot document, plus a block drawn by hand (listed unpriced, with the reason)."""
    sdk, account = connected_sdk(
        cli, cli_env, simulator, request, monkeypatch, "SDK Blueprint Budget", "bp@budget.io"
    )
    snapshot = json.loads(sdk.snapshot_azure_account(account["id"], "eastus", "json"))
    snapshot["data"]["nodes"].append(
        {"id": "hand", "type": "azurevm", "mapPos": [300, 300], "name": "drawn by hand"}
    )
    blueprint = sdk.create_blueprint(snapshot)
    body = sdk.export_blueprint_budget(blueprint["id"], "csv", {"currency": "EUR"})
    header = body.decode().splitlines()[0].split(",")
    assert header[:33] == CLOUDCRAFT_HEADER
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert {r["currency"] for r in rows} == {"EUR"} and {
        r["region"] for r in rows if r["cost"]
    } == {"eastus"}
    assert sum(float(r["cost"]) for r in rows if r["cost"]) > 0
    hand = next(r for r in rows if r["instance"] == "drawn by hand")
    assert hand["status"] == "unpriced" and hand["reason"]
    xlsx = sdk.export_blueprint_budget(blueprint["id"], "xlsx", {"period": "y", "rate": "stated"})
    values = list(openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert list(values[0][:33]) == CLOUDCRAFT_HEADER
    assert values[-1][0] == "Total (USD per year)" and values[-1][values[0].index("cost")] > 0
    with pytest.raises(Exception, match="currency"):
        sdk.export_blueprint_budget(blueprint["id"], "csv", {"currency": "BTC"})
