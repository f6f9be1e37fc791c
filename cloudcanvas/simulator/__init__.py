"""A local HTTPS Azure (Entra ID + ARM + Resource Graph) that the official SDK talks to unchanged."""

from cloudcanvas.simulator.environment import (
    Environment,
    Principal,
    ResourceGroup,
    RoleAssignment,
    Secret,
    Subscription,
    Tenant,
)
from cloudcanvas.simulator.generator import generate_environment
from cloudcanvas.simulator.server import Simulator
from cloudcanvas.simulator.state import RequestRecord

__all__ = [
    "Environment",
    "Principal",
    "RequestRecord",
    "ResourceGroup",
    "RoleAssignment",
    "Secret",
    "Simulator",
    "Subscription",
    "Tenant",
    "generate_environment",
]
