"""``cloudcanvas simulator``: run the local Azure simulator in the foreground."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from cloudcanvas.simulator import Environment, Simulator, generate_environment
from cloudcanvas.simulator.report import describe


def simulator(
    port: Annotated[int, typer.Option(help="TCP port; 0 picks a free one.")] = 0,
    env: Annotated[
        Path | None, typer.Option(help="Environment JSON file (see docs/simulator.md).")
    ] = None,
    generate: Annotated[
        int | None, typer.Option(help="Generate an environment with this many resources.")
    ] = None,
    cert_dir: Annotated[
        Path | None, typer.Option(help="Where the CA and certificate live (kept across runs).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback).")] = "127.0.0.1",
    latency: Annotated[
        float, typer.Option(min=0, help="Seconds added to every request (Azure takes 0.1-0.5).")
    ] = 0.0,
    drift_seed: Annotated[
        int | None,
        typer.Option(
            help="Let the estate drift (resources added, changed, removed) with this seed."
        ),
    ] = None,
    drift_interval: Annotated[
        float, typer.Option(min=0, help="Seconds between two drift steps (0: only on request).")
    ] = 60.0,
) -> None:
    """Run the Azure simulator (Entra ID + ARM + Resource Graph over HTTPS) until Ctrl-C."""
    if env is not None and generate is not None:
        raise typer.BadParameter("give --env or --generate, not both")
    if env is not None:
        environment = Environment.from_file(env)
    elif generate is not None:
        environment = generate_environment(resources=generate)
    else:
        environment = Environment.sample()
    try:
        with Simulator(
            environment,
            cert_dir=cert_dir,
            host=host,
            port=port,
            latency=latency,
            drift_seed=drift_seed,
            drift_interval=drift_interval,
        ) as sim:
            typer.echo(describe(sim))
            if latency > 0:
                typer.echo(f"latency:    {latency:g} s per request")
            if drift_seed is not None:
                every = f"every {drift_interval:g} s" if drift_interval > 0 else "on request"
                typer.echo(
                    f"drift:      seed {drift_seed}, a step {every} "
                    f"(POST {sim.base_url}/_simulator/drift takes one now)"
                )
            typer.echo("Press Ctrl-C to stop.")
            threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopped")
