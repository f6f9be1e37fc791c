"""A scan straight to a diagram file, without a server or a database (``cloudcanvas scan``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import CheckStage, Credentials, check_credentials
from cloudcanvas.azure.scanner import QueryFailure, ScanProgress, scan_subscriptions
from cloudcanvas.diagram import RenderOptions, render
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory


@dataclass
class OneShot:
    data: bytes
    inventory: Inventory
    failures: list[QueryFailure]
    requests: int


def scan_to_diagram(
    endpoints: AzureEndpoints,
    creds: Credentials,
    subscription_ids: list[str],
    *,
    location: str | None,
    fmt: str,
    opts: RenderOptions,
    on_progress: Callable[[ScanProgress], None] | None = None,
) -> OneShot:
    """Check the credentials, scan, normalize and render; raises when the check fails."""
    check_credentials(endpoints, creds, through=CheckStage.token).raise_for_failure()
    result = scan_subscriptions(endpoints, creds, subscription_ids, on_progress=on_progress)
    inventory = build_inventory(result.resources, result.containers)
    data = render(to_graph(inventory, location), fmt, opts)
    return OneShot(data, inventory, result.failures, result.requests)
