"""Facts of Azure Resource Graph that several test packages assert against."""

# The 16 standard columns of Resources and ResourceContainers, in Azure's order.
COLUMNS = (
    "id",
    "name",
    "type",
    "tenantId",
    "kind",
    "location",
    "resourceGroup",
    "subscriptionId",
    "managedBy",
    "sku",
    "plan",
    "properties",
    "tags",
    "identity",
    "zones",
    "extendedLocation",
)
