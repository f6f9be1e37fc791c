"""The wizard's first step asks Entra ID whether the directory exists, before any secret."""

from cloudcanvas.azure.clouds import AzureEndpoints, endpoints_from_settings
from cloudcanvas.azure.directory import check_directory
from tests.azure_env import TENANT, UNKNOWN_GUID


def test_known_unknown_and_unreachable_directories(azure_settings, simulator):
    endpoints = endpoints_from_settings(azure_settings)
    assert check_directory(endpoints, TENANT).ok
    unknown = check_directory(endpoints, UNKNOWN_GUID)
    assert (unknown.ok, unknown.code, unknown.field) == (
        False,
        "directory_not_found",
        "directoryId",
    )
    simulator.inject_fault("discovery", status=503, count=5)
    try:
        down = check_directory(endpoints, TENANT)
    finally:
        simulator.clear_faults()
    assert down.code == "azure_unavailable" and "nothing is wrong" in down.message
    nowhere = AzureEndpoints(
        "https://127.0.0.1:9", "https://127.0.0.1:9", None, custom=True, timeout=2
    )
    assert check_directory(nowhere, TENANT).code == "azure_unavailable"
