"""``cloudcanvas prices refresh``: re-read the Retail Prices API for what the scans found."""

from __future__ import annotations

import typer

from cloudcanvas.cli.session import command_session, fail
from cloudcanvas.config import get_settings
from cloudcanvas.cost import service as cost_service

prices_app = typer.Typer(help="The Azure price list cache.", no_args_is_help=True)


@prices_app.command("refresh")
def refresh() -> None:
    """Fetch the prices of the SKUs and regions of every account's latest scan (filtered lookups)."""
    settings = get_settings()
    with command_session(settings) as session:
        done = cost_service.refresh_prices(session, settings=settings)
    typer.echo(
        f"{done.meters} meters for {done.lookups} lookups in {done.requests} requests "
        f"from {settings.azure_prices_url}"
    )
    if done.error:
        raise fail(f"{done.error}; the cached prices were kept")
