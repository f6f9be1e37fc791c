"""Azure Advisor's cost recommendations, read with the Reader role through Resource Graph
(``advisorresources``, category ``Cost``): what to right-size, shut down or reserve, and the
savings Advisor estimates, by the ARM id of the resource each names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cloudcanvas.azure import _sdk
from cloudcanvas.azure._graph import GraphClient
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import Credentials

QUERY = "advisorresources | where type == 'microsoft.advisor/recommendations'"
MAX_PAGES = 20


@dataclass(frozen=True, slots=True)
class Saving:
    resource_id: str  # as Advisor names it (matched on the lowercased id)
    problem: str
    solution: str
    monthly: float | None
    currency: str
    action: str  # recommendationType or the target SKU, when Advisor gives one


class AdvisorUnavailable(Exception):
    """Advisor could not be read; carries the translated failure (the secret scrubbed)."""

    def __init__(self, failure: _sdk.AzureFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def saving_of(row: dict[str, Any]) -> Saving | None:
    """One ``advisorresources`` row as a saving; None unless it is a Cost recommendation."""
    props = row.get("properties")
    if not isinstance(props, dict) or str(props.get("category", "")).lower() != "cost":
        return None
    meta = _object(props.get("resourceMetadata"))
    target = (
        meta.get("resourceId") or str(row.get("id", "")).split("/providers/Microsoft.Advisor")[0]
    )
    short = _object(props.get("shortDescription"))
    extended = _object(props.get("extendedProperties"))
    monthly = _number(extended.get("savingsAmount"))
    if monthly is None and _number(extended.get("annualSavingsAmount")) is not None:
        monthly = float(extended["annualSavingsAmount"]) / 12
    action = extended.get("targetSku") or extended.get("recommendationType") or ""
    return Saving(
        str(target),
        str(short.get("problem", "")),
        str(short.get("solution", "")),
        monthly,
        str(extended.get("savingsCurrency") or "USD"),
        f"resize to {action}" if extended.get("targetSku") else str(action),
    )


def read_savings(
    endpoints: AzureEndpoints,
    creds: Credentials,
    subscription_ids: list[str],
    *,
    on_request: Callable[[Any], None] | None = None,
) -> list[Saving]:
    """Every Cost recommendation Advisor holds for the subscriptions (a page of 1000 a request)."""
    credential = _sdk.build_credential(
        endpoints,
        tenant_id=creds.tenant_id,
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        retry_total=2,
    )
    client = GraphClient(endpoints, credential, on_request=on_request)
    options: dict[str, Any] = {"$top": 1000, "resultFormat": "objectArray"}
    body = {"subscriptions": subscription_ids, "query": QUERY, "options": options}
    savings: list[Saving] = []
    try:
        for _ in range(MAX_PAGES):
            page, _headers = client.query(body, read_timeout=endpoints.timeout)
            data = page.get("data")
            for row in data if isinstance(data, list) else []:
                found = saving_of(row) if isinstance(row, dict) else None
                if found is not None:
                    savings.append(found)
            if not page.get("$skipToken"):
                break
            options["$skipToken"] = page["$skipToken"]
    except Exception as exc:  # the SDK's, translated here as everywhere in azure/
        raise AdvisorUnavailable(_sdk.translate(exc, secret=creds.client_secret)) from None
    return savings
