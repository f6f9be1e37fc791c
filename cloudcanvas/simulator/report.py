"""Human-readable summary of a running simulator: where it is and who can sign in."""

from __future__ import annotations

from typing import Any

from cloudcanvas.simulator import access
from cloudcanvas.simulator.environment import Environment
from cloudcanvas.simulator.server import Simulator


def principal_summaries(env: Environment) -> list[dict[str, Any]]:
    """Per principal: tenant, application id, secret value, and the subscriptions it can read."""
    summaries = []
    for p in env.principals:
        prefixes = access.readable_prefixes(env, p.object_id)
        readable = [s for s in env.subscriptions if access.can_read(prefixes, s.id)]
        summaries.append(
            {
                "displayName": p.display_name,
                "tenantId": p.tenant_id,
                "appId": p.app_id,
                "objectId": p.object_id,
                "secret": p.secret,
                "subscriptions": [
                    f"{s.subscription_id} ({s.display_name}, {s.state})" for s in readable
                ],
            }
        )
    return summaries


def describe(sim: Simulator) -> str:
    lines = [
        f"Azure simulator on {sim.base_url}",
        f"  CA bundle:  {sim.ca_bundle}",
        f"  resources:  {len(sim.env.resources)} in {len(sim.env.subscriptions)} subscriptions",
        "  settings:   CLOUDCANVAS_AZURE_AUTHORITY_HOST="
        f"{sim.base_url} CLOUDCANVAS_AZURE_RESOURCE_MANAGER={sim.base_url} "
        f"CLOUDCANVAS_AZURE_CA_BUNDLE={sim.ca_bundle}",
    ]
    for s in principal_summaries(sim.env):
        lines += [
            f"principal {s['displayName']}",
            f"  tenant (directory) id:    {s['tenantId']}",
            f"  application (client) id:  {s['appId']}",
            f"  client secret:            {s['secret']}",
        ]
        lines += [f"  can read subscription:    {sub}" for sub in s["subscriptions"]]
    return "\n".join(lines)
