"""The Azure Retail Prices API client: filtered lookups, ``NextPageLink`` paging.

Plain httpx, not the Azure SDK pipeline in ``azure/``: the API is public and takes no credential
and no ``api-version`` contract of ARM's, so the SDK pipeline (token policy, ARM retry and error
shapes) would add nothing. What it shares with ARM calls is the trust store: a custom
``CLOUDCANVAS_AZURE_CA_BUNDLE`` (the simulator's) is used here too.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BATCH = 10  # SKUs per filtered request: keeps the $filter short, and a 10k scan to few requests
MAX_PAGES = 50  # a filtered query has a few meters; a runaway NextPageLink chain is an error


class CatalogueError(Exception):
    """The Retail Prices API could not be read (unreachable, an error status, a bad body)."""


@dataclass(slots=True)
class Lookup:
    """One filtered query: some SKUs (by one key field) of one service in some regions."""

    service: str
    regions: tuple[str, ...]
    key_field: str
    values: tuple[str, ...]

    @property
    def filter(self) -> str:
        def quoted(text: str) -> str:
            return "'" + text.replace("'", "''") + "'"

        skus = " or ".join(f"{self.key_field} eq {quoted(v)}" for v in self.values)
        regions = " or ".join(f"armRegionName eq {quoted(r)}" for r in self.regions)
        return (
            f"serviceName eq {quoted(self.service)} and priceType eq 'Consumption' "
            f"and ({regions}) and ({skus})"
        )


def plan_lookups(wanted: Iterable[tuple[str, str, str, str]]) -> list[Lookup]:
    """Group (service, region, key field, value) needs into few filtered queries: per service and
    key field, up to BATCH SKUs in up to BATCH regions each. A SKU is then also fetched in the
    other regions of its query; a few extra meters cost less than a request each."""
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for service, region, key_field, value in set(wanted):
        regions, values = groups.setdefault((service, key_field), (set(), set()))
        regions.add(region)
        values.add(value)
    lookups = []
    for (service, key_field), (regions, values) in sorted(groups.items()):
        region_list, value_list = sorted(regions), sorted(values)
        for i in range(0, len(region_list), BATCH):
            for j in range(0, len(value_list), BATCH):
                chunk = (tuple(region_list[i : i + BATCH]), tuple(value_list[j : j + BATCH]))
                lookups.append(Lookup(service, chunk[0], key_field, chunk[1]))
    return lookups


@dataclass(slots=True)
class Catalogue:
    url: str
    ca_bundle: Path | None = None
    timeout: float = 30.0
    requests: int = 0
    _client: httpx.Client | None = field(default=None, repr=False)

    def __enter__(self) -> Catalogue:
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(self.ca_bundle)) if self.ca_bundle else True
        )
        self._client = httpx.Client(verify=verify, timeout=self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def fetch(self, lookup: Lookup, currency: str) -> list[dict[str, Any]]:
        """Every Consumption meter of the lookup, following ``NextPageLink``."""
        assert self._client is not None, "use the catalogue as a context manager"
        url: str | None = self.url
        params: dict[str, str] | None = {"currencyCode": currency, "$filter": lookup.filter}
        items: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            if url is None:
                return items
            body = self._get(url, params)
            items.extend(i for i in body.get("Items") or [] if isinstance(i, dict))
            url, params = body.get("NextPageLink") or None, None
        raise CatalogueError(f"the price list kept paging past {MAX_PAGES} pages")

    def _get(self, url: str, params: dict[str, str] | None) -> dict[str, Any]:
        assert self._client is not None
        self.requests += 1
        try:
            response = self._client.get(url, params=params)
        except httpx.HTTPError as exc:
            raise CatalogueError(f"the price list at {self.url} is unreachable ({exc})") from exc
        if response.status_code != 200:
            raise CatalogueError(
                f"the price list at {self.url} answered HTTP {response.status_code}"
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise CatalogueError(f"the price list at {self.url} sent no JSON") from exc
        if not isinstance(body, dict):
            raise CatalogueError(f"the price list at {self.url} sent an unexpected body")
        return body
