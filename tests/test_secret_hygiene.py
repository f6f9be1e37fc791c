"""After a full add, edit, scan, export and remove cycle, the client secret's plain text is in no
table, log line, response or export."""

import logging
import time

import httpx
import pytest
from sqlalchemy import MetaData, select

from cloudcanvas.identity import service as identity_service
from tests.azure_env import PRODUCTION, READER, TENANT, settings_for
from tests.factories import make_org, make_user
from tests.live import start_live_server


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def server(tmp_path, simulator):
    server = start_live_server(tmp_path, **settings_for(simulator))
    yield server
    server.stop()


def dump_tables(engine) -> str:
    metadata = MetaData()
    metadata.reflect(engine)
    chunks: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                chunks.extend(repr(v) for v in row)
    return "\n".join(chunks)


def test_the_secret_leaves_no_trace(server, capfd):
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    seen: list[bytes] = []
    try:
        with server.db.session() as session:
            user = make_user(session, make_org(session), role="owner")
            _, key = identity_service.create_api_key(session, user=user, access="readwrite")
        client = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        )
        body = {
            "name": "Prod",
            "subscriptionId": PRODUCTION,
            "directoryId": TENANT,
            "applicationId": READER.app_id,
            "clientSecret": READER.secret,
        }
        responses = [client.post("/api/azure/account", json=body)]
        account_id = responses[0].json()["id"]
        responses.append(
            client.post("/api/azure/account", json=body | {"clientSecret": READER.secret + "x"})
        )
        responses.append(
            client.put(
                f"/api/azure/account/{account_id}",
                json={"clientSecret": READER.secret, "name": "P2"},
            )
        )
        responses.append(client.post(f"/api/azure/account/{account_id}/scans"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            scans = client.get(f"/api/azure/account/{account_id}/scans")
            if scans.json()["scans"][0]["status"] not in ("queued", "running"):
                break
            time.sleep(0.2)
        responses.append(scans)
        for fmt in ("json", "svg", "png", "pdf", "mxGraph"):
            responses.append(client.get(f"/api/azure/account/{account_id}/all/{fmt}"))
            assert responses[-1].status_code == 200, responses[-1].text
        responses += [client.get("/api/azure/account"), client.get("/api/audit")]
        tables_during = dump_tables(server.db.engine)
        responses.append(client.delete(f"/api/azure/account/{account_id}"))
        tables_after = dump_tables(server.db.engine)
        seen = [r.content + str(r.headers).encode() for r in responses]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    secret = READER.secret
    assert responses[1].status_code == 400  # a wrong secret: the error must not echo it either
    for content in seen:
        assert secret.encode() not in content
    assert secret not in tables_during and secret not in tables_after
    assert secret not in "\n".join(handler.lines)
    out, err = capfd.readouterr()
    assert secret not in out + err
    with server.db.engine.connect() as conn:
        for table in ("azure_accounts", "scans", "snapshots"):
            column = "id" if table == "azure_accounts" else "account_id"
            rows = conn.exec_driver_sql(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", (account_id,)
            )
            assert rows.scalar() == 0, f"{table} still holds rows of the removed account"
