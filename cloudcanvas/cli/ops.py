"""Operator commands: ``worker``, ``scan``, ``keys rotate``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cloudcanvas.accounts import service as account_service
from cloudcanvas.accounts.vault import Keyring
from cloudcanvas.azure.clouds import endpoints_from_settings
from cloudcanvas.azure.credentials import Credentials
from cloudcanvas.azure.scanner import ScanProgress
from cloudcanvas.cli.session import command_session, fail
from cloudcanvas.config import get_settings, write_key_file
from cloudcanvas.diagram import RenderOptions
from cloudcanvas.errors import AppError
from cloudcanvas.inventory.oneshot import scan_to_diagram
from cloudcanvas.jobs.gc_tuning import tune_gc

keys_app = typer.Typer(help="The master key that seals client secrets.", no_args_is_help=True)


def worker(
    concurrency: Annotated[int, typer.Option(help="Scans run at once by this worker.")] = 2,
) -> None:
    """Run a Celery worker for scans (CLOUDCANVAS_JOBS_BACKEND=celery, CLOUDCANVAS_REDIS_URL)."""
    from cloudcanvas.jobs.celery_app import run_worker

    try:
        run_worker(get_settings(), concurrency=concurrency)
    except AppError as error:
        raise fail(error.message) from None


def scan(
    tenant: Annotated[str, typer.Option(help="Directory (tenant) ID.")],
    client_id: Annotated[str, typer.Option(help="Application (client) ID.")],
    client_secret_env: Annotated[
        str, typer.Option(help="Name of the environment variable that holds the client secret.")
    ],
    subscription: Annotated[list[str], typer.Option(help="Subscription ID (repeatable).")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    location: Annotated[str, typer.Option(help="Location to draw, or 'all'.")] = "all",
    fmt: Annotated[str, typer.Option("--format", help="svg, png, pdf, json or mxGraph.")] = "svg",
    projection: Annotated[str, typer.Option(help="isometric or 2d.")] = "isometric",
) -> None:
    """Scan subscriptions straight to a diagram file: no server, no database."""
    secret = os.environ.get(client_secret_env, "")
    if not secret:
        raise fail(f"the environment variable {client_secret_env} is empty or unset")
    settings = get_settings()
    tune_gc()
    creds = Credentials(tenant, client_id, secret, subscription[0] if subscription else None)
    console = Console(stderr=True)
    with _scan_bar(console) as bar:
        result = scan_to_diagram(
            endpoints_from_settings(settings),
            creds,
            [s.lower() for s in subscription],
            location=None if location == "all" else location.lower(),
            fmt=fmt,
            opts=RenderOptions(projection=projection),
            on_progress=bar,
        )
        bar.done(len(result.inventory))
    out.write_bytes(result.data)
    for failure in result.failures:
        console.print(f"[yellow]partial:[/] {failure.query}: {failure.message} ({failure.impact})")
    console.print(
        f"{len(result.inventory)} resources, {result.requests} requests → {out} ({len(result.data)} bytes)"
    )


class _ScanBar:
    """The live bar of pages and resources that ``scan`` shows on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("scan", total=None, pages=0, resources=0)

    def __call__(self, state: ScanProgress) -> None:
        self.progress.update(self.task, pages=state.pages, resources=state.resources)

    def done(self, resources: int) -> None:
        self.progress.update(self.task, total=1, completed=1, resources=resources)


@contextmanager
def _scan_bar(console: Console) -> Iterator[_ScanBar]:
    """The bar for one scan; an AppError stops it and becomes a clean exit."""
    columns = (
        TextColumn("[bold]scanning"),
        BarColumn(),
        TextColumn("{task.fields[pages]} pages · {task.fields[resources]} resources"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        try:
            yield _ScanBar(progress)
        except AppError as error:
            progress.stop()
            raise fail(error.message) from None


@keys_app.command("rotate")
def rotate() -> None:
    """Seal every client secret under a new master key, while the service runs."""
    settings = get_settings()
    if settings.secret_key is None:
        write_key_file(settings.key_file, [os.urandom(32).hex(), *settings.master_keys()])
    keyring = Keyring.from_settings(settings)
    with command_session(settings) as session:
        moved = account_service.rotate_keys(session, keyring=keyring)
    typer.echo(f"{moved} secrets sealed under key {keyring.current}")
