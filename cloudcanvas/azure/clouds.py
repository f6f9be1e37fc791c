"""Which Azure endpoints to talk to: a national cloud, or a custom one (a simulator, Azure Stack)."""

from __future__ import annotations

from dataclasses import dataclass

from cloudcanvas.config import Settings


@dataclass(frozen=True)
class AzureEndpoints:
    """Where Entra ID and Resource Manager answer, and how to trust and wait for them.

    ``custom`` endpoints are not known to MSAL: instance discovery is turned off (it would call
    login.microsoftonline.com) and the token scope comes from the Resource Manager URL.
    """

    authority_host: str
    resource_manager: str
    ca_bundle: str | None = None
    custom: bool = False
    timeout: float = 30.0

    @property
    def scope(self) -> str:
        """The token scope that Resource Manager accepts (``<resource manager>/.default``)."""
        return f"{self.resource_manager.rstrip('/')}/.default"


def endpoints_from_settings(settings: Settings) -> AzureEndpoints:
    """The endpoints that ``CLOUDCANVAS_AZURE_*`` settings describe."""
    ca_bundle = settings.azure_ca_bundle
    return AzureEndpoints(
        authority_host=settings.authority_host.rstrip("/"),
        resource_manager=settings.resource_manager.rstrip("/"),
        ca_bundle=str(ca_bundle) if ca_bundle is not None else None,
        custom=settings.custom_azure_endpoints,
        timeout=settings.azure_timeout_seconds,
    )
