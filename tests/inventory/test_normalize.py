"""Rows as they really come: odd locations, inconsistent casing, unknown types, hostile values."""

from __future__ import annotations

from typing import Any

import pytest

from cloudcanvas.inventory.normalize import build_inventory, normalize_location
from cloudcanvas.inventory.types import CATALOGUE, lookup
from tests.inventory.topology import NET, REF, RG, row


@pytest.mark.parametrize(
    ("given", "short"),
    [
        ("West US", "westus"),
        ("westus", "westus"),
        ("East US 2", "eastus2"),
        ("eastus2(stage)", "eastus2"),
        ("UK South", "uksouth"),
        ("global", "global"),
        ("Global", "global"),
        ("", "global"),
        (None, "global"),
        ("location1", "location1"),
    ],
)
def test_location_is_the_azure_short_name(given: Any, short: str) -> None:
    assert normalize_location(given) == short


def test_reference_matches_whatever_its_casing() -> None:
    vnet = f"{NET}/virtualNetworks/Hub"
    subnet = {"name": "App", "id": f"{vnet}/subnets/App", "properties": {}}
    nic_ref = f"{REF.upper()}/PROVIDERS/microsoft.network/virtualnetworks/HUB/SUBNETS/app"
    rows = [
        row(vnet, "Microsoft.Network/virtualNetworks", {"subnets": [subnet]}),
        row(
            f"{NET}/networkInterfaces/nic",
            "Microsoft.Network/networkInterfaces",
            {"ipConfigurations": [{"properties": {"subnet": {"id": nic_ref}}}]},
        ),
    ]
    inv = build_inventory(rows)
    nic = inv.resources[f"{NET}/networkInterfaces/nic".lower()]
    assert nic.subnet == f"{vnet}/subnets/App".lower()
    assert nic.vnet == vnet.lower()
    assert inv.resources[nic.subnet].id == f"{vnet}/subnets/App"  # original casing kept


def test_unknown_type_is_kept_as_a_generic_resource() -> None:
    rid = f"{RG}/providers/Microsoft.Contoso/widgets/w1"
    inv = build_inventory([row(rid, "Microsoft.Contoso/widgets", {"provisioningState": "Failed"})])
    res = inv.resources[rid.lower()]
    assert (res.component, res.family, res.name) == ("azureresource", "other", "w1")
    assert res.properties["state"] == "Failed"


@pytest.mark.parametrize(
    "weird",
    [
        {"properties": "not a dict"},
        {"properties": None, "tags": None, "sku": "Standard", "zones": "1"},
        {"properties": {"ipConfigurations": "nope", "subnets": [None, 3, {"name": None}]}},
        {"properties": {"ipConfigurations": [{"properties": {"subnet": {"id": 42}}}]}},
        {"location": 7, "kind": 3, "name": None},
        {"properties": {"agentPoolProfiles": [{"count": "three", "vnetSubnetID": []}]}},
        {"properties": {"storageProfile": {"dataDisks": [None, "x", {"managedDisk": None}]}}},
        {"tags": {"n": None, "x": 3, "b": True}},
    ],
)
@pytest.mark.parametrize(
    "arm_type",
    [
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Compute/virtualMachines",
        "Microsoft.ContainerService/managedClusters",
        "Microsoft.Network/applicationGateways",
    ],
)
def test_weird_row_never_raises_and_is_kept(weird: dict[str, Any], arm_type: str) -> None:
    rid = f"{RG}/providers/{arm_type}/odd"
    base = row(rid, arm_type)
    base.update(weird)
    inv = build_inventory([base])
    assert rid.lower() in inv.resources


def test_rows_without_an_id_or_not_dicts_do_not_crash() -> None:
    inv = build_inventory([{"type": "microsoft.web/sites", "name": "lost"}, "junk", None])  # type: ignore[list-item]
    (res,) = inv.resources.values()
    assert res.name == "lost"
    assert res.component == "azurewebapp"


def test_every_catalogue_type_normalizes_an_empty_row() -> None:
    rows = [row(f"{RG}/providers/{t}/x{i}", t) for i, t in enumerate(CATALOGUE)]
    inv = build_inventory(rows)
    assert len([r for r in inv.resources.values() if r.component != "azureresource"]) == len(rows)


def test_hostile_names_and_tags_are_kept_verbatim() -> None:
    name = '<script>alert("x")</script> & "quotes" \u202e'
    tags = {"<b>": "</svg><svg onload=alert(1)>", "emoji 🚀": "ünïcode", "": ""}
    rid = f"{RG}/providers/Microsoft.Storage/storageAccounts/evil"
    source = row(rid, "Microsoft.Storage/storageAccounts", tags=tags)
    source["name"] = name
    res = build_inventory([source]).resources[rid.lower()]
    assert res.name == name
    assert res.tags == tags


def test_tag_values_become_text() -> None:
    rid = f"{RG}/providers/Microsoft.Web/sites/app"
    res = build_inventory([row(rid, "Microsoft.Web/sites", tags={"n": 3, "none": None})]).resources[
        rid.lower()
    ]
    assert res.tags == {"n": "3", "none": ""}


def test_duplicate_rows_give_one_resource() -> None:
    rid = f"{RG}/providers/Microsoft.Web/sites/app"
    inv = build_inventory(
        [row(rid, "Microsoft.Web/sites"), row(rid.upper(), "Microsoft.Web/sites")]
    )
    assert len(inv) == 1


def test_reference_to_a_missing_resource_is_kept_as_a_property() -> None:
    rid = f"{RG}/providers/Microsoft.Web/sites/app"
    plan = f"{REF}/providers/Microsoft.Web/serverfarms/gone"
    res = build_inventory([row(rid, "Microsoft.Web/sites", {"serverFarmId": plan})]).resources[
        rid.lower()
    ]
    assert res.properties["ref.plan"] == plan
    assert res.properties["plan"] == "gone"


def test_kind_decides_the_component() -> None:
    assert lookup("microsoft.web/sites", "functionapp,linux").component == "azurefunctionapp"
    assert lookup("microsoft.web/sites", "functionapp,workflowapp").component == "azurelogicapp"
    assert lookup("microsoft.web/sites", "app").component == "azurewebapp"
    assert lookup("microsoft.storage/storageaccounts", "BlobStorage").component == "azureblob"
    assert lookup("microsoft.storage/storageaccounts", "StorageV2").component == "azurestorage"


def test_front_door_sku_decides_the_component() -> None:
    rid = f"{RG}/providers/Microsoft.Cdn/profiles/edge"
    res = build_inventory(
        [
            row(
                rid,
                "Microsoft.Cdn/profiles",
                sku={"name": "Premium_AzureFrontDoor"},
                location="Global",
            )
        ]
    ).resources[rid.lower()]
    assert (res.component, res.location) == ("azurefrontdoor", "global")


def test_at_least_forty_types_are_recognised() -> None:
    assert len(CATALOGUE) >= 40
