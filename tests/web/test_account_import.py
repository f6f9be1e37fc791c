"""The CSV import over HTTP on the real app, database and simulated Azure (no browser): every
account it connects is scanned at once, as the Add wizard's are."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.models import AzureAccount, Scan
from tests.azure_env import PRODUCTION, READER, TENANT
from tests.factories import make_org, make_user
from tests.web.conftest import signed_in

CSV = (
    "name,subscriptionId,directoryId,applicationId,clientSecret\n"
    f"Imported prod,{PRODUCTION},{TENANT},{READER.app_id},{READER.secret}\n"
    f"Wrong secret,{PRODUCTION},{TENANT},{READER.app_id},Nope8Q~wrong-secret.value_01234567\n"
)


@pytest.fixture
def owner_client(web_settings: Settings, web_db: Database) -> Iterator[TestClient]:
    with web_db.session() as session:
        email = make_user(session, make_org(session, plan="pro"), role="owner").email
    with signed_in(web_settings, web_db, email) as client:
        yield client


def imported(client: TestClient, text: str) -> str:
    page = client.get("/azure/accounts/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, page.text
    answer = client.post(
        "/azure/accounts/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("accounts.csv", text.encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.text)


def scans_of(db: Database, name: str) -> list[Scan]:
    with db.session() as session:
        query = select(Scan).join(AzureAccount).where(AzureAccount.name == name)
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def test_imported_accounts_are_scanned_at_once(owner_client: TestClient, web_db: Database):
    page = imported(owner_client, CSV)
    assert "1 of 2 accounts connected" in page
    assert "Connected; its first scan has started." in page
    [scan] = scans_of(web_db, "Imported prod")
    assert scan.trigger == "import"
    for _ in range(600):
        if scan.status not in ("queued", "running"):
            break
        time.sleep(0.05)
        [scan] = scans_of(web_db, "Imported prod")
    assert scan.status == "succeeded", (scan.status, scan.error_message)
    assert scan.counts["resources"] > 10 and scan.snapshot_id is not None
