"""A Resource Graph client on the SDK's own ARM pipeline, returning plain rows.

``ResourceGraphClient.resources()`` runs every row of every page through msrest's generic
``deserialize_object`` (the rows are typed ``object``): measured at about 230 ms a page of 1000
rows, more than the request itself. The rows are JSON dicts before and after it, so this client
sends the same request (``POST /providers/Microsoft.ResourceGraph/resources``, api-version
2021-03-01, the same body) through the same azure-core pipeline: bearer token from the
credential, ARM error format, hooks and timeouts. Only that walk is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from azure.core import PipelineClient
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import policies
from azure.core.rest import HttpRequest
from azure.identity import ClientSecretCredential
from azure.mgmt.core.exceptions import ARMErrorFormat
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

from cloudcanvas.azure import _sdk
from cloudcanvas.azure.clouds import AzureEndpoints

API_VERSION = "2021-03-01"
PATH = "/providers/Microsoft.ResourceGraph/resources"


class GraphClient:
    """``query(body)`` → (the decoded response body, the response headers)."""

    def __init__(
        self,
        endpoints: AzureEndpoints,
        credential: ClientSecretCredential,
        *,
        on_request: Callable[[Any], None] | None = None,
    ) -> None:
        kwargs = _sdk.credential_kwargs(endpoints, retry_total=0)
        pipeline = [
            policies.RequestIdPolicy(),
            policies.HeadersPolicy(),
            policies.UserAgentPolicy(sdk_moniker="cloudcanvas-resourcegraph"),
            policies.RetryPolicy(**kwargs),  # retry_total=0: the scanner retries, knowing quota
            ARMChallengeAuthenticationPolicy(credential, endpoints.scope),
            policies.CustomHookPolicy(raw_request_hook=on_request),
            policies.HttpLoggingPolicy(),
        ]
        self._url = endpoints.resource_manager.rstrip("/") + PATH
        self._client: PipelineClient[HttpRequest, Any] = PipelineClient(
            endpoints.resource_manager, policies=pipeline, **kwargs
        )

    def query(
        self, body: dict[str, Any], *, read_timeout: float
    ) -> tuple[dict[str, Any], Mapping[str, str]]:
        request = HttpRequest("POST", self._url, params={"api-version": API_VERSION}, json=body)
        response = self._client.send_request(request, read_timeout=read_timeout)
        if response.status_code != 200:
            raise HttpResponseError(response=response, error_format=ARMErrorFormat)
        decoded = json.loads(response.content)
        if not isinstance(decoded, dict):
            raise HttpResponseError(message="Resource Graph answered with no JSON object")
        return decoded, response.headers

    def close(self) -> None:
        self._client.close()
