"""The official cloudcraftco SDK downloads an account's budget (CSV and XLSX) from
``cloudcanvas serve`` pointed at the simulator. The SDK has ``export_blueprint_budget`` for
blueprints only; for a live account its snapshot call takes ``budget/{csv|xlsx}`` as the format."""

import csv
import io

import openpyxl
import pytest
from cloudcraftco.cloudcraft import Cloudcraft

from tests.azure_env import PRODUCTION, READER, TENANT, settings_for


def test_sdk_downloads_an_accounts_budget(cli, cli_env, simulator, request, monkeypatch):
    for name, value in settings_for(simulator).items():
        cli_env[f"CLOUDCANVAS_{name.upper()}"] = str(value)
    cli("org", "create", "SDK Budget", "--plan", "pro")
    cli("user", "create", "owner@budget.io", "--org", "SDK Budget", "--role", "owner",
        stdin="sdk-password-1\n")  # fmt: skip
    key = cli("apikey", "create", "owner@budget.io").stdout.strip()
    url = request.getfixturevalue("served")
    monkeypatch.setenv("CLOUDCRAFT_PROTOCOL", "http")
    monkeypatch.setenv("CLOUDCRAFT_HOST", "localhost")
    monkeypatch.setenv("CLOUDCRAFT_PORT", url.rsplit(":", 1)[1])
    sdk = Cloudcraft({"api_key": key})
    account = sdk.create_azure_account(
        {"name": "Production", "applicationId": READER.app_id, "directoryId": TENANT,
         "subscriptionId": PRODUCTION, "clientSecret": READER.secret}
    )  # fmt: skip
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
