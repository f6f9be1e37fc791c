"""The small fixed sample environment (ids documented in docs/simulator.md)."""

from __future__ import annotations

from cloudcanvas.simulator.environment import (
    Environment,
    Principal,
    RoleAssignment,
    Secret,
    Subscription,
    Tenant,
    parse_time,
)

TENANT_ID = "5b1c9a3e-7d2f-4c8a-9e61-0a3f2d4b8c71"
READER_APP_ID = "3f0c2b7a-1d4e-4a6b-8c9d-2e5f7a1b3c4d"
READER_OBJECT_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
READER_SECRET = "Rdr8Q~kV3pZ.x7Lm2Nq_Tw9Ye4Hb6Uj1Ac5Dg0Fs"
WIZARD_APP_ID = "6e2d4f1a-8b3c-4d5e-9f6a-7b8c9d0e1f2a"
WIZARD_OBJECT_ID = "c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f"
WIZARD_SECRET = "Wzd5Q~pL8mN2.qR7sT_vX4yZ9aB3cD6eF1gH0jKm"
PRODUCTION_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
DEVELOPMENT_ID = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
LEGACY_ID = "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f"
SECRET_EXPIRY = "2030-01-01T00:00:00Z"
SAMPLE_SEED = 7


def sample_environment() -> Environment:
    """1 tenant, 2 principals, 3 subscriptions (Legacy is Disabled), about 40 resources."""
    from cloudcanvas.simulator.generator import add_topology

    env = Environment(
        tenants=[Tenant(TENANT_ID, "Contoso", ["contoso.onmicrosoft.com"])],
        principals=[
            _principal(READER_APP_ID, READER_OBJECT_ID, "cloudcanvas-reader", READER_SECRET, 1),
            _principal(WIZARD_APP_ID, WIZARD_OBJECT_ID, "cloudcanvas-wizard", WIZARD_SECRET, 2),
        ],
        subscriptions=[
            Subscription(PRODUCTION_ID, TENANT_ID, "Production"),
            Subscription(DEVELOPMENT_ID, TENANT_ID, "Development"),
            Subscription(LEGACY_ID, TENANT_ID, "Legacy", "Disabled"),
        ],
        role_assignments=[
            RoleAssignment(READER_OBJECT_ID, f"/subscriptions/{PRODUCTION_ID}"),
            RoleAssignment(WIZARD_OBJECT_ID, f"/subscriptions/{PRODUCTION_ID}"),
            RoleAssignment(WIZARD_OBJECT_ID, f"/subscriptions/{DEVELOPMENT_ID}"),
            RoleAssignment(WIZARD_OBJECT_ID, f"/subscriptions/{LEGACY_ID}"),
        ],
    )
    add_topology(env, PRODUCTION_ID, ("eastus",), seed=SAMPLE_SEED, size="small")
    add_topology(env, DEVELOPMENT_ID, ("westeurope",), seed=SAMPLE_SEED + 1, size="tiny")
    add_topology(env, LEGACY_ID, ("eastus",), seed=SAMPLE_SEED + 2, size="tiny")
    return env


def _principal(app_id: str, object_id: str, name: str, secret: str, n: int) -> Principal:
    secret_id = f"0000000{n}-5ec7-4e7a-9b1d-00000000000{n}"
    return Principal(
        TENANT_ID, app_id, object_id, name, [Secret(secret_id, secret, parse_time(SECRET_EXPIRY))]
    )
