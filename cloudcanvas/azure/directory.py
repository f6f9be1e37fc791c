"""Does a directory (tenant) exist? Asked before any secret is typed (the wizard's first step).

Entra ID publishes each tenant's OpenID configuration without authentication; an unknown tenant
answers AADSTS90002 and a malformed one AADSTS900023, as the token endpoint would later.
"""

from __future__ import annotations

from urllib.parse import quote

from azure.core import PipelineClient
from azure.core.pipeline.policies import RetryPolicy
from azure.core.rest import HttpRequest, HttpResponse

from cloudcanvas.azure import _sdk
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import (
    CheckResult,
    CheckStage,
    Credentials,
    StageResult,
    validate_ids,
)
from cloudcanvas.azure.errors import UNAVAILABLE_MESSAGE


def check_directory(endpoints: AzureEndpoints, tenant_id: str) -> StageResult:
    """The directory's OpenID configuration answers: it exists (the ``directory`` stage)."""
    tenant = quote(tenant_id.strip(), safe="")
    url = f"{endpoints.authority_host}/{tenant}/v2.0/.well-known/openid-configuration"
    client: PipelineClient[HttpRequest, HttpResponse] = PipelineClient(
        base_url=endpoints.authority_host, policies=[RetryPolicy(retry_total=1)]
    )
    try:
        with client:
            response = client.send_request(
                HttpRequest("GET", url),
                connection_verify=endpoints.ca_bundle or True,
                connection_timeout=endpoints.timeout,
                read_timeout=endpoints.timeout,
            )
            body = response.text()
            status = response.status_code
    except Exception:  # unreachable, TLS, timeout: nothing is known about the directory
        return StageResult(CheckStage.directory, False, "azure_unavailable", UNAVAILABLE_MESSAGE)
    if status == 200:
        return StageResult(
            CheckStage.directory,
            True,
            message=f"The directory {tenant_id.strip()} exists in Microsoft Entra ID.",
        )
    match = _sdk.AADSTS_PATTERN.search(body)
    if match and match.group(1) in ("90002", "900023"):
        code, message = _sdk.AADSTS_ERRORS[match.group(1)]
        return StageResult(
            CheckStage.directory, False, code, message, body[:500], field="directoryId"
        )
    return StageResult(
        CheckStage.directory, False, "azure_unavailable", UNAVAILABLE_MESSAGE, body[:500]
    )


def check_ids_and_directory(endpoints: AzureEndpoints, creds: Credentials) -> CheckResult:
    """The wizard's first step: the IDs are well-formed and the directory exists (no secret yet)."""
    result = CheckResult(stages=[validate_ids(creds)])
    if result.ok:
        result.stages.append(check_directory(endpoints, creds.normalized().tenant_id))
    return result
