"""Endpoints from settings: national clouds, and a custom authority (a simulator, Azure Stack)."""

from __future__ import annotations

from pathlib import Path

from cloudcanvas.azure import endpoints_from_settings
from cloudcanvas.config import Settings


def test_the_public_cloud_by_default() -> None:
    endpoints = endpoints_from_settings(Settings())
    assert endpoints.authority_host == "https://login.microsoftonline.com"
    assert endpoints.resource_manager == "https://management.azure.com"
    assert endpoints.scope == "https://management.azure.com/.default"
    assert not endpoints.custom and endpoints.ca_bundle is None


def test_a_national_cloud() -> None:
    endpoints = endpoints_from_settings(Settings(azure_cloud="china"))
    assert endpoints.authority_host == "https://login.chinacloudapi.cn"
    assert endpoints.scope == "https://management.chinacloudapi.cn/.default"
    assert not endpoints.custom


def test_a_custom_authority_turns_instance_discovery_off(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    settings = Settings(
        azure_authority_host="https://127.0.0.1:8443/",
        azure_resource_manager="https://127.0.0.1:8443",
        azure_ca_bundle=bundle,
        azure_timeout_seconds=5,
    )
    endpoints = endpoints_from_settings(settings)
    assert endpoints.custom
    assert endpoints.scope == "https://127.0.0.1:8443/.default"
    assert (endpoints.ca_bundle, endpoints.timeout) == (str(bundle), 5)
