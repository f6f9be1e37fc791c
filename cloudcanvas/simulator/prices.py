"""The Azure Retail Prices API (``GET /api/retail/prices``): public, no token, OData ``$filter``
(``eq`` joined by ``and`` / ``or``, parentheses), ``currencyCode``, pages of 100 linked by
``NextPageLink``. The catalogue holds the meters of the SKUs the generator produces (and their
neighbours), in every region, at the simulator's own prices: they are not Azure's.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, cast
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator.context import Context, json_response

PAGE = 100
REGIONS = ("eastus", "eastus2", "westus2", "westeurope", "northeurope", "southeastasia", "uksouth")
# Units of the simulator's currencies per US dollar (fixed: the simulator's, not a market's).
RATES = {
    "USD": 1.0,
    "AUD": 1.52,
    "CHF": 0.88,
    "DKK": 6.85,
    "EUR": 0.92,
    "GBP": 0.79,
    "HKD": 7.8,
    "JPY": 150.0,
    "NOK": 10.6,
    "NZD": 1.65,
    "SEK": 10.4,
    "ZAR": 18.5,
}
EFFECTIVE = "2024-01-01T00:00:00Z"

JSON = dict[str, Any]
# (serviceName, productName, skuName, armSkuName, meterName, unitOfMeasure, USD price)
Meter = tuple[str, str, str, str, str, str, float]

_VM_SIZES = {  # vCPUs per size: the hourly Linux price follows from them
    "Standard_B2s": 2,
    "Standard_D2s_v3": 2,
    "Standard_D4s_v3": 4,
    "Standard_D2s_v5": 2,
    "Standard_D4s_v5": 4,
    "Standard_D8s_v5": 8,
    "Standard_E4s_v5": 4,
    "Standard_F4s_v2": 4,
}
_DISKS = {
    "P": ("Premium SSD Managed Disks", 1.2),
    "E": ("Standard SSD Managed Disks", 0.6),
    "S": ("Standard HDD Managed Disks", 0.3),
}
_DISK_NUMBERS = (1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80)


def _vm_meters() -> list[Meter]:
    out: list[Meter] = []
    for size, cores in _VM_SIZES.items():
        series = size.split("_", 1)[1].replace("_", " ")
        linux = round(0.048 * cores, 4)
        out.append(
            (
                "Virtual Machines",
                f"Virtual Machines {series} Series",
                series,
                size,
                series,
                "1 Hour",
                linux,
            )
        )
        out.append(
            (
                "Virtual Machines",
                f"Virtual Machines {series} Series Windows",
                series,
                size,
                series,
                "1 Hour",
                round(linux + 0.046 * cores, 4),
            )
        )
        out.append(
            (
                "Virtual Machines",
                f"Virtual Machines {series} Series",
                f"{series} Spot",
                size,
                f"{series} Spot",
                "1 Hour",
                round(linux / 5, 4),
            )
        )
    return out


def _disk_meters() -> list[Meter]:
    out: list[Meter] = []
    for letter, (product, factor) in _DISKS.items():
        for number in _DISK_NUMBERS:
            for redundancy in ("LRS", "ZRS"):
                sku = f"{letter}{number} {redundancy}"
                price = round(factor * number * (1.25 if redundancy == "ZRS" else 1.0), 2)
                out.append(("Storage", product, sku, "", f"{sku} Disk", "1/Month", price))
    return out


def _paas_meters() -> list[Meter]:
    out: list[Meter] = []
    for sku, price in (
        ("P1 v3", 0.169),
        ("P2 v3", 0.338),
        ("P3 v3", 0.676),
        ("S1", 0.1),
        ("B1", 0.018),
        ("P1 v2", 0.2),
    ):
        for os_name, extra in (("Linux", 1.0), ("Windows", 1.8)):
            product = f"Azure App Service {sku.split()[0][0]} Plan - {os_name}"
            out.append(
                ("Azure App Service", product, sku, "", sku, "1 Hour", round(price * extra, 3))
            )
    for tier, price in (("General Purpose", 0.2522), ("Business Critical", 0.6782)):
        out.append(
            (
                "SQL Database",
                f"SQL Database Single/Elastic Pool {tier} - Compute Gen5",
                "vCore",
                "",
                "vCore",
                "1 Hour",
                price,
            )
        )
        out.append(
            (
                "SQL Database",
                f"SQL Database Elastic Pool {tier} - Compute Gen5",
                "vCore",
                "",
                "vCore",
                "1 Hour",
                price,
            )
        )
    for objective, price in (("S0", 0.4839), ("S1", 0.9677), ("S2", 2.4194), ("S3", 4.8387)):
        out.append(
            (
                "SQL Database",
                "SQL Database Single Standard",
                objective,
                "",
                f"{objective} DTUs",
                "1/Day",
                price,
            )
        )
    out.append(
        ("SQL Database", "SQL Database Single Basic", "Basic", "", "B DTUs", "1/Day", 0.1613)
    )
    for engine in ("PostgreSQL", "MySQL"):
        service = f"Azure Database for {engine}"
        for sku, cores in (("D2ds v4", 2), ("D4ds v4", 4), ("B1ms", 1)):
            out.append(
                (
                    service,
                    f"{service} Flexible Server General Purpose Ddsv4 Series Compute",
                    sku,
                    "",
                    f"{sku} vCore",
                    "1 Hour",
                    round(0.089 * cores, 4),
                )
            )
        out.append(
            (
                service,
                f"{service} Flexible Server Storage",
                "Storage",
                "",
                "Storage Data Stored",
                "1 GB/Month",
                0.115,
            )
        )
    out.append(("Azure Cosmos DB", "Azure Cosmos DB", "RUs", "", "100 RU/s", "1 Hour", 0.008))
    cosmos_autoscale = ("Azure Cosmos DB autoscale", "RUs", "", "100 RU/s", "1 Hour", 0.012)
    out.append(("Azure Cosmos DB", *cosmos_autoscale))
    out.append(("Azure Cosmos DB", "Azure Cosmos DB serverless", "RUs", "", "1M RUs", "1M", 0.25))
    for family, tier, sizes in (("C", "Standard", (1, 2, 3)), ("P", "Premium", (1, 2, 3))):
        for n in sizes:
            price = (0.1 if family == "C" else 0.554) * 2 ** (n - 1)
            out.append(
                (
                    "Redis Cache",
                    f"Azure Redis Cache {tier}",
                    f"{family}{n}",
                    "",
                    f"{family}{n} Cache Instance",
                    "1 Hour",
                    round(price, 3),
                )
            )
    return out


def _network_meters() -> list[Meter]:
    return [
        (
            "Virtual Network",
            "IP Addresses",
            "Standard",
            "",
            "Standard IPv4 Static Public IP",
            "1 Hour",
            0.005,
        ),
        (
            "Virtual Network",
            "IP Addresses",
            "Basic",
            "",
            "Basic IPv4 Static Public IP",
            "1 Hour",
            0.0036,
        ),
        (
            "Load Balancer",
            "Load Balancer",
            "Standard",
            "",
            "Standard Overage LB Rules and Outbound Rules",
            "1 Hour",
            0.025,
        ),
        (
            "Load Balancer",
            "Load Balancer",
            "Standard",
            "",
            "Standard Data Processed",
            "1 GB",
            0.005,
        ),
        (
            "Application Gateway",
            "Application Gateway WAF v2",
            "WAF v2",
            "",
            "WAF v2 Fixed Cost",
            "1 Hour",
            0.443,
        ),
        (
            "Application Gateway",
            "Application Gateway WAF v2",
            "WAF v2",
            "",
            "WAF v2 Capacity Units",
            "1 Hour",
            0.0144,
        ),
        (
            "Application Gateway",
            "Application Gateway Standard v2",
            "Standard v2",
            "",
            "Standard v2 Fixed Cost",
            "1 Hour",
            0.246,
        ),
        (
            "Application Gateway",
            "Application Gateway Standard v2",
            "Standard v2",
            "",
            "Standard v2 Capacity Units",
            "1 Hour",
            0.008,
        ),
        ("VPN Gateway", "VPN Gateway", "VpnGw1", "", "VpnGw1", "1 Hour", 0.19),
        ("VPN Gateway", "VPN Gateway", "VpnGw2", "", "VpnGw2", "1 Hour", 0.49),
        ("ExpressRoute", "ExpressRoute Gateway", "ErGw1AZ", "", "ErGw1AZ", "1 Hour", 0.41),
        ("Azure Firewall", "Azure Firewall", "Standard", "", "Standard Deployment", "1 Hour", 1.25),
        ("Azure Firewall", "Azure Firewall", "Premium", "", "Premium Deployment", "1 Hour", 1.75),
        ("NAT Gateway", "NAT Gateway", "Standard", "", "Standard Gateway", "1 Hour", 0.045),
        ("Azure Bastion", "Azure Bastion", "Basic", "", "Basic Gateway", "1 Hour", 0.19),
        ("Azure Bastion", "Azure Bastion", "Standard", "", "Standard Gateway", "1 Hour", 0.29),
        (
            "Virtual Network",
            "Virtual Network Private Link",
            "Standard",
            "",
            "Standard Private Endpoint",
            "1 Hour",
            0.01,
        ),
        ("Key Vault", "Key Vault", "Standard", "", "Operations", "10K", 0.03),
        ("Service Bus", "Service Bus", "Standard", "", "Standard Base Unit", "1 Hour", 0.0135),
        ("Service Bus", "Service Bus", "Premium", "", "Premium Messaging Unit", "1 Hour", 0.928),
        ("Service Bus", "Service Bus", "Basic", "", "Basic Messaging Operations", "1M", 0.05),
        ("Key Vault", "Key Vault", "Premium", "", "Operations", "10K", 0.03),
        ("Azure DNS", "Azure DNS", "Public", "", "Public Zone", "1/Month", 0.5),
        ("Azure DNS", "Azure DNS", "Private", "", "Private Zone", "1/Month", 0.5),
        (
            "Storage",
            "General Block Blob v2",
            "Hot LRS",
            "",
            "Hot LRS Data Stored",
            "1 GB/Month",
            0.0184,
        ),
        (
            "Storage",
            "General Block Blob v2",
            "Hot ZRS",
            "",
            "Hot ZRS Data Stored",
            "1 GB/Month",
            0.023,
        ),
    ]


METERS: list[Meter] = [*_vm_meters(), *_disk_meters(), *_paas_meters(), *_network_meters()]


def _region_factor(region: str) -> float:
    return 1.0 + REGIONS.index(region) * 0.04


def _item(meter: Meter, region: str, currency: str) -> JSON:
    service, product, sku, arm_sku, meter_name, unit, usd = meter
    price = round(usd * _region_factor(region) * RATES[currency], 6)
    ident = hashlib.sha256(f"{service}|{product}|{sku}|{meter_name}|{region}".encode()).hexdigest()
    return {
        "currencyCode": currency,
        "tierMinimumUnits": 0.0,
        "retailPrice": price,
        "unitPrice": price,
        "armRegionName": region,
        "location": region,
        "effectiveStartDate": EFFECTIVE,
        "meterId": f"{ident[:8]}-{ident[8:12]}-{ident[12:16]}-{ident[16:20]}-{ident[20:32]}",
        "meterName": meter_name,
        "productId": f"DZH3{ident[:8].upper()}",
        "skuId": f"DZH3{ident[:8].upper()}/{ident[8:12].upper()}",
        "productName": product,
        "skuName": sku,
        "serviceName": service,
        "serviceId": f"DZH3{ident[32:40].upper()}",
        "serviceFamily": "Compute",
        "unitOfMeasure": unit,
        "type": "Consumption",
        "isPrimaryMeterRegion": True,
        "armSkuName": arm_sku,
    }


def catalogue_items(currency: str = "USD") -> list[JSON]:
    """Every meter of the simulator's price list, in every region, in one currency."""
    return [_item(meter, region, currency) for region in REGIONS for meter in METERS]


def catalogue(ctx: Context, currency: str) -> list[JSON]:
    return cast(list[JSON], ctx.cached(("prices", currency), lambda: catalogue_items(currency)))


_TOKEN = re.compile(r"\s*(?:(\()|(\))|'((?:[^']|'')*)'|([A-Za-z_]+))")


class FilterError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FilterError(f"Invalid $filter near position {pos}.")
        opened, closed, string, word = match.groups()
        out.append(opened or closed or (f"'{string}" if string is not None else word))
        pos = match.end()
    return out


def parse_filter(text: str) -> Any:
    """The $filter as nested ("or"|"and", [..]) / ("eq", field, value) tuples."""
    tokens = _tokens(text)

    def expr(i: int) -> tuple[Any, int]:
        terms, i = [], i
        left, i = conj(i)
        terms.append(left)
        while i < len(tokens) and tokens[i].lower() == "or":
            right, i = conj(i + 1)
            terms.append(right)
        return ("or", terms), i

    def conj(i: int) -> tuple[Any, int]:
        terms = []
        left, i = atom(i)
        terms.append(left)
        while i < len(tokens) and tokens[i].lower() == "and":
            right, i = atom(i + 1)
            terms.append(right)
        return ("and", terms), i

    def atom(i: int) -> tuple[Any, int]:
        if i < len(tokens) and tokens[i] == "(":
            inner, i = expr(i + 1)
            if i >= len(tokens) or tokens[i] != ")":
                raise FilterError("Invalid $filter: a parenthesis is not closed.")
            return inner, i + 1
        if i + 2 < len(tokens) + 0 and tokens[i + 1].lower() == "eq" and tokens[i + 2][:1] == "'":
            return ("eq", tokens[i], tokens[i + 2][1:].replace("''", "'")), i + 3
        raise FilterError("Invalid $filter: expected field eq 'value'.")

    tree, end = expr(0)
    if end != len(tokens):
        raise FilterError("Invalid $filter: unexpected text after the expression.")
    return tree


# The API filters the "type" field as priceType, and "location" as armRegionName's display form.
_FILTER_FIELDS = {"priceType": "type"}


def matches(tree: Any, item: JSON) -> bool:
    op = tree[0]
    if op == "eq":
        name = _FILTER_FIELDS.get(tree[1], tree[1])
        return bool(str(item.get(name, "")).lower() == str(tree[2]).lower())
    results = (matches(term, item) for term in tree[1])
    return all(results) if op == "and" else any(results)


async def retail_prices(ctx: Context, request: Request) -> Response:
    params = request.query_params
    currency = params.get("currencyCode", "USD").strip("'").upper()
    if currency not in RATES:
        return json_response(
            {
                "Error": {
                    "Code": "InvalidCurrency",
                    "Message": f"Currency {currency} is not supported.",
                }
            },
            400,
        )
    try:
        tree = parse_filter(params["$filter"]) if params.get("$filter") else None
        skip = int(params.get("$skip", "0"))
    except (FilterError, ValueError) as exc:
        return json_response({"Error": {"Code": "BadRequest", "Message": str(exc)}}, 400)
    items = [i for i in catalogue(ctx, currency) if tree is None or matches(tree, i)]
    page = items[skip : skip + PAGE]
    next_link = None
    if skip + PAGE < len(items):
        query = {k: v for k, v in params.items() if k != "$skip"} | {"$skip": str(skip + PAGE)}
        next_link = f"{request.base_url}api/retail/prices?{urlencode(query)}"
    return json_response(
        {
            "BillingCurrency": currency,
            "CustomerEntityId": "Default",
            "CustomerEntityType": "Retail",
            "Items": page,
            "NextPageLink": next_link,
            "Count": len(page),
        }
    )
