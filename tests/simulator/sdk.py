"""Builders for the official SDK pointed at a running simulator."""

from __future__ import annotations

from typing import Any

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids


def sync_credential(
    sim: Simulator,
    app: str = ids.WIZARD_APP_ID,
    secret: str = ids.WIZARD_SECRET,
    tenant: str = ids.TENANT_ID,
    **kw: Any,
) -> Any:
    from azure.identity import ClientSecretCredential

    return ClientSecretCredential(
        tenant,
        app,
        secret,
        authority=sim.base_url,
        disable_instance_discovery=True,
        connection_verify=str(sim.ca_bundle),
        **kw,
    )


def async_credential(
    sim: Simulator,
    app: str = ids.WIZARD_APP_ID,
    secret: str = ids.WIZARD_SECRET,
    tenant: str = ids.TENANT_ID,
    **kw: Any,
) -> Any:
    from azure.identity.aio import ClientSecretCredential

    return ClientSecretCredential(
        tenant, app, secret, authority=sim.base_url, connection_verify=str(sim.ca_bundle), **kw
    )


def arm_kwargs(sim: Simulator, **kw: Any) -> dict[str, Any]:
    return {"base_url": sim.base_url, "connection_verify": str(sim.ca_bundle), **kw}
