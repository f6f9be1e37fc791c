"""Actual cost by resource through the Cost Management Query API
(``POST {scope}/providers/Microsoft.CostManagement/query``), sent through the SDK's ARM pipeline
(bearer token, ARM errors). It needs the *Cost Management Reader* role (Reader is not enough):
a denial is ``CostReadingDenied``, which callers treat as "no actual cost", never as a failure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.core import PipelineClient
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import policies
from azure.core.rest import HttpRequest
from azure.mgmt.core.exceptions import ARMErrorFormat
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

from cloudcanvas.azure import _sdk
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import Credentials

API_VERSION = "2023-03-01"
DAYS = 30
MAX_PAGES = 20
GRANT = (
    "Assign the app registration the Cost Management Reader role on the subscription "
    "(Azure portal: Subscription → Access control (IAM) → Add role assignment → Cost Management "
    "Reader → the app), or `az role assignment create --assignee <application id> "
    '--role "Cost Management Reader" --scope /subscriptions/<subscription id>`.'
)


class CostReadingDenied(Exception):
    """The principal may not read cost data at the scope (no Cost Management Reader)."""


class CostReadingFailed(Exception):
    def __init__(self, failure: _sdk.AzureFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _body(now: datetime) -> dict[str, Any]:
    start = (now - timedelta(days=DAYS)).strftime("%Y-%m-%dT00:00:00Z")
    return {
        "type": "ActualCost",
        "timeframe": "Custom",
        "timePeriod": {"from": start, "to": now.strftime("%Y-%m-%dT23:59:59Z")},
        "dataset": {
            "granularity": "None",
            "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
            "grouping": [{"type": "Dimension", "name": "ResourceId"}],
        },
    }


def _rows(properties: dict[str, Any]) -> dict[str, tuple[float, str]]:
    names = [str(c.get("name", "")).lower() for c in properties.get("columns") or []]
    out: dict[str, tuple[float, str]] = {}
    if "resourceid" not in names:
        return out
    cost_at = names.index("cost") if "cost" in names else names.index("pretaxcost")
    rid_at, cur_at = (
        names.index("resourceid"),
        names.index("currency") if "currency" in names else -1,
    )
    for row in properties.get("rows") or []:
        rid = str(row[rid_at]).lower()
        previous = out.get(rid, (0.0, ""))[0]
        currency = str(row[cur_at]) if cur_at >= 0 else "USD"
        out[rid] = (previous + float(row[cost_at]), currency)
    return out


def read_actual_costs(
    endpoints: AzureEndpoints, creds: Credentials, subscription_id: str
) -> dict[str, tuple[float, str]]:
    """The last 30 days' actual cost by lowercased resource id: (amount, currency)."""
    credential = _sdk.build_credential(
        endpoints,
        tenant_id=creds.tenant_id,
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        retry_total=2,
    )
    kwargs = _sdk.credential_kwargs(endpoints, retry_total=2)
    pipeline = [
        policies.RequestIdPolicy(),
        policies.HeadersPolicy(),
        policies.UserAgentPolicy(sdk_moniker="cloudcanvas-costmanagement"),
        policies.RetryPolicy(**kwargs),
        ARMChallengeAuthenticationPolicy(credential, endpoints.scope),
        policies.HttpLoggingPolicy(),
    ]
    base = endpoints.resource_manager.rstrip("/")
    client: PipelineClient[HttpRequest, Any] = PipelineClient(base, policies=pipeline, **kwargs)
    url: str | None = (
        f"{base}/subscriptions/{subscription_id}/providers/Microsoft.CostManagement/query"
    )
    body = _body(datetime.now(UTC))
    costs: dict[str, tuple[float, str]] = {}
    try:
        for _ in range(MAX_PAGES):
            if url is None:
                break
            params = None if "api-version=" in url else {"api-version": API_VERSION}
            request = HttpRequest("POST", url, params=params, json=body)
            response = client.send_request(request, read_timeout=endpoints.timeout)
            if response.status_code in (401, 403) and b"RBACAccessDenied" in response.content:
                raise CostReadingDenied(GRANT)
            if response.status_code != 200:
                raise HttpResponseError(response=response, error_format=ARMErrorFormat)
            properties = json.loads(response.content).get("properties") or {}
            costs.update(_rows(properties))
            url = properties.get("nextLink") or None
    except CostReadingDenied:
        raise
    except Exception as exc:  # the SDK's, translated here as everywhere in azure/
        raise CostReadingFailed(_sdk.translate(exc, secret=creds.client_secret)) from None
    finally:
        client.close()
    return costs
