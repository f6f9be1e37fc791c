from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.accounts import service as account_service
from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.simulator import Simulator
from cloudcanvas.store.database import Database
from tests.azure_env import settings_for
from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.factories import PASSWORD, connect_account, make_org, make_user
from tests.live import LiveServer, start_live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, simulator: Simulator) -> Iterator[LiveServer]:
    """cloudcanvas served on loopback with its own database, its Azure the simulator; one per
    test module."""
    live = start_live_server(tmp_path_factory.mktemp("server"), **settings_for(simulator))
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def web_settings(tmp_path: Path, simulator: Simulator) -> Settings:
    """Settings of an app whose Azure is the simulator (for tests over HTTP without a browser)."""
    return Settings(data_dir=tmp_path, secret_key="k", **settings_for(simulator))


@pytest.fixture
def web_db(database_url: str) -> Iterator[Database]:
    db = Database.connect(database_url)
    yield db
    db.dispose()


@contextmanager
def signed_in(settings: Settings, db: Database, email: str) -> Iterator[TestClient]:
    """A client of a new app on ``db`` (its caches empty, no schedule), signed in as ``email``."""
    from tests.web.test_login_security import login

    app = create_app(settings, database=db, schedule=False)
    with TestClient(app, follow_redirects=False) as client:
        assert login(client, email, PASSWORD).status_code == 303
        yield client


def scanned_account(settings: Settings, db: Database) -> tuple[str, str]:
    """An owner and the simulated Production subscription they connected, scanned once:
    (the owner's email, the account id)."""
    with db.session() as session:
        owner = make_user(session, make_org(session, plan="pro"), role="owner")
        account = connect_account(session, settings, owner)
        scan, _ = inventory_service.start_scan(session, account=account, actor=None)
        email, account_id, scan_id = owner.email, account.id, scan.id
    scan_job.run_scan(db, account_service.AzureContext.from_settings(settings), scan_id)
    return email, account_id
