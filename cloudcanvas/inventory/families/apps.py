"""Web, containers, integration, security and management families."""

from __future__ import annotations

from typing import Any

from cloudcanvas.inventory.families.base import Draft, dicts, dig, items, name_of, obj


def _add_hosts(d: Draft, *values: Any) -> None:
    for value in values:
        for host in value if isinstance(value, list) else [value]:
            if isinstance(host, str) and host and host.lower() not in d.hosts:
                d.hosts.append(host.lower())


def app_service_plan(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    d.fact("tier", sku.get("tier"))
    d.fact("workers", sku.get("capacity") or p.get("numberOfWorkers"))
    d.fact("os", "Linux" if p.get("reserved") else "Windows")
    d.fact("apps", p.get("numberOfSites"))
    d.fact("status", p.get("status"))


def web_app(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    config = obj(p.get("siteConfig"))
    d.fact("state", p.get("state"))
    d.fact("host", p.get("defaultHostName"))
    d.fact("runtime", config.get("linuxFxVersion") or config.get("windowsFxVersion"))
    d.fact("https only", p.get("httpsOnly"))
    d.fact("plan", name_of(p.get("serverFarmId")))
    _add_hosts(d, p.get("defaultHostName"), p.get("hostNames"), p.get("enabledHostNames"))
    d.link("plan", p.get("serverFarmId"))
    subnet = p.get("virtualNetworkSubnetId")
    d.link("vnet-integration", subnet)
    if subnet:
        d.fact("vnet integration", name_of(subnet))
    d.fact("public network access", p.get("publicNetworkAccess"))


def managed_cluster(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    pools = dicts(p.get("agentPoolProfiles"))
    d.fact("kubernetes version", p.get("currentKubernetesVersion") or p.get("kubernetesVersion"))
    d.fact("node pools", len(pools))
    nodes = sum(pool.get("count") or 0 for pool in pools if isinstance(pool.get("count"), int))
    d.fact("nodes", nodes)
    sizes = sorted({pool["vmSize"] for pool in pools if isinstance(pool.get("vmSize"), str)})
    d.fact("node size", sizes)
    # What pricing needs: nodes per size ("3 × Standard_D4s_v5"), summed over the pools.
    by_size: dict[str, int] = {}
    for pool in pools:
        size, count = pool.get("vmSize"), pool.get("count")
        if isinstance(size, str) and isinstance(count, int) and not isinstance(count, bool):
            by_size[size] = by_size.get(size, 0) + count
    d.fact("node pools by size", [f"{n} × {size}" for size, n in sorted(by_size.items())])
    d.fact("network plugin", dig(p, "networkProfile", "networkPlugin"))
    d.fact("fqdn", p.get("fqdn") or p.get("privateFQDN"))
    d.fact("private cluster", dig(p, "apiServerAccessProfile", "enablePrivateCluster"))
    d.fact("node resource group", p.get("nodeResourceGroup"))
    d.fact("power state", dig(p, "powerState", "code"))
    for pool in pools:
        d.place(pool.get("vnetSubnetID"))
        d.link("agent-pool", pool.get("vnetSubnetID"))


def agent_pool(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("nodes", p.get("count"))
    d.fact("size", p.get("vmSize"))
    d.fact("os", p.get("osType"))
    d.fact("mode", p.get("mode"))
    d.place(p.get("vnetSubnetID"))
    d.link("subnet", p.get("vnetSubnetID"))


def container_registry(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("login server", p.get("loginServer"))
    d.fact("admin user", p.get("adminUserEnabled"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    _add_hosts(d, p.get("loginServer"))


def container_app(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    fqdn = dig(p, "configuration", "ingress", "fqdn")
    d.fact("fqdn", fqdn)
    _add_hosts(d, fqdn)
    d.fact("state", p.get("runningStatus"))
    environment = p.get("managedEnvironmentId") or p.get("environmentId")
    d.link("hosts", environment, outgoing=False)
    d.via_ref = environment if isinstance(environment, str) else None


def container_app_environment(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    subnet = dig(p, "vnetConfiguration", "infrastructureSubnetId")
    d.place(subnet)
    d.link("subnet", subnet)
    d.fact("default domain", p.get("defaultDomain"))
    d.add_ip(p.get("staticIp"))


def container_group(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("os", p.get("osType"))
    d.fact("containers", len(items(p.get("containers"))))
    d.fact("ip", dig(p, "ipAddress", "ip"))
    d.add_ip(dig(p, "ipAddress", "ip"))
    for subnet in dicts(p.get("subnetIds")):
        d.place(subnet)
        d.link("subnet", subnet)


def api_management(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("capacity", dig(row, "sku", "capacity"))
    d.fact("gateway", p.get("gatewayUrl"))
    d.fact("vnet type", p.get("virtualNetworkType"))
    for config in dicts(p.get("hostnameConfigurations")):
        _add_hosts(d, config.get("hostName"))
    for ip in items(p.get("publicIPAddresses")) + items(p.get("privateIPAddresses")):
        d.add_ip(ip)
    subnet = dig(p, "virtualNetworkConfiguration", "subnetResourceId")
    if p.get("virtualNetworkType") in ("Internal", "External"):
        d.place(subnet)
        d.link("subnet", subnet)


def namespace(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = obj(row.get("sku"))
    d.fact("tier", sku.get("tier"))
    d.fact("capacity", sku.get("capacity"))
    d.fact("status", p.get("status"))
    d.fact("endpoint", p.get("serviceBusEndpoint"))
    d.fact("zone redundant", p.get("zoneRedundant"))


def messaging_entity(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("status", p.get("status"))
    d.fact("max size (MB)", p.get("maxSizeInMegabytes"))
    d.fact("partitions", p.get("partitionCount"))
    d.fact("subscriptions", p.get("subscriptionCount"))


def key_vault(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = dig(p, "sku", "name")
    if isinstance(sku, str):
        d.sku = sku
    d.fact("vault uri", p.get("vaultUri"))
    d.fact("soft delete", p.get("enableSoftDelete"))
    d.fact("purge protection", p.get("enablePurgeProtection"))
    d.fact("rbac authorization", p.get("enableRbacAuthorization"))
    d.fact("public network access", p.get("publicNetworkAccess"))
    d.fact("access policies", len(items(p.get("accessPolicies"))))


def log_analytics(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    sku = dig(p, "sku", "name")
    if isinstance(sku, str):
        d.sku = sku
    d.fact("retention (days)", p.get("retentionInDays"))


def app_insights(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("application type", p.get("Application_Type"))
    d.fact("ingestion mode", p.get("IngestionMode"))
    d.link("workspace", p.get("WorkspaceResourceId"))


def logic_workflow(d: Draft, p: dict[str, Any], row: dict[str, Any]) -> None:
    d.fact("state", p.get("state"))


NORMALIZERS = {
    "microsoft.web/serverfarms": app_service_plan,
    "microsoft.web/sites": web_app,
    "microsoft.web/sites/slots": web_app,
    "microsoft.containerservice/managedclusters": managed_cluster,
    "microsoft.containerservice/managedclusters/agentpools": agent_pool,
    "microsoft.containerregistry/registries": container_registry,
    "microsoft.app/containerapps": container_app,
    "microsoft.app/managedenvironments": container_app_environment,
    "microsoft.containerinstance/containergroups": container_group,
    "microsoft.apimanagement/service": api_management,
    "microsoft.servicebus/namespaces": namespace,
    "microsoft.eventhub/namespaces": namespace,
    "microsoft.servicebus/namespaces/queues": messaging_entity,
    "microsoft.servicebus/namespaces/topics": messaging_entity,
    "microsoft.eventhub/namespaces/eventhubs": messaging_entity,
    "microsoft.keyvault/vaults": key_vault,
    "microsoft.operationalinsights/workspaces": log_analytics,
    "microsoft.insights/components": app_insights,
    "microsoft.logic/workflows": logic_workflow,
}
