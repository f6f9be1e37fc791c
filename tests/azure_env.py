"""The simulated Azure that account, scan and web tests connect to: the simulator's sample estate
plus principals for the failures a user meets (a role on a resource group only, a Contributor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cloudcanvas.config import Settings
from cloudcanvas.simulator import Environment, Principal, RoleAssignment, Secret, Simulator, sample

TENANT = sample.TENANT_ID
PRODUCTION = sample.PRODUCTION_ID
DEVELOPMENT = sample.DEVELOPMENT_ID
LEGACY = sample.LEGACY_ID
UNKNOWN_GUID = "0f0e0d0c-0b0a-4909-8807-060504030201"


@dataclass(frozen=True)
class App:
    app_id: str
    object_id: str
    secret: str
    secret_id: str


READER = App(
    sample.READER_APP_ID,
    sample.READER_OBJECT_ID,
    sample.READER_SECRET,
    "00000001-5ec7-4e7a-9b1d-000000000001",
)
WIZARD = App(
    sample.WIZARD_APP_ID,
    sample.WIZARD_OBJECT_ID,
    sample.WIZARD_SECRET,
    "00000002-5ec7-4e7a-9b1d-000000000002",
)
GROUP_ONLY = App(
    "7a1b2c3d-0000-4000-8000-00000000a007",
    "7b1b2c3d-0000-4000-8000-00000000b007",
    "Grp7Q~group.only-secret_value0123456789ab",
    "7c1b2c3d-0000-4000-8000-00000000c007",
)
CONTRIBUTOR = App(
    "8a1b2c3d-0000-4000-8000-00000000a008",
    "8b1b2c3d-0000-4000-8000-00000000b008",
    "Ctb8Q~contributor-secret_value0123456789",
    "8c1b2c3d-0000-4000-8000-00000000c008",
)
EXPIRING = App(
    "9a1b2c3d-0000-4000-8000-00000000a009",
    "9b1b2c3d-0000-4000-8000-00000000b009",
    "Exp9Q~expiring.secret-value_0123456789ab",
    "9c1b2c3d-0000-4000-8000-00000000c009",
)


def _principal(app: App, name: str) -> Principal:
    expiry = datetime(2030, 1, 1, tzinfo=UTC)
    return Principal(
        TENANT, app.app_id, app.object_id, name, [Secret(app.secret_id, app.secret, expiry)]
    )


def make_environment() -> Environment:
    env = Environment.sample()
    env.principals += [
        _principal(GROUP_ONLY, "group-only"),
        _principal(CONTRIBUTOR, "contributor"),
        _principal(EXPIRING, "expiring"),
    ]
    rg = next(
        g.id for g in env.resource_groups if g.id.lower().startswith(f"/subscriptions/{PRODUCTION}")
    )
    env.role_assignments += [
        RoleAssignment(GROUP_ONLY.object_id, rg),
        RoleAssignment(CONTRIBUTOR.object_id, f"/subscriptions/{PRODUCTION}", "Contributor"),
        RoleAssignment(EXPIRING.object_id, f"/subscriptions/{PRODUCTION}"),
    ]
    return env


def settings_for(simulator: Simulator, **overrides: object) -> dict[str, object]:
    """The settings that point cloudcanvas at the simulator (as a user would set them)."""
    return {
        "azure_authority_host": simulator.base_url,
        "azure_resource_manager": simulator.base_url,
        "azure_ca_bundle": simulator.ca_bundle,
        "azure_prices_url": f"{simulator.base_url}/api/retail/prices",
        "azure_timeout_seconds": 10.0,
        **overrides,
    }


def simulated_settings(simulator: Simulator, base: Settings) -> Settings:
    return base.model_copy(update=settings_for(simulator))
