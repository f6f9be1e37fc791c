"""The catalogue of recognised ARM types: component id, visual family and a label for each.

Component ids are Cloudcraft's where Cloudcraft has one (``azurevm``, ``azurevmss``, ``azurensg``,
``azurelb``, ``azureblob``, ``azurefiles``, ``azuretable``, ``azuremysql``, ``azurepostgresql``,
``azuresbqueue``, ``azuresbtopic``, ``azuresbnamespace``, ``azureaksworkload``) and ours otherwise.
A type that is not here becomes a generic ``azureresource``: it is kept, never dropped.
``docs/resource-types.md`` lists this table; a test checks that it lists every entry.
"""

from __future__ import annotations

from typing import NamedTuple

GENERIC_COMPONENT = "azureresource"
GENERIC_FAMILY = "other"
# The ARM types the normalizer and the graph treat specially (nesting, placement), named once.
SUBNET_TYPE = "microsoft.network/virtualnetworks/subnets"

FAMILIES = (
    "compute",
    "network",
    "storage",
    "database",
    "web",
    "security",
    "containers",
    "integration",
    "management",
    "other",
)

# Cloudcraft's own Azure component ids; every other id in the catalogue is ours.
CLOUDCRAFT_COMPONENTS = frozenset(
    {
        "azurevm",
        "azurevmss",
        "azurensg",
        "azurelb",
        "azureblob",
        "azurefiles",
        "azuretable",
        "azuremysql",
        "azurepostgresql",
        "azuresbqueue",
        "azuresbtopic",
        "azuresbnamespace",
        "azureaksworkload",
    }
)


class ResourceType(NamedTuple):
    component: str
    family: str
    label: str


_T = ResourceType

CATALOGUE: dict[str, ResourceType] = {
    # compute
    "microsoft.compute/virtualmachines": _T("azurevm", "compute", "Virtual machine"),
    "microsoft.compute/virtualmachinescalesets": _T("azurevmss", "compute", "VM scale set"),
    "microsoft.compute/disks": _T("azuredisk", "compute", "Managed disk"),
    "microsoft.compute/snapshots": _T("azuresnapshot", "compute", "Disk snapshot"),
    "microsoft.compute/availabilitysets": _T("azureavailabilityset", "compute", "Availability set"),
    "microsoft.compute/images": _T("azureimage", "compute", "VM image"),
    "microsoft.compute/galleries": _T("azuregallery", "compute", "Compute gallery"),
    "microsoft.compute/virtualmachines/extensions": _T(
        "azurevmextension", "compute", "VM extension"
    ),
    "microsoft.compute/diskencryptionsets": _T(
        "azurediskencryptionset", "security", "Disk encryption set"
    ),
    # network
    "microsoft.network/virtualnetworks": _T("azurevnet", "network", "Virtual network"),
    "microsoft.network/virtualnetworks/subnets": _T("azuresubnet", "network", "Subnet"),
    "microsoft.network/networkinterfaces": _T("azurenic", "network", "Network interface"),
    "microsoft.network/publicipaddresses": _T("azurepublicip", "network", "Public IP address"),
    "microsoft.network/publicipprefixes": _T("azurepublicipprefix", "network", "Public IP prefix"),
    "microsoft.network/loadbalancers": _T("azurelb", "network", "Load balancer"),
    "microsoft.network/applicationgateways": _T("azureappgw", "network", "Application gateway"),
    "microsoft.network/virtualnetworkgateways": _T(
        "azurevpngateway", "network", "Virtual network gateway"
    ),
    "microsoft.network/localnetworkgateways": _T(
        "azurelocalgateway", "network", "Local network gateway"
    ),
    "microsoft.network/connections": _T("azurevpnconnection", "network", "Gateway connection"),
    "microsoft.network/bastionhosts": _T("azurebastion", "network", "Bastion"),
    "microsoft.network/privateendpoints": _T("azureprivateendpoint", "network", "Private endpoint"),
    "microsoft.network/privatelinkservices": _T(
        "azureprivatelinkservice", "network", "Private Link service"
    ),
    "microsoft.network/natgateways": _T("azurenatgateway", "network", "NAT gateway"),
    "microsoft.network/routetables": _T("azureroutetable", "network", "Route table"),
    "microsoft.network/dnszones": _T("azuredns", "network", "DNS zone"),
    "microsoft.network/privatednszones": _T("azureprivatedns", "network", "Private DNS zone"),
    "microsoft.network/privatednszones/virtualnetworklinks": _T(
        "azureprivatednslink", "network", "Private DNS zone link"
    ),
    "microsoft.network/frontdoors": _T("azurefrontdoor", "network", "Front Door (classic)"),
    "microsoft.cdn/profiles": _T("azurecdn", "network", "CDN / Front Door profile"),
    "microsoft.network/trafficmanagerprofiles": _T(
        "azuretrafficmanager", "network", "Traffic Manager profile"
    ),
    "microsoft.network/expressroutecircuits": _T(
        "azureexpressroute", "network", "ExpressRoute circuit"
    ),
    "microsoft.network/virtualwans": _T("azurevirtualwan", "network", "Virtual WAN"),
    "microsoft.network/virtualhubs": _T("azurevirtualhub", "network", "Virtual hub"),
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections": _T(
        "azurehubconnection", "network", "Virtual hub connection"
    ),
    "microsoft.network/vpngateways": _T(
        "azurevwanvpngateway", "network", "Virtual WAN VPN gateway"
    ),
    "microsoft.network/expressroutegateways": _T(
        "azureexpressroutegateway", "network", "ExpressRoute gateway (Virtual WAN)"
    ),
    "microsoft.network/networkwatchers": _T("azurenetworkwatcher", "management", "Network Watcher"),
    "microsoft.network/ipgroups": _T("azureipgroup", "network", "IP group"),
    # security
    "microsoft.network/networksecuritygroups": _T("azurensg", "security", "Network security group"),
    "microsoft.network/applicationsecuritygroups": _T(
        "azureasg", "security", "Application security group"
    ),
    "microsoft.network/azurefirewalls": _T("azurefirewall", "security", "Azure Firewall"),
    "microsoft.network/firewallpolicies": _T("azurefirewallpolicy", "security", "Firewall policy"),
    "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": _T(
        "azurewafpolicy", "security", "WAF policy"
    ),
    "microsoft.network/ddosprotectionplans": _T(
        "azureddosplan", "security", "DDoS protection plan"
    ),
    "microsoft.keyvault/vaults": _T("azurekeyvault", "security", "Key vault"),
    "microsoft.managedidentity/userassignedidentities": _T(
        "azuremanagedidentity", "security", "Managed identity"
    ),
    # storage
    "microsoft.storage/storageaccounts": _T("azurestorage", "storage", "Storage account"),
    "microsoft.storage/storageaccounts/blobservices/containers": _T(
        "azureblob", "storage", "Blob container"
    ),
    "microsoft.storage/storageaccounts/fileservices/shares": _T(
        "azurefiles", "storage", "File share"
    ),
    "microsoft.storage/storageaccounts/tableservices/tables": _T("azuretable", "storage", "Table"),
    "microsoft.storage/storageaccounts/queueservices/queues": _T(
        "azurestoragequeue", "storage", "Storage queue"
    ),
    "microsoft.netapp/netappaccounts": _T("azurenetapp", "storage", "NetApp account"),
    "microsoft.recoveryservices/vaults": _T(
        "azurerecoveryvault", "storage", "Recovery Services vault"
    ),
    "microsoft.dataprotection/backupvaults": _T("azurebackupvault", "storage", "Backup vault"),
    # database
    "microsoft.sql/servers": _T("azuresqlserver", "database", "SQL server"),
    "microsoft.sql/servers/databases": _T("azuresql", "database", "SQL database"),
    "microsoft.sql/servers/elasticpools": _T("azuresqlelasticpool", "database", "SQL elastic pool"),
    "microsoft.sql/managedinstances": _T("azuresqlmi", "database", "SQL managed instance"),
    "microsoft.dbforpostgresql/flexibleservers": _T(
        "azurepostgresql", "database", "PostgreSQL flexible server"
    ),
    "microsoft.dbforpostgresql/servers": _T(
        "azurepostgresql", "database", "PostgreSQL server (single)"
    ),
    "microsoft.dbformysql/flexibleservers": _T("azuremysql", "database", "MySQL flexible server"),
    "microsoft.dbformysql/servers": _T("azuremysql", "database", "MySQL server (single)"),
    "microsoft.dbformariadb/servers": _T("azuremariadb", "database", "MariaDB server"),
    "microsoft.documentdb/databaseaccounts": _T("azurecosmosdb", "database", "Cosmos DB account"),
    "microsoft.cache/redis": _T("azureredis", "database", "Cache for Redis"),
    "microsoft.cache/redisenterprise": _T("azureredis", "database", "Redis Enterprise"),
    # web
    "microsoft.web/serverfarms": _T("azureappserviceplan", "web", "App Service plan"),
    "microsoft.web/sites": _T("azurewebapp", "web", "Web app"),
    "microsoft.web/sites/slots": _T("azurewebappslot", "web", "Deployment slot"),
    "microsoft.web/staticsites": _T("azurestaticwebapp", "web", "Static web app"),
    "microsoft.apimanagement/service": _T("azureapim", "web", "API Management"),
    "microsoft.signalrservice/signalr": _T("azuresignalr", "web", "SignalR service"),
    # containers
    "microsoft.containerservice/managedclusters": _T("azureaks", "containers", "AKS cluster"),
    "microsoft.containerservice/managedclusters/agentpools": _T(
        "azureakspool", "containers", "AKS node pool"
    ),
    "microsoft.containerregistry/registries": _T(
        "azurecontainerregistry", "containers", "Container registry"
    ),
    "microsoft.app/containerapps": _T("azurecontainerapp", "containers", "Container app"),
    "microsoft.app/managedenvironments": _T(
        "azurecontainerappenv", "containers", "Container Apps environment"
    ),
    "microsoft.containerinstance/containergroups": _T(
        "azurecontainerinstance", "containers", "Container instance"
    ),
    # integration
    "microsoft.servicebus/namespaces": _T(
        "azuresbnamespace", "integration", "Service Bus namespace"
    ),
    "microsoft.servicebus/namespaces/queues": _T(
        "azuresbqueue", "integration", "Service Bus queue"
    ),
    "microsoft.servicebus/namespaces/topics": _T(
        "azuresbtopic", "integration", "Service Bus topic"
    ),
    "microsoft.eventhub/namespaces": _T("azureeventhub", "integration", "Event Hubs namespace"),
    "microsoft.eventhub/namespaces/eventhubs": _T(
        "azureeventhubentity", "integration", "Event hub"
    ),
    "microsoft.eventgrid/topics": _T("azureeventgrid", "integration", "Event Grid topic"),
    "microsoft.eventgrid/systemtopics": _T(
        "azureeventgridsystem", "integration", "Event Grid system topic"
    ),
    "microsoft.logic/workflows": _T("azurelogicapp", "integration", "Logic app"),
    "microsoft.datafactory/factories": _T("azuredatafactory", "integration", "Data factory"),
    # management and monitoring
    "microsoft.operationalinsights/workspaces": _T(
        "azureloganalytics", "management", "Log Analytics workspace"
    ),
    "microsoft.insights/components": _T("azureappinsights", "management", "Application Insights"),
    "microsoft.insights/actiongroups": _T("azureactiongroup", "management", "Action group"),
    "microsoft.insights/metricalerts": _T("azuremetricalert", "management", "Metric alert"),
    "microsoft.automation/automationaccounts": _T(
        "azureautomation", "management", "Automation account"
    ),
    # other (analytics, AI)
    "microsoft.cognitiveservices/accounts": _T(
        "azureaiservices", "other", "Azure AI services account"
    ),
    "microsoft.synapse/workspaces": _T("azuresynapse", "other", "Synapse workspace"),
    "microsoft.databricks/workspaces": _T("azuredatabricks", "other", "Databricks workspace"),
}

# Some types draw as another component depending on their ``kind``: the first match wins.
KIND_COMPONENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "microsoft.web/sites": (("workflowapp", "azurelogicapp"), ("functionapp", "azurefunctionapp")),
    "microsoft.web/sites/slots": (("functionapp", "azurefunctionapp"),),
    # A storage account that only holds blobs (or only files) is Cloudcraft's blob (file) component;
    # a general-purpose account holds four services and stays one ``azurestorage`` node.
    "microsoft.storage/storageaccounts": (
        ("blockblobstorage", "azureblob"),
        ("blobstorage", "azureblob"),
        ("filestorage", "azurefiles"),
    ),
}


def lookup(arm_type: str, kind: str | None = None) -> ResourceType:
    """The catalogue entry for a lowercase ARM type (and kind); a generic one when unknown."""
    entry = CATALOGUE.get(arm_type)
    if entry is None:
        return ResourceType(GENERIC_COMPONENT, GENERIC_FAMILY, arm_type or "Azure resource")
    if kind and arm_type in KIND_COMPONENTS:
        lowered = kind.lower()
        for needle, component in KIND_COMPONENTS[arm_type]:
            if needle in lowered:
                return ResourceType(component, entry.family, entry.label)
    return entry
