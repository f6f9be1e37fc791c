"""ARM bodies for platform services: App Service, SQL, storage, Cosmos, Redis, Key Vault, AKS..."""

from __future__ import annotations

from cloudcanvas.simulator.shapes import JSON, OK, base, ref


def pe_connection(owner: str, endpoint: str) -> JSON:
    name = endpoint.rsplit("/", 1)[-1]
    return {
        "id": f"{owner}/privateEndpointConnections/{name}",
        "properties": {
            "provisioningState": OK,
            "privateEndpoint": ref(endpoint),
            "privateLinkServiceConnectionState": {
                "status": "Approved",
                "description": "Auto-approved",
                "actionsRequired": "None",
            },
        },
    }


def server_farm(rid: str, location: str, sku: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Web/serverfarms", location, tags)
    body["kind"] = "linux"
    body["properties"] = {
        "status": "Ready",
        "maximumNumberOfWorkers": 30,
        "numberOfWorkers": 2,
        "geoRegion": location,
        "numberOfSites": 2,
        "reserved": True,
        "provisioningState": OK,
    }
    body["sku"] = {"name": sku, "tier": "PremiumV3", "size": sku, "family": "Pv3", "capacity": 2}
    return body


def site(
    rid: str, location: str, kind: str, farm: str, subnet: str | None, tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.Web/sites", location, tags)
    name = body["name"]
    body["kind"] = kind
    body["properties"] = {
        "state": "Running",
        "hostNames": [f"{name}.azurewebsites.net"],
        "enabled": True,
        "enabledHostNames": [f"{name}.azurewebsites.net", f"{name}.scm.azurewebsites.net"],
        "hostNameSslStates": [
            {"name": f"{name}.azurewebsites.net", "sslState": "Disabled", "hostType": "Standard"}
        ],
        "serverFarmId": farm,
        "reserved": True,
        "virtualNetworkSubnetId": subnet,
        "vnetRouteAllEnabled": subnet is not None,
        "siteConfig": {
            "numberOfWorkers": 1,
            "linuxFxVersion": "PYTHON|3.11",
            "minTlsVersion": "1.2",
        },
        "defaultHostName": f"{name}.azurewebsites.net",
        "httpsOnly": True,
    }
    body["identity"] = {"type": "SystemAssigned", "principalId": "", "tenantId": ""}
    return body


def sql_server(rid: str, location: str, endpoint: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Sql/servers", location, tags)
    body["kind"] = "v12.0"
    body["properties"] = {
        "fullyQualifiedDomainName": f"{body['name']}.database.windows.net",
        "administratorLogin": "sqladmin",
        "version": "12.0",
        "state": "Ready",
        "publicNetworkAccess": "Disabled" if endpoint else "Enabled",
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def sql_database(rid: str, location: str, tier: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Sql/servers/databases", location, tags)
    body["kind"] = "v12.0,user,vcore"
    sku = {
        "name": "GP_Gen5" if tier == "GeneralPurpose" else "BC_Gen5",
        "tier": tier,
        "capacity": 2,
    }
    body["sku"] = sku
    body["properties"] = {
        "collation": "SQL_Latin1_General_CP1_CI_AS",
        "maxSizeBytes": 34359738368,
        "status": "Online",
        "currentServiceObjectiveName": f"{sku['name']}_2",
        "currentSku": dict(sku),
        "zoneRedundant": False,
    }
    return body


def storage(rid: str, location: str, kind: str, endpoint: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Storage/storageAccounts", location, tags)
    name = body["name"]
    body["kind"] = kind
    body["sku"] = {"name": "Standard_LRS", "tier": "Standard"}
    body["properties"] = {
        "networkAcls": {
            "bypass": "AzureServices",
            "defaultAction": "Deny" if endpoint else "Allow",
            "ipRules": [],
            "virtualNetworkRules": [],
        },
        "primaryEndpoints": {
            svc: f"https://{name}.{svc}.core.windows.net/"
            for svc in ("web", "dfs", "blob", "file", "queue", "table")
        },
        "primaryLocation": location,
        "provisioningState": OK,
        "statusOfPrimary": "available",
        "encryption": {
            "services": {"blob": {"keyType": "Account", "enabled": True}},
            "keySource": "Microsoft.Storage",
        },
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def cosmos(rid: str, location: str, endpoint: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.DocumentDB/databaseAccounts", location, tags)
    name = body["name"]
    body["kind"] = "GlobalDocumentDB"
    loc = {
        "id": f"{name}-{location}",
        "locationName": location,
        "documentEndpoint": f"https://{name}-{location}.documents.azure.com:443/",
        "provisioningState": OK,
        "failoverPriority": 0,
    }
    body["properties"] = {
        "provisioningState": OK,
        "documentEndpoint": f"https://{name}.documents.azure.com:443/",
        "databaseAccountOfferType": "Standard",
        "capacityMode": "Provisioned",
        "capacity": {"totalThroughputLimit": 4000},
        "consistencyPolicy": {"defaultConsistencyLevel": "Session"},
        "writeLocations": [loc],
        "readLocations": [loc],
        "locations": [loc],
        "publicNetworkAccess": "Disabled" if endpoint else "Enabled",
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def redis(rid: str, location: str, endpoint: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Cache/Redis", location, tags)
    body["properties"] = {
        "provisioningState": OK,
        "redisVersion": "6.0",
        "sku": {"name": "Premium", "family": "P", "capacity": 1},
        "enableNonSslPort": False,
        "hostName": f"{body['name']}.redis.cache.windows.net",
        "port": 6379,
        "sslPort": 6380,
        "publicNetworkAccess": "Disabled" if endpoint else "Enabled",
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def key_vault(
    rid: str, location: str, tenant: str, endpoint: str | None, tags: dict[str, str]
) -> JSON:
    body = base(rid, "Microsoft.KeyVault/vaults", location, tags)
    body["properties"] = {
        "sku": {"family": "A", "name": "standard"},
        "tenantId": tenant,
        "accessPolicies": [],
        "enableRbacAuthorization": True,
        "vaultUri": f"https://{body['name']}.vault.azure.net",
        "provisioningState": OK,
        "publicNetworkAccess": "Disabled" if endpoint else "Enabled",
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def service_bus(rid: str, location: str, endpoint: str | None, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.ServiceBus/namespaces", location, tags)
    body["sku"] = {"name": "Premium", "tier": "Premium", "capacity": 1}
    body["properties"] = {
        "provisioningState": OK,
        "status": "Active",
        "serviceBusEndpoint": f"https://{body['name']}.servicebus.windows.net:443/",
        "publicNetworkAccess": "Disabled" if endpoint else "Enabled",
        "privateEndpointConnections": [pe_connection(rid, endpoint)] if endpoint else [],
    }
    return body


def service_bus_entity(rid: str, location: str, kind: str) -> JSON:
    body = base(rid, f"Microsoft.ServiceBus/namespaces/{kind}", location)
    body["properties"] = {"status": "Active", "maxSizeInMegabytes": 1024}
    return body


def aks(rid: str, location: str, subnet: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.ContainerService/ManagedClusters", location, tags)
    name = body["name"]
    body["properties"] = {
        "provisioningState": OK,
        "kubernetesVersion": "1.29.4",
        "dnsPrefix": name,
        "fqdn": f"{name}-4f2a1c.hcp.{location}.azmk8s.io",
        "agentPoolProfiles": [
            {
                "name": pool,
                "count": count,
                "vmSize": "Standard_D4s_v5",
                "osType": "Linux",
                "mode": mode,
                "vnetSubnetID": subnet,
                "provisioningState": OK,
            }
            for pool, count, mode in (("system", 3, "System"), ("user", 4, "User"))
        ],
        "nodeResourceGroup": f"MC_{rid.split('/')[4]}_{name}_{location}",
        "enableRBAC": True,
        "networkProfile": {
            "networkPlugin": "azure",
            "serviceCidr": "10.250.0.0/16",
            "dnsServiceIP": "10.250.0.10",
            "outboundType": "loadBalancer",
        },
    }
    body["identity"] = {"type": "SystemAssigned"}
    body["sku"] = {"name": "Base", "tier": "Standard"}
    return body


def vmss(rid: str, location: str, subnet: str, pool: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.Compute/virtualMachineScaleSets", location, tags)
    body["sku"] = {"name": "Standard_D2s_v3", "tier": "Standard", "capacity": 3}
    ipc = {
        "name": "ipconfig",
        "properties": {
            "primary": True,
            "subnet": ref(subnet),
            "loadBalancerBackendAddressPools": [ref(pool)],
        },
    }
    body["properties"] = {
        "singlePlacementGroup": False,
        "upgradePolicy": {"mode": "Rolling"},
        "virtualMachineProfile": {
            "osProfile": {"computerNamePrefix": body["name"][:9], "adminUsername": "azureuser"},
            "networkProfile": {
                "networkInterfaceConfigurations": [
                    {"name": "nic", "properties": {"primary": True, "ipConfigurations": [ipc]}}
                ]
            },
        },
        "provisioningState": OK,
    }
    return body


def postgres(rid: str, location: str, subnet: str, tags: dict[str, str]) -> JSON:
    body = base(rid, "Microsoft.DBforPostgreSQL/flexibleServers", location, tags)
    body["sku"] = {"name": "Standard_D2ds_v4", "tier": "GeneralPurpose"}
    body["properties"] = {
        "version": "16",
        "state": "Ready",
        "fullyQualifiedDomainName": f"{body['name']}.postgres.database.azure.com",
        "storage": {"storageSizeGB": 128},
        "network": {"publicNetworkAccess": "Disabled", "delegatedSubnetResourceId": subnet},
        "highAvailability": {"mode": "Disabled"},
    }
    return body
