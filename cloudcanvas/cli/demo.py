"""``cloudcanvas demo``: the whole product on one machine, no Azure needed.

The simulator serves the packaged demo estate; a Pro organization with an owner has the Production
subscription connected and scanned, so the diagram is there at once; a second principal, which
reads the Development subscription, is printed for walking the Add wizard. The simulated estate
drifts (a storage account added, tags changed, a resource deleted in every subscription, at most
once a minute) and answers with Azure's latency, so scans take a moment and "what changed" has
something to say. Running it again keeps the data; Ctrl-C stops everything.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from cloudcanvas.accounts import repository as account_repository
from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.schemas import AccountCreate
from cloudcanvas.config import Settings, get_settings
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity import service as identity_service
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.jobs import scan_job
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.report import principal_summaries
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade

ORG, EMAIL = "Demo", "demo@cloudcanvas.local"
SIMULATOR_PORT = 8443
DRIFT_SEED = 2024
MAX_REPLAYED_STEPS = 1000
# The repository's troubleshooting page, served by the demo at HELP_PATH as the support link.
TROUBLESHOOTING = Path(__file__).resolve().parents[2] / "docs" / "troubleshooting.md"
HELP_PATH = "/help/troubleshooting"


def _free(port: int) -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        return port if sock.connect_ex(("127.0.0.1", port)) != 0 else 0


def _owner_and_key(database: Database, key_file: Path) -> tuple[str, str]:
    """The demo owner with a fresh password, and the demo's API key (both printed; data is kept).

    The key stays valid across restarts of the same data directory, so scripts written against
    it keep working: its plain text is kept beside the data (owner-only), only its hash in the
    database, as for every key. A key revoked meanwhile is replaced.
    """
    password = secrets.token_urlsafe(9)
    with database.session() as session:
        user = identity_repository.get_user_by_email(session, EMAIL)
        if user is None:
            organization = identity_service.create_organization(session, name=ORG, plan="pro")
            user = identity_service.create_user(
                session, organization=organization, email=EMAIL, password=password, role="owner"
            )
        else:
            identity_service.set_password(session, user=user, password=password)
        kept = key_file.read_text(encoding="utf-8").strip() if key_file.exists() else ""
        if kept and _still_valid(session, kept):
            return password, kept
        _, key_text = identity_service.create_api_key(
            session, user=user, access="readwrite", name="demo"
        )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key_text + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return password, key_text


def _still_valid(session: Session, plain: str) -> bool:
    # Looked up, not authenticated: starting the demo is not a use of the key.
    key = identity_repository.get_api_key_by_hash(session, identity_service.digest(plain))
    return key is not None and key.revoked_at is None


def _connect_and_scan(database: Database, settings: Settings, env: Environment) -> None:
    reader = env.principals[0]
    subscription = env.subscriptions[0]
    with database.session() as session:
        user = identity_repository.get_user_by_email(session, EMAIL)
        assert user is not None
        actor = identity_service.actor_for(session, user)
        existing = account_repository.list_for_organization(session, actor.organization_id)
        if existing:
            account = existing[0]
        else:
            data = AccountCreate.model_validate(
                {
                    "name": subscription.display_name,
                    "subscriptionId": subscription.subscription_id,
                    "directoryId": reader.tenant_id,
                    "applicationId": reader.app_id,
                    "clientSecret": reader.secret,
                }
            )
            azure = account_service.AzureContext.from_settings(settings)
            account = account_service.create_account(session, actor=actor, data=data, azure=azure)
        scan, created = inventory_service.start_scan(
            session, account=account, actor=None, trigger="demo"
        )
        scan_id = scan.id if created else None
    if scan_id:
        scan_job.run_scan(database, account_service.AzureContext.from_settings(settings), scan_id)


def _banner(
    url: str, password: str, api_key: str, env: Environment, estate: str, support: str
) -> str:
    """What the newcomer needs: where to go, how to log in, and a second app for the wizard."""
    second = principal_summaries(env)[1]
    secret_ids = [s.id for s in env.principals[1].secrets]
    return "\n".join(
        [
            "",
            f"cloudcanvas demo: {url}",
            f"  login:     {EMAIL}",
            f"  password:  {password}",
            f"  API key:   {api_key}  (kept across restarts of this data directory)",
            "",
            "Azure simulator, second principal (walk the Add Azure Account wizard with it):",
            f"  Directory (tenant) ID:    {second['tenantId']}",
            f"  Application (client) ID:  {second['appId']}",
            f"  Client secret value:      {second['secret']}",
            f"  Client secret ID:         {', '.join(secret_ids)}"
            "  (paste it as the secret to see the wizard tell them apart)",
            f"  Subscriptions:            {', '.join(second['subscriptions'])}"
            "  (not connected yet)",
            "",
            f"Simulated Azure: {estate}",
            f"Support link in error messages: {support}",
            "",
            "Press Ctrl-C to stop.",
        ]
    )


def _replay_drift(sim: Simulator, steps_file: Path) -> None:
    """Take again the drift steps of the demo's earlier runs on this data directory.

    Drift is deterministic, so the estate is where the last run left it and the first scan of this
    run does not report the earlier drift undone.
    """
    text = steps_file.read_text(encoding="utf-8").strip() if steps_file.exists() else ""
    for _ in range(min(int(text) if text.isdigit() else 0, MAX_REPLAYED_STEPS)):
        sim.drift_step()


def _serve_troubleshooting(app: FastAPI) -> bool:
    """Serve docs/troubleshooting.md at HELP_PATH (when the repository is there)."""
    if not TROUBLESHOOTING.is_file():
        return False
    text = TROUBLESHOOTING.read_text(encoding="utf-8")

    def troubleshooting() -> PlainTextResponse:
        return PlainTextResponse(text, media_type="text/plain; charset=utf-8")

    app.add_api_route(HELP_PATH, troubleshooting, methods=["GET"], include_in_schema=False)
    return True


def demo(
    port: Annotated[int, typer.Option(help="Port of the web UI and API.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    latency: Annotated[
        float, typer.Option(min=0, help="Seconds the simulated Azure takes per request.")
    ] = 0.2,
    drift_interval: Annotated[
        float,
        typer.Option(min=0, help="Seconds between two changes of the simulated estate (0: never)."),
    ] = 60.0,
) -> None:
    """Run cloudcanvas with the built-in Azure simulator and a connected, scanned subscription."""
    import uvicorn

    from cloudcanvas.app import create_app

    base = get_settings()
    env = Environment.demo()
    cert_dir = base.data_dir / "simulator"
    simulator = Simulator(
        env,
        cert_dir=cert_dir,
        port=_free(SIMULATOR_PORT),
        latency=latency,
        drift_seed=DRIFT_SEED if drift_interval > 0 else None,
        drift_interval=drift_interval,
    )
    url = f"http://{host}:{port}"
    help_url = url + HELP_PATH
    own_support = "CLOUDCANVAS_SUPPORT_URL" in os.environ or not TROUBLESHOOTING.is_file()
    with simulator as sim:
        update: dict[str, object] = {
            "azure_authority_host": sim.base_url,
            "azure_resource_manager": sim.base_url,
            "azure_ca_bundle": sim.ca_bundle,
            "azure_prices_url": f"{sim.base_url}/api/retail/prices",
        }
        if not own_support:
            update["support_url"] = help_url
        settings = base.model_copy(update=update)
        upgrade(settings.resolved_database_url)
        database = Database.connect(settings.resolved_database_url)
        password, api_key = _owner_and_key(database, settings.data_dir / "demo-api-key")
        steps_file = cert_dir / "drift-steps"
        if drift_interval > 0:
            _replay_drift(sim, steps_file)
        _connect_and_scan(database, settings, env)
        estate = f"{latency:g} s per request; " + (
            f"the estate changes every {drift_interval:g} s (seed {DRIFT_SEED}): rescan to see it"
            if drift_interval > 0
            else "the estate never changes (--drift-interval 0)"
        )
        typer.echo(_banner(url, password, api_key, env, estate, settings.support_url))
        app = create_app(settings, database=database)
        _serve_troubleshooting(app)
        # uvicorn raises the signal that stopped it again once it has: SIGTERM, like Ctrl-C,
        # then leaves through the `finally` below instead of ending the process on the spot.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            uvicorn.run(app, host=host, port=port, log_level="warning")
        finally:
            if drift_interval > 0:
                steps_file.write_text(f"{len(sim.drift_steps)}\n", encoding="utf-8")
            database.dispose()
