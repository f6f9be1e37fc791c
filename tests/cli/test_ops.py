"""``cloudcanvas scan`` and ``cloudcanvas keys rotate`` as an operator runs them."""

import xml.etree.ElementTree as ET

from cloudcanvas.accounts import service as account_service
from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from cloudcanvas.store.models import AzureAccount
from tests.azure_env import PRODUCTION, READER, TENANT, settings_for
from tests.factories import connect_account


def point_at(cli_env, simulator):
    for name, value in settings_for(simulator).items():
        cli_env[f"CLOUDCANVAS_{name.upper()}"] = str(value)


def test_scan_to_a_file_without_a_server(cli, cli_env, simulator, tmp_path):
    point_at(cli_env, simulator)
    cli_env["READER_SECRET"] = READER.secret
    out = tmp_path / "prod.svg"
    result = cli(
        "scan",
        "--tenant",
        TENANT,
        "--client-id",
        READER.app_id,
        "--client-secret-env",
        "READER_SECRET",
        "--subscription",
        PRODUCTION,
        "--location",
        "eastus",
        "--format",
        "svg",
        "--out",
        str(out),
    )
    assert ET.parse(out).getroot().tag.endswith("svg")
    assert "resources" in result.stderr and READER.secret not in result.stderr + result.stdout
    json_out = tmp_path / "prod.json"
    cli(
        "scan",
        "--tenant",
        TENANT,
        "--client-id",
        READER.app_id,
        "--client-secret-env",
        "READER_SECRET",
        "--subscription",
        PRODUCTION,
        "--format",
        "json",
        "--out",
        str(json_out),
    )
    assert PRODUCTION in json_out.read_text()


def test_scan_refuses_a_wrong_secret_clearly(cli, cli_env, simulator, tmp_path):
    point_at(cli_env, simulator)
    cli_env["BAD"] = "this-is-not-the-secret-0123456789abcdefgh"
    result = cli(
        "scan",
        "--tenant",
        TENANT,
        "--client-id",
        READER.app_id,
        "--client-secret-env",
        "BAD",
        "--subscription",
        PRODUCTION,
        "--out",
        str(tmp_path / "x.svg"),
        ok=False,
    )
    assert (
        result.returncode == 1 and "Value" in result.stderr and cli_env["BAD"] not in result.stderr
    )
    missing = cli(
        "scan",
        "--tenant",
        TENANT,
        "--client-id",
        READER.app_id,
        "--client-secret-env",
        "NOPE",
        "--subscription",
        PRODUCTION,
        "--out",
        str(tmp_path / "x.svg"),
        ok=False,
    )
    assert "NOPE" in missing.stderr and not (tmp_path / "x.svg").exists()


def test_keys_rotate_reseals_every_secret(cli, cli_env, simulator, tmp_path):
    point_at(cli_env, simulator)
    # A database of its own: rotation refuses (rightly) to run past secrets sealed under keys it
    # lacks, and the shared PostgreSQL test database holds other tests' accounts.
    cli_env["CLOUDCANVAS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'rotate.db'}"
    settings = Settings(
        data_dir=cli_env["CLOUDCANVAS_DATA_DIR"],
        database_url=cli_env["CLOUDCANVAS_DATABASE_URL"],
        **settings_for(simulator),
    )
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    with database.session() as session:
        account = connect_account(session, settings, name="P")
        account_id, old_key = account.id, account.secret_key_id
    result = cli("keys", "rotate")
    assert "1 secrets sealed" in result.stdout
    assert len(settings.key_file.read_text().split()) == 2  # the old key stays for running servers
    with database.session() as session:
        account = session.get(AzureAccount, account_id)
        keyring = account_service.AzureContext.from_settings(settings).keyring
        assert account.secret_key_id == keyring.current != old_key
        assert account_service.credentials_of(account, keyring).client_secret == READER.secret
    database.dispose()
