"""``cloudcanvas prices refresh`` as an operator runs it."""

import hashlib

from sqlalchemy import func, select

from cloudcanvas.config import Settings
from cloudcanvas.inventory.codec import encode_inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.graph import container_rows, resource_rows
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from cloudcanvas.store.models import CachedPrice, Snapshot
from tests.azure_env import settings_for
from tests.cli.test_ops import point_at
from tests.factories import connect_account


def test_prices_refresh_fetches_what_the_scans_found(cli, cli_env, simulator, tmp_path):
    point_at(cli_env, simulator)
    cli_env["CLOUDCANVAS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'prices.db'}"
    settings = Settings(
        data_dir=cli_env["CLOUDCANVAS_DATA_DIR"],
        database_url=cli_env["CLOUDCANVAS_DATABASE_URL"],
        **settings_for(simulator),
    )
    upgrade(settings.resolved_database_url)
    database = Database.connect(settings.resolved_database_url)
    env = Environment.demo()
    data = encode_inventory(build_inventory(resource_rows(env), container_rows(env)))
    with database.session() as session:
        account = connect_account(session, settings, name="Demo")
        session.add(
            Snapshot(
                account_id=account.id, content_hash=hashlib.sha256(data).hexdigest(), data=data
            )
        )
    result = cli("prices", "refresh")
    assert "meters for" in result.stdout and "/api/retail/prices" in result.stdout
    with database.session() as session:
        assert (session.scalar(select(func.count()).select_from(CachedPrice)) or 0) > 50
    cli_env["CLOUDCANVAS_AZURE_PRICES_URL"] = "https://127.0.0.1:1/api/retail/prices"
    down = cli("prices", "refresh", ok=False)
    assert down.returncode == 1 and "unreachable" in down.stderr and "kept" in down.stderr
    database.dispose()
