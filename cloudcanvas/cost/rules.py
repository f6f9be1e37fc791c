"""What each inventory resource is billed for: the Retail Prices API meter to look up and the
quantity, from what the scan knows. Pure: a resource in, a ``Charge`` out.

A charge names the meter by ``serviceName``, region and one key field (``armSkuName`` or
``skuName``, the field the Retail Prices API can filter on), plus words the ``productName`` must
(or must not) hold, which split Windows from Linux meters or Premium SSD from Standard SSD disks.
Nothing is guessed: a resource whose size, tier or count the scan did not find gets a reason
instead of a charge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cloudcanvas.inventory.model import Resource

HOURS = {"h": 1.0, "d": 24.0, "w": 168.0, "m": 730.0, "y": 8760.0}  # Azure bills 730 h a month


@dataclass(frozen=True, slots=True)
class Charge:
    """One meter a resource runs on, and how many of it (units per hour, or per month)."""

    service: str  # serviceName, exactly as the Retail Prices API spells it
    field: str  # "armSkuName" or "skuName": the field the meter is looked up (and filtered) by
    value: str
    quantity: float = 1.0
    product_has: str = ""  # productName must contain this (case-insensitive) ...
    product_lacks: str = ""  # ... and must not contain this
    meter_has: str = ""
    usage_based: bool = False  # the price is per unit of use: no quantity is invented
    # Cloudcraft columns this charge fills (instanceType, platform, engine, storage, tier ...)
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Unpriced:
    reason: str


@dataclass(frozen=True, slots=True)
class Free:
    """A resource Azure does not bill by itself (a subnet, a NIC) or bills through another."""

    reason: str


Rule = Charge | Unpriced | Free

_NO_SIZE = "the scan found no size (SKU) for it"


def _number(res: Resource, fact: str) -> float | None:
    text = res.properties.get(fact)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def _vm_charge(size: str | None, os_name: str | None, count: float) -> Rule:
    if not size:
        return Unpriced(_NO_SIZE)
    windows = (os_name or "").lower() == "windows"
    return Charge(
        "Virtual Machines",
        "armSkuName",
        size,
        count,
        product_has="Windows" if windows else "",
        product_lacks="" if windows else "Windows",
        columns=(("instanceType", size), ("platform", "Windows" if windows else "Linux")),
    )


def virtual_machine(res: Resource) -> Rule:
    return _vm_charge(res.sku or res.properties.get("size"), res.properties.get("os"), 1)


def scale_set(res: Resource) -> Rule:
    count = _number(res, "instances")
    if count is None:
        return Unpriced("the scan found no instance count (capacity) for the scale set")
    return _vm_charge(res.sku or res.properties.get("size"), res.properties.get("os"), count)


def agent_pool(res: Resource) -> Rule:
    count = _number(res, "nodes")
    if count is None:
        return Unpriced("the scan found no node count for the node pool")
    return _vm_charge(res.properties.get("size"), res.properties.get("os"), count)


_POOL = re.compile(r"^(\d+) × (\S+)$")


def managed_cluster(res: Resource) -> list[Rule]:
    """An AKS cluster's nodes are VMs of its pools' sizes (the control plane of the Free tier is
    free; Standard tier uptime SLA is not read by the scan)."""
    pools = [p.strip() for p in res.properties.get("node pools by size", "").split(",") if p]
    rules: list[Rule] = []
    for pool in pools:
        match = _POOL.match(pool)
        if match:
            rules.append(_vm_charge(match.group(2), "Linux", float(match.group(1))))
    return rules or [Unpriced("the scan found no node pool sizes and counts for the cluster")]


# Managed disk tiers by size (GiB): the smallest tier that holds the disk.
_DISK_SIZES = (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
_DISK_TIERS = {
    "premium": (
        "Premium SSD Managed Disks",
        "P",
        (1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80),
    ),
    "standardssd": (
        "Standard SSD Managed Disks",
        "E",
        (1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80),
    ),
    "standard": (
        "Standard HDD Managed Disks",
        "S",
        (4, 4, 4, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80),
    ),
}


def disk_tier(sku: str, size_gb: float) -> tuple[str, str] | None:
    """(productName, tier like "P10") of a managed disk; None for sizes or SKUs without tiers."""
    kind = sku.split("_", 1)[0].lower()
    if kind not in _DISK_TIERS:
        return None
    product, letter, numbers = _DISK_TIERS[kind]
    for limit, number in zip(_DISK_SIZES, numbers, strict=True):
        if size_gb <= limit:
            return product, f"{letter}{number}"
    return None


def disk(res: Resource) -> Rule:
    size = _number(res, "size (GB)")
    if not res.sku or size is None:
        return Unpriced("the scan found no SKU or size for the disk")
    found = disk_tier(res.sku, size)
    if found is None:
        return Unpriced(f"{res.sku} disks are billed by provisioned IOPS and throughput, not read")
    product, tier = found
    redundancy = res.sku.rsplit("_", 1)[-1] if "_" in res.sku else "LRS"
    return Charge(
        "Storage",
        "skuName",
        f"{tier} {redundancy}",
        1,
        product_has=product,
        meter_has="Disk",
        columns=(("tier", tier), ("storage", f"{size:g}"), ("volume", res.sku)),
    )


def app_service_plan(res: Resource) -> Rule:
    workers = _number(res, "workers") or 1
    if not res.sku:
        return Unpriced(_NO_SIZE)
    if res.sku.upper() in ("F1", "FREE", "D1", "SHARED", "Y1"):
        return Unpriced(f"{res.sku} plans have no hourly price (free, shared or consumption)")
    windows = "linux" not in (res.kind or "").lower()
    # The Retail Prices API writes plan SKUs with a space ("P1 v3"); ARM without ("P1v3").
    spaced = re.sub(r"^([A-Za-z]+\d+)(v\d+)$", r"\1 \2", res.sku)
    return Charge(
        "Azure App Service",
        "skuName",
        spaced,
        workers,
        product_has="Windows" if windows else "Linux",
        columns=(("instanceType", res.sku), ("platform", "Windows" if windows else "Linux")),
    )


_VCORE_TIERS = {
    "GeneralPurpose": "General Purpose",
    "BusinessCritical": "Business Critical",
    "Hyperscale": "Hyperscale",
}


def sql_database(res: Resource, *, pool: bool = False) -> Rule:
    tier, capacity = res.properties.get("tier"), _number(res, "capacity")
    if res.arm_type.endswith("/databases") and res.properties.get("elastic pool"):
        return Unpriced("billed through its elastic pool")
    if tier in _VCORE_TIERS and capacity:
        name = "Elastic Pool" if pool else "Single/Elastic Pool"
        return Charge(
            "SQL Database",
            "skuName",
            "vCore",
            capacity,
            product_has=f"SQL Database {name} {_VCORE_TIERS[tier]} - Compute",
            product_lacks="Serverless",
            columns=(("tier", tier), ("instanceSize", f"{capacity:g} vCore"), ("engine", "sql")),
        )
    objective = res.properties.get("service objective") or res.sku
    if tier in ("Basic", "Standard", "Premium") and objective:
        return Charge(
            "SQL Database",
            "skuName",
            objective,
            1,
            product_has=f"SQL Database {'Elastic Pool' if pool else 'Single'} {tier}",
            columns=(("tier", tier), ("instanceSize", objective), ("engine", "sql")),
        )
    if tier == "Free":
        return Unpriced("the free SQL database offer has no price")
    return Unpriced("the scan found no vCore or DTU tier for the database")


def elastic_pool(res: Resource) -> Rule:
    return sql_database(res, pool=True)


def flexible_server(res: Resource) -> list[Rule]:
    engine = "PostgreSQL" if "postgresql" in res.arm_type else "MySQL"
    if not res.sku:
        return [Unpriced(_NO_SIZE)]
    # ARM "Standard_D2ds_v4" is the Retail Prices API's armSkuName-less "D2ds v4" sku.
    short = re.sub(r"^Standard_", "", res.sku).replace("_", " ")
    rules: list[Rule] = [
        Charge(
            f"Azure Database for {engine}",
            "skuName",
            short,
            1,
            product_has="Flexible Server",
            meter_has="vCore",
            columns=(("instanceType", res.sku), ("engine", engine.lower())),
        )
    ]
    storage = _number(res, "storage (GB)")
    if storage:
        rules.append(
            Charge(
                f"Azure Database for {engine}",
                "skuName",
                "Storage",
                storage,
                product_has="Flexible Server Storage",
                columns=(("storage", f"{storage:g}"), ("engine", engine.lower())),
            )
        )
    return rules


def cosmos_account(res: Resource) -> Rule:
    """Provisioned RU/s, billed per 100 RU/s an hour in every region of the account: priced at
    the account's total throughput limit (the most its databases and containers can provision;
    the free tier's first 1,000 RU/s are free). Serverless accounts (per million RUs used), and
    accounts without a limit (RU/s set per database or container, autoscale billed on the highest
    RU/s of each hour: neither is in Resource Graph) are usage-based at the unit price."""
    if (res.properties.get("capacity mode") or "").lower() == "serverless":
        return Charge(
            "Azure Cosmos DB",
            "skuName",
            "RUs",
            1,
            product_has="serverless",
            meter_has="1M RUs",
            usage_based=True,
            columns=(("readUnits", "per 1M RUs (serverless)"),),
        )
    throughput = _number(res, "throughput limit (RU/s)")
    if not throughput:
        return Charge(
            "Azure Cosmos DB",
            "skuName",
            "RUs",
            1,
            product_lacks="autoscale",
            meter_has="100 RU/s",
            usage_based=True,
            columns=(("readUnits", "per 100 RU/s"),),
        )
    regions = len([r for r in res.properties.get("regions", "").split(",") if r.strip()]) or 1
    free = 1000.0 if res.properties.get("free tier", "").lower() in ("yes", "true") else 0.0
    billed = max(0.0, throughput - free)
    return Charge(
        "Azure Cosmos DB",
        "skuName",
        "RUs",
        billed / 100 * regions,
        product_lacks="autoscale",
        meter_has="100 RU/s",
        columns=(
            ("readUnits", f"{throughput:g} RU/s provisioned (account limit)"),
            ("writeUnits", f"{throughput:g} RU/s provisioned (account limit)"),
            ("instance", f"{regions} region{'s' if regions > 1 else ''}"),
        ),
    )


def redis(res: Resource) -> Rule:
    size = res.properties.get("size")  # family + capacity, "P1", "C2"
    if not res.sku or not size:
        return Unpriced(_NO_SIZE)
    shards = _number(res, "shards") or 1
    return Charge(
        "Redis Cache",
        "skuName",
        size,
        shards,
        product_has=f"Azure Redis Cache {res.sku}",
        columns=(("cache", size), ("tier", res.sku), ("shards", f"{shards:g}")),
    )


def _fixed(service: str, sku: str, product: str, *, meter: str = "", qty: float = 1) -> Charge:
    return Charge(
        service, "skuName", sku, qty, product_has=product, meter_has=meter, columns=(("tier", sku),)
    )


def public_ip(res: Resource) -> Rule:
    sku = res.sku or "Basic"
    return _fixed("Virtual Network", sku, "IP Addresses", meter="Static Public IP")


def load_balancer(res: Resource) -> Rule:
    if (res.sku or "Basic").lower() == "basic":
        return Unpriced("Basic load balancers have no charge")
    return _fixed("Load Balancer", "Standard", "Load Balancer", meter="Overage LB Rules")


def application_gateway(res: Resource) -> list[Rule]:
    sku = res.sku or ""
    if not sku.endswith("_v2"):
        return [
            Unpriced(f"application gateway SKU {sku or '(none)'} is not priced (v1 is retired)")
        ]
    name = "WAF v2" if sku.startswith("WAF") else "Standard v2"
    rules: list[Rule] = [
        _fixed("Application Gateway", name, "Application Gateway", meter="Fixed Cost")
    ]
    units = _number(res, "capacity")
    rules.append(
        Charge(
            "Application Gateway",
            "skuName",
            name,
            units or 1,
            product_has="Application Gateway",
            meter_has="Capacity Units",
            usage_based=units is None,
            columns=(("tier", sku),),
        )
    )
    return rules


def virtual_network_gateway(res: Resource) -> Rule:
    if not res.sku:
        return Unpriced(_NO_SIZE)
    if res.sku.lower().startswith(("ergw", "ultraperformance", "highperformance")) or (
        res.properties.get("gateway type", "").lower() == "expressroute"
    ):
        return _fixed("ExpressRoute", res.sku, "ExpressRoute Gateway")
    return _fixed("VPN Gateway", res.sku, "VPN Gateway")


def firewall(res: Resource) -> Rule:
    return _fixed("Azure Firewall", res.sku or "Standard", "Azure Firewall", meter="Deployment")


def nat_gateway(res: Resource) -> Rule:
    return _fixed("NAT Gateway", "Standard", "NAT Gateway", meter="Gateway")


def bastion(res: Resource) -> Rule:
    return _fixed("Azure Bastion", res.sku or "Basic", "Azure Bastion")


def storage_account(res: Resource) -> Rule:
    """Billed per GB stored and per operation; the scan knows neither: usage-based."""
    redundancy = (res.sku or "Standard_LRS").rsplit("_", 1)[-1]
    tier = res.properties.get("access tier") or "Hot"
    return Charge(
        "Storage",
        "skuName",
        f"{tier} {redundancy}",
        1,
        product_has="Block Blob",
        meter_has="Data Stored",
        usage_based=True,
        columns=(("tier", tier), ("dataGb", "per GB")),
    )


def private_endpoint(res: Resource) -> Rule:
    return _fixed("Virtual Network", "Standard", "Private Link", meter="Private Endpoint")


def key_vault(res: Resource) -> Rule:
    """Billed per 10,000 operations (and per key for HSM keys): usage-based."""
    tier = (res.sku or "standard").capitalize()
    return Charge(
        "Key Vault",
        "skuName",
        tier,
        1,
        meter_has="Operations",
        usage_based=True,
        columns=(("tier", tier), ("apiCalls", "per 10K")),
    )


def dns_zone(res: Resource) -> Rule:
    private = "privatednszones" in res.arm_type
    return _fixed("Azure DNS", "Private" if private else "Public", "Azure DNS", meter="Zone")


def service_bus(res: Resource) -> Rule:
    tier = res.properties.get("tier") or res.sku or ""
    if tier == "Premium":
        units = _number(res, "capacity") or 1
        return Charge(
            "Service Bus",
            "skuName",
            "Premium",
            units,
            meter_has="Messaging Unit",
            columns=(("tier", tier), ("instance", f"{units:g} messaging units")),
        )
    if tier == "Standard":
        return _fixed("Service Bus", "Standard", "Service Bus", meter="Base Unit")
    return Charge(
        "Service Bus",
        "skuName",
        "Basic",
        1,
        meter_has="Messaging Operations",
        usage_based=True,
        columns=(("tier", tier or "Basic"), ("mRequests", "per 1M")),
    )


RULES = {
    "microsoft.compute/virtualmachines": virtual_machine,
    "microsoft.compute/virtualmachinescalesets": scale_set,
    "microsoft.compute/disks": disk,
    "microsoft.containerservice/managedclusters": managed_cluster,
    "microsoft.containerservice/managedclusters/agentpools": agent_pool,
    "microsoft.web/serverfarms": app_service_plan,
    "microsoft.sql/servers/databases": sql_database,
    "microsoft.sql/servers/elasticpools": elastic_pool,
    "microsoft.dbforpostgresql/flexibleservers": flexible_server,
    "microsoft.dbformysql/flexibleservers": flexible_server,
    "microsoft.documentdb/databaseaccounts": cosmos_account,
    "microsoft.cache/redis": redis,
    "microsoft.network/publicipaddresses": public_ip,
    "microsoft.network/loadbalancers": load_balancer,
    "microsoft.network/applicationgateways": application_gateway,
    "microsoft.network/virtualnetworkgateways": virtual_network_gateway,
    "microsoft.network/azurefirewalls": firewall,
    "microsoft.network/natgateways": nat_gateway,
    "microsoft.network/bastionhosts": bastion,
    "microsoft.storage/storageaccounts": storage_account,
    "microsoft.network/privateendpoints": private_endpoint,
    "microsoft.keyvault/vaults": key_vault,
    "microsoft.network/dnszones": dns_zone,
    "microsoft.network/privatednszones": dns_zone,
    "microsoft.servicebus/namespaces": service_bus,
}

# Types with no charge of their own (billed through what they hold, or free), said so in exports.
FREE = {
    "microsoft.network/virtualnetworks": "virtual networks have no charge",
    "microsoft.network/virtualnetworks/subnets": "subnets have no charge",
    "microsoft.network/networkinterfaces": "network interfaces have no charge",
    "microsoft.network/networksecuritygroups": "network security groups have no charge",
    "microsoft.network/routetables": "route tables have no charge",
    "microsoft.sql/servers": "billed through its databases and elastic pools",
    "microsoft.compute/virtualmachines/extensions": "billed through its VM",
    "microsoft.web/sites": "billed through its App Service plan",
    "microsoft.servicebus/namespaces/queues": "billed through its Service Bus namespace",
    "microsoft.servicebus/namespaces/topics": "billed through its Service Bus namespace",
}


# Shared (never mutated) rule lists of the types without a rule: most of a snapshot's resources.
_NOT_BILLED: dict[str, list[Rule]] = {arm_type: [Free(why)] for arm_type, why in FREE.items()}


def rules_for(res: Resource) -> list[Rule]:
    """The charges of one resource (several for a cluster's pools, a server's storage ...)."""
    rule = RULES.get(res.arm_type)
    if rule is None:
        fixed = _NOT_BILLED.get(res.arm_type)
        if fixed is None:
            fixed = _NOT_BILLED[res.arm_type] = [Unpriced(f"no price rule for {res.arm_type}")]
        return fixed
    found = rule(res)
    return found if isinstance(found, list) else [found]
