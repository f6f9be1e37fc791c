"""Storage and database families: storage accounts, SQL, PostgreSQL/MySQL, Cosmos DB, Redis."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cloudcanvas.inventory.families.base import Draft, dicts, dig, items, name_of, obj


def _host(url: Any) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    return (urlsplit(url).hostname or None) if "//" in url else url.lower()


def storage_account(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("access tier", p.get("accessTier"))
    d.fact("hierarchical namespace", p.get("isHnsEnabled"))
    d.fact("https only", p.get("supportsHttpsTrafficOnly"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    d.fact("default network action", dig(p, "networkAcls", "defaultAction"))
    d.fact("primary location", p.get("primaryLocation"))
    d.fact("status", p.get("statusOfPrimary"))
    endpoints = obj(p.get("primaryEndpoints"))
    services = [
        name for name in ("blob", "file", "queue", "table", "dfs", "web") if endpoints.get(name)
    ]
    d.fact("services", services)
    for name in services:
        host = _host(endpoints.get(name))
        if host:
            d.hosts.append(host)
    rules = items(dig(p, "networkAcls", "virtualNetworkRules"))
    if rules:
        d.fact("vnet rules", len(rules))


def sql_server(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("version", p.get("version"))
    d.fact("fqdn", p.get("fullyQualifiedDomainName"))
    d.fact("state", p.get("state"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    host = p.get("fullyQualifiedDomainName")
    if isinstance(host, str):
        d.hosts.append(host.lower())


def sql_database(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    d.fact("tier", sku.get("tier"))
    d.fact("capacity", sku.get("capacity"))
    d.fact("service objective", p.get("currentServiceObjectiveName"))
    size = p.get("maxSizeBytes")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        d.fact("max size (GB)", round(size / 1024**3))
    d.fact("status", p.get("status"))
    d.fact("zone redundant", p.get("zoneRedundant"))
    d.fact("backup redundancy", p.get("currentBackupStorageRedundancy"))
    d.link("elastic-pool", p.get("elasticPoolId"))
    d.fact("elastic pool", name_of(p.get("elasticPoolId")))


def elastic_pool(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    d.fact("tier", sku.get("tier"))
    d.fact("capacity", sku.get("capacity"))
    d.fact("state", p.get("state"))
    size = p.get("maxSizeBytes")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        d.fact("max size (GB)", round(size / 1024**3))
    d.fact("zone redundant", p.get("zoneRedundant"))


def flexible_server(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    d.fact("tier", sku.get("tier"))
    d.fact("version", p.get("version"))
    d.fact("state", p.get("state") or p.get("userVisibleState"))
    d.fact(
        "storage (GB)", dig(p, "storage", "storageSizeGB") or dig(p, "storageProfile", "storageMB")
    )
    d.fact("high availability", dig(p, "highAvailability", "mode"))
    fqdn = p.get("fullyQualifiedDomainName")
    d.fact("fqdn", fqdn)
    if isinstance(fqdn, str):
        d.hosts.append(fqdn.lower())
    subnet = dig(p, "network", "delegatedSubnetResourceId") or dig(
        p, "delegatedSubnetArguments", "subnetArmResourceId"
    )
    d.place(subnet)
    d.link("subnet", subnet)
    d.fact("private dns zone", dig(p, "network", "privateDnsZoneArmResourceId"))
    d.fact("public network access", dig(p, "network", "publicNetworkAccess"))


def cosmos_account(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("api", d.kind)
    d.fact("offer", p.get("databaseAccountOfferType"))
    d.fact("consistency", dig(p, "consistencyPolicy", "defaultConsistencyLevel"))
    locations = [loc.get("locationName") for loc in dicts(p.get("locations"))]
    d.fact("regions", [loc for loc in locations if isinstance(loc, str)])
    d.fact("free tier", p.get("enableFreeTier"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    # What prices the account: serverless (billed per RU used) or provisioned RU/s. The RU/s are
    # set per database or container (ARM child resources Resource Graph does not return); the
    # account's own total throughput limit caps them all, and is what the row says.
    capabilities = {c.get("name") for c in dicts(p.get("capabilities"))}
    serverless = p.get("capacityMode") == "Serverless" or "EnableServerless" in capabilities
    d.fact("capacity mode", "Serverless" if serverless else p.get("capacityMode"))
    limit = dig(p, "capacity", "totalThroughputLimit")
    if type(limit) is int and limit > 0:
        d.fact("throughput limit (RU/s)", limit)
    host = _host(p.get("documentEndpoint"))
    if host:
        d.hosts.append(host)
    rules = items(p.get("virtualNetworkRules"))
    if rules:
        d.fact("vnet rules", len(rules))


def redis(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(p.get("sku")) or obj(row.get("sku"))
    name, family, capacity = sku.get("name"), sku.get("family"), sku.get("capacity")
    if isinstance(name, str):
        d.sku = name
    if isinstance(family, str) and isinstance(capacity, int):
        d.fact("size", f"{family}{capacity}")
    d.fact("version", p.get("redisVersion"))
    d.fact("host", p.get("hostName"))
    d.fact("ssl port", p.get("sslPort"))
    d.fact("non-ssl port", p.get("enableNonSslPort"))
    d.fact("shards", p.get("shardCount"))
    d.fact("replicas", p.get("replicasPerPrimary"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    d.add_ip(p.get("staticIP"))
    d.place(p.get("subnetId"))
    d.link("subnet", p.get("subnetId"))
    host = p.get("hostName")
    if isinstance(host, str):
        d.hosts.append(host.lower())


def sql_managed_instance(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("vcores", p.get("vCores"))
    d.fact("storage (GB)", p.get("storageSizeInGB"))
    d.fact("state", p.get("state"))
    d.place(p.get("subnetId"))
    d.link("subnet", p.get("subnetId"))


NORMALIZERS = {
    "microsoft.storage/storageaccounts": storage_account,
    "microsoft.sql/servers": sql_server,
    "microsoft.sql/servers/databases": sql_database,
    "microsoft.sql/servers/elasticpools": elastic_pool,
    "microsoft.sql/managedinstances": sql_managed_instance,
    "microsoft.dbforpostgresql/flexibleservers": flexible_server,
    "microsoft.dbformysql/flexibleservers": flexible_server,
    "microsoft.dbforpostgresql/servers": flexible_server,
    "microsoft.dbformysql/servers": flexible_server,
    "microsoft.documentdb/databaseaccounts": cosmos_account,
    "microsoft.cache/redis": redis,
}
