"""Entra ID: tokens and every AADSTS error, through the official azure-identity, sync and async."""

from __future__ import annotations

import asyncio
import re

import pytest
from azure.core.exceptions import ClientAuthenticationError

from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator import sample as ids
from tests.simulator.sdk import async_credential, sync_credential

SCOPE = "https://management.azure.com/.default"


def aadsts(exc: BaseException) -> str | None:
    match = re.search(r"AADSTS(\d+)", str(exc))
    return match.group(1) if match else None


def sync_error(sim: Simulator, **kw: str) -> ClientAuthenticationError:
    with pytest.raises(ClientAuthenticationError) as info:
        sync_credential(sim, retry_total=0, **kw).get_token(SCOPE)
    return info.value


def async_error(sim: Simulator, **kw: str) -> ClientAuthenticationError:
    async def attempt() -> None:
        async with async_credential(sim, retry_total=0, **kw) as cred:
            await cred.get_token(SCOPE)

    with pytest.raises(ClientAuthenticationError) as info:
        asyncio.run(attempt())
    return info.value


def test_sync_credential_gets_a_token(sim: Simulator) -> None:
    token = sync_credential(sim).get_token(SCOPE)
    assert token.token.count(".") == 2
    assert token.expires_on > 0


def test_async_credential_gets_a_token(sim: Simulator) -> None:
    async def fetch() -> str:
        async with async_credential(sim) as cred:
            token: str = (await cred.get_token(SCOPE)).token
            return token

    assert asyncio.run(fetch()).count(".") == 2


def test_sync_flow_discovers_then_posts_and_async_only_posts(sim: Simulator) -> None:
    sim.reset_requests()
    sync_credential(sim).get_token(SCOPE)
    assert [r.route for r in sim.requests] == ["discovery", "token"]
    sim.reset_requests()

    async def fetch() -> None:
        async with async_credential(sim) as cred:
            await cred.get_token(SCOPE)

    asyncio.run(fetch())
    assert [r.route for r in sim.requests] == ["token"]
    assert sim.requests[0].app_id == ids.WIZARD_APP_ID


def test_wrong_secret_is_7000215(sim: Simulator) -> None:
    wrong = "Bad8Q~" + "x" * 34
    assert aadsts(sync_error(sim, secret=wrong)) == "7000215"
    exc = async_error(sim, secret=wrong)
    assert aadsts(exc) == "7000215"
    assert exc.status_code == 401
    assert "invalid_client" in str(exc)


def test_secret_id_pasted_instead_of_value_is_7000215(sim: Simulator) -> None:
    secret_id = "00000002-5ec7-4e7a-9b1d-000000000002"
    assert aadsts(sync_error(sim, secret=secret_id)) == "7000215"


def test_unknown_application_is_700016(sim: Simulator) -> None:
    app = "0badc0de-0000-4000-8000-000000000000"
    exc = sync_error(sim, app=app)
    assert aadsts(exc) == "700016"
    assert app in str(exc)
    exc = async_error(sim, app=app)
    assert aadsts(exc) == "700016"
    assert exc.status_code == 400


def test_unknown_tenant_is_90002_async_and_fails_discovery_sync(sim: Simulator) -> None:
    tenant = "0badc0de-1111-4000-8000-000000000000"
    exc = sync_error(sim, tenant=tenant)
    assert "Unable to get authority configuration" in str(exc)
    exc = async_error(sim, tenant=tenant)
    assert aadsts(exc) == "90002"
    assert exc.status_code == 400


def test_discovery_answers_90002_for_an_unknown_tenant(sim: Simulator) -> None:
    import requests

    url = (
        f"{sim.base_url}/0badc0de-1111-4000-8000-000000000000/v2.0/.well-known/openid-configuration"
    )
    response = requests.get(url, verify=str(sim.ca_bundle), timeout=5)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_tenant"
    assert body["error_codes"] == [90002]
    assert body["error_description"].startswith("AADSTS90002: Tenant '0badc0de")


def test_malformed_tenant_is_900023(sim: Simulator) -> None:
    exc = async_error(sim, tenant="not-a-tenant")
    assert aadsts(exc) == "900023"
    assert exc.status_code == 400
    assert "Unable to get authority configuration" in str(sync_error(sim, tenant="not-a-tenant"))


def test_tenant_by_domain_name_works(sim: Simulator) -> None:
    assert sync_credential(sim, tenant="contoso.onmicrosoft.com").get_token(SCOPE).token


def test_expired_secret_is_7000222_and_rotation_restores_access() -> None:
    with Simulator() as own:
        own.expire_secret(ids.READER_APP_ID)
        exc = sync_error(own, app=ids.READER_APP_ID, secret=ids.READER_SECRET)
        assert aadsts(exc) == "7000222"
        exc = async_error(own, app=ids.READER_APP_ID, secret=ids.READER_SECRET)
        assert aadsts(exc) == "7000222"
        assert exc.status_code == 401
        new = own.rotate_secret(ids.READER_APP_ID)
        assert len(new) == 40 and new[4:6] == "Q~"
        assert aadsts(sync_error(own, app=ids.READER_APP_ID, secret=ids.READER_SECRET)) == "7000215"
        token = sync_credential(own, app=ids.READER_APP_ID, secret=new).get_token(SCOPE)
        assert token.token


def test_socket_guard_blocks_anything_but_loopback(socket_guard: list[str]) -> None:
    import socket

    from tests.simulator.conftest import LeftTheMachine

    with pytest.raises(LeftTheMachine):
        socket.create_connection(("203.0.113.7", 443), timeout=1)
    with pytest.raises(LeftTheMachine):
        socket.getaddrinfo("login.microsoftonline.com", 443)
    assert len(socket_guard) == 2
    socket_guard.clear()
