"""The real Azure SDK against the built-in simulator, over HTTPS on loopback; nothing else.

A socket guard fails any test that looks up or connects to a host that is not loopback.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from cloudcanvas.azure import AzureEndpoints, Credentials, QuotaSource
from cloudcanvas.azure._quota import Quota
from cloudcanvas.simulator import Environment, RequestRecord, Simulator

TENANT = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
SUB_PROD = "0b1c2d3e-4f50-4a61-8b72-c3d4e5f60718"
SUB_LEGACY = "1c2d3e4f-5061-4b72-8c83-d4e5f6071829"
SUB_TRIAL = "2d3e4f50-6172-4c83-9d94-e5f60718293a"
SUB_OTHER = "3e4f5061-7283-4d94-8ea5-f60718293a4b"
SUB_BIG = "4f506172-8394-4ea5-9fb6-0718293a4b5c"
SUB_SMALL = "50617283-94a5-4fb6-a0c7-18293a4b5c6d"
HOLD_SECONDS = 3.0  # how long the simulator holds an answer for an injected timeout
BIG_RESOURCES = 3500
SMALL_RESOURCES = 120


@dataclass(frozen=True)
class App:
    app_id: str
    object_id: str
    secret: str
    secret_id: str

    def creds(self, subscription_id: str | None = None, **changes: Any) -> Credentials:
        values: dict[str, Any] = {
            "tenant_id": TENANT,
            "client_id": self.app_id,
            "client_secret": self.secret,
            "subscription_id": subscription_id,
        }
        values.update(changes)
        return Credentials(**values)


def _app(n: int, secret: str) -> App:
    return App(
        app_id=f"a{n}a0e1f2-0000-4000-8000-0000000000a{n}",
        object_id=f"0b{n}0e1f2-0000-4000-8000-0000000000b{n}",
        secret=secret,
        secret_id=f"5ec{n}e1f2-0000-4000-8000-0000000000c{n}",
    )


READER = _app(1, "Rd18Q~reader.secret-value_0123456789abcdef")
WRITER = _app(2, "Wr28Q~writer.secret-value_0123456789abcdef")
GROUP_ONLY = _app(3, "Gr38Q~group.secret-value_0123456789abcdefg")
EXPIRED = _app(4, "Ex48Q~expired.secret-value_0123456789abcde")
SCANNER = _app(5, "Sc58Q~scanner.secret-value_0123456789abcde")
SCANNER_TWO = _app(6, "Sc68Q~second.secret-value_0123456789abcdef")


def _resource(sub: str, group: str, n: int) -> dict[str, Any]:
    kind = n % 3
    provider, rtype, name = [
        ("Microsoft.Network", "virtualNetworks", f"vnet-{n:05d}"),
        ("Microsoft.Storage", "storageAccounts", f"st{n:05d}"),
        ("Microsoft.Network", "publicIPAddresses", f"pip-{n:05d}"),
    ][kind]
    return {
        "id": f"/subscriptions/{sub}/resourceGroups/{group}/providers/{provider}/{rtype}/{name}",
        "name": name,
        "type": f"{provider}/{rtype}",
        "location": "eastus" if n % 2 else "westeurope",
        "tags": {"n": str(n)},
        "properties": {"provisioningState": "Succeeded"},
    }


def environment() -> dict[str, Any]:
    def principal(app: App, expires: str = "2099-01-01T00:00:00Z") -> dict[str, Any]:
        return {
            "tenantId": TENANT,
            "appId": app.app_id,
            "objectId": app.object_id,
            "displayName": f"app {app.app_id[:2]}",
            "secrets": [{"id": app.secret_id, "value": app.secret, "expiresAt": expires}],
        }

    def sub(sid: str, name: str, state: str = "Enabled") -> dict[str, Any]:
        return {"subscriptionId": sid, "tenantId": TENANT, "displayName": name, "state": state}

    def role(app: App, scope: str, name: str = "Reader") -> dict[str, Any]:
        return {"principalId": app.object_id, "scope": scope, "role": name}

    resources = [_resource(SUB_PROD, "rg-app", n) for n in range(5)]
    resources += [_resource(SUB_BIG, f"rg-{n % 7}", n) for n in range(BIG_RESOURCES)]
    resources += [_resource(SUB_SMALL, "rg-small", n) for n in range(SMALL_RESOURCES)]
    return {
        "tenants": [{"id": TENANT, "displayName": "Contoso", "domains": ["contoso.example"]}],
        "principals": [
            principal(READER),
            principal(WRITER),
            principal(GROUP_ONLY),
            principal(EXPIRED, "2020-01-01T00:00:00Z"),
            principal(SCANNER),
            principal(SCANNER_TWO),
        ],
        "subscriptions": [
            sub(SUB_PROD, "Production"),
            sub(SUB_LEGACY, "Legacy", "Disabled"),
            sub(SUB_TRIAL, "Trial", "Warned"),
            sub(SUB_OTHER, "Other team"),
            sub(SUB_BIG, "Big"),
            sub(SUB_SMALL, "Small"),
        ],
        "roleAssignments": [
            role(READER, f"/subscriptions/{SUB_PROD}"),
            role(READER, f"/subscriptions/{SUB_LEGACY}"),
            role(READER, f"/subscriptions/{SUB_TRIAL}"),
            role(WRITER, f"/subscriptions/{SUB_PROD}", "Contributor"),
            role(GROUP_ONLY, f"/subscriptions/{SUB_PROD}/resourceGroups/rg-app"),
            role(EXPIRED, f"/subscriptions/{SUB_PROD}"),
            role(SCANNER, f"/subscriptions/{SUB_BIG}"),
            role(SCANNER, f"/subscriptions/{SUB_SMALL}"),
            role(SCANNER_TWO, f"/subscriptions/{SUB_SMALL}"),
        ],
        "resources": resources,
    }


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    with Simulator(Environment.from_dict(environment()), timeout_hold=HOLD_SECONDS) as running:
        yield running


def answered(sim: Simulator) -> list[RequestRecord]:
    """The simulator's log without answers held for a timeout (they land after their test)."""
    return [r for r in sim.requests if r.duration < HOLD_SECONDS - 0.2]


@pytest.fixture
def clean_sim(sim: Simulator) -> Iterator[Simulator]:
    """The shared simulator, with no faults, a fresh quota and an empty request log."""
    sim.clear_faults()
    sim.reset_quota()
    sim.set_graph_quota(15, 5.0)
    sim.set_latency(0.0)
    sim.reset_requests()
    yield sim
    sim.clear_faults()
    sim.set_latency(0.0)


@pytest.fixture
def fresh_quotas(clean_sim: Simulator) -> QuotaSource:
    """Each principal's quota as this process knows it, forgotten when the simulator's is.

    The process-wide record keeps what earlier tests learnt (a 15-query window); against a
    simulator whose window was just reset to a smaller one, that stale knowledge sends a burst
    the new window refuses.
    """
    known: dict[tuple[str, str], Quota] = {}

    def quota(tenant_id: str, client_id: str) -> Quota:
        return known.setdefault((tenant_id.lower(), client_id.lower()), Quota())

    return quota


@pytest.fixture
def endpoints(clean_sim: Simulator) -> AzureEndpoints:
    return AzureEndpoints(
        authority_host=clean_sim.base_url,
        resource_manager=clean_sim.base_url,
        ca_bundle=str(clean_sim.ca_bundle),
        custom=True,
        timeout=1.0,
    )


# --- the socket guard -----------------------------------------------------------------------


def _loopback(host: Any) -> bool:
    if host is None:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    return text in ("localhost", "::1", "") or text.startswith("127.")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    blocked: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            blocked.append(str(address[0]))
            raise OSError(f"test tried to reach {address[0]}: only loopback is allowed")

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            blocked.append(str(host))
            raise OSError(f"test tried to resolve {host}: only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield blocked
    assert not blocked, f"the test tried to leave the machine: {blocked}"
