"""Shared fixtures: one running simulator per session, SDK clients, and a socket guard."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from cloudcanvas.simulator import Environment, Simulator

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class LeftTheMachine(AssertionError):
    """A test tried to reach something that is not loopback."""


@pytest.fixture(autouse=True)
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any lookup of, or connection to, a non-loopback address."""
    attempts: list[str] = []

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(f"connect {address}")
            raise LeftTheMachine(f"blocked connection to {address}")
        return _real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(f"connect {address}")
            raise LeftTheMachine(f"blocked connection to {address}")
        return _real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            attempts.append(f"lookup {host}")
            raise LeftTheMachine(f"blocked lookup of {host}")
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == [], f"something tried to leave the machine: {attempts}"


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """The sample environment with tiny ARM pages, so paging shows with three subscriptions."""
    with Simulator(Environment.sample(), page_size=2, graph_quota=(10_000, 5.0)) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(sim: Simulator) -> Iterator[None]:
    yield
    sim.clear_faults()
    sim.set_latency(0.0)
