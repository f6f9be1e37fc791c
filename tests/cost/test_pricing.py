"""The pricing core against the simulator's price list: each family, the arithmetic, and what is
left unpriced or usage-based (with the reason), nothing invented."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cloudcanvas.cost.pricing import CostLine, Price, PriceTable, hourly, price_resources, totals
from cloudcanvas.cost.rules import disk_tier
from cloudcanvas.inventory.model import Resource
from cloudcanvas.simulator.prices import catalogue_items

SUB = "00000000-0000-0000-0000-000000000001"
FETCHED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def table(currency: str = "USD") -> PriceTable:
    out = PriceTable(currency=currency)
    for i in catalogue_items(currency):
        out.add(
            Price(
                i["serviceName"], i["armRegionName"], i["armSkuName"], i["skuName"],
                i["productName"], i["meterName"], i["unitOfMeasure"], i["retailPrice"],
                i["unitPrice"], FETCHED,
            )
        )  # fmt: skip
    return out


def meter_price(service: str, sku: str, meter: str, region: str = "eastus") -> float:
    """The simulator's price of one meter, found independently of the pricing code."""
    for i in catalogue_items():
        if (i["serviceName"], i["skuName"], i["meterName"], i["armRegionName"]) == (
            service, sku, meter, region
        ):  # fmt: skip
            return float(i["retailPrice"])
    raise AssertionError(f"no meter {service} {sku} {meter}")


def res(arm_type: str, name: str = "r1", *, sku: str | None = None, kind: str | None = None,
        location: str = "eastus", **facts: str) -> Resource:  # fmt: skip
    rid = f"/subscriptions/{SUB}/resourceGroups/rg-app/providers/{arm_type}/{name}"
    return Resource(
        key=rid.lower(), id=rid, name=name, arm_type=arm_type, component="x", family="compute",
        location=location, subscription_id=SUB, resource_group="rg-app", kind=kind, sku=sku,
        properties={_fact(k): v for k, v in facts.items()},
    )  # fmt: skip


def _fact(name: str) -> str:
    """A keyword as a normalizer's fact name: size_GB → "size (GB)", node_pools → "node pools"."""
    if name.endswith("_GB"):
        return f"{name[:-3].replace('_', ' ')} (GB)"
    return name.replace("_", " ")


def only(resource: Resource, **kwargs: str) -> list[CostLine]:
    return price_resources([resource], table(), **kwargs)


VM = "microsoft.compute/virtualmachines"


def test_vm_linux_and_windows_meters_differ_by_os() -> None:
    linux = only(res(VM, sku="Standard_D2s_v5", os="Linux"))[0]
    windows = only(res(VM, sku="Standard_D2s_v5", os="Windows"))[0]
    hour = meter_price("Virtual Machines", "D2s v5", "D2s v5")
    assert linux.status == "priced" and linux.cost == pytest.approx(hour * 730)
    assert "Windows" not in linux.meter and "Spot" not in linux.meter
    assert "Windows" in windows.meter and windows.cost > linux.cost
    assert dict(windows.columns)["platform"] == "Windows"


def test_scale_set_and_node_pools_are_capacity_times_size() -> None:
    hour = meter_price("Virtual Machines", "D2s v3", "D2s v3")
    vmss = only(res(f"{VM[:-15]}virtualmachinescalesets", sku="Standard_D2s_v3", instances="3"))
    assert vmss[0].count == 3 and vmss[0].cost == pytest.approx(3 * hour * 730)
    cluster = res(
        "microsoft.containerservice/managedclusters",
        node_pools_by_size="3 × Standard_D4s_v5, 2 × Standard_D2s_v5",
    )
    lines = only(cluster)
    d4 = meter_price("Virtual Machines", "D4s v5", "D4s v5")
    d2 = meter_price("Virtual Machines", "D2s v5", "D2s v5")
    assert sum(line.cost for line in lines) == pytest.approx((3 * d4 + 2 * d2) * 730)
    pool = only(res("microsoft.containerservice/managedclusters/agentpools", nodes="4",
                    size="Standard_D4s_v5", os="Linux"))  # fmt: skip
    assert pool[0].cost == pytest.approx(4 * d4 * 730)


@pytest.mark.parametrize(
    ("sku", "size", "tier"),
    [("Premium_LRS", 128, "P10"), ("Premium_LRS", 129, "P15"), ("StandardSSD_LRS", 64, "E6"),
     ("Standard_LRS", 30, "S4"), ("Premium_ZRS", 1024, "P30")],
)  # fmt: skip
def test_disks_by_sku_and_size_tier(sku: str, size: int, tier: str) -> None:
    assert disk_tier(sku, size) is not None and disk_tier(sku, size)[1] == tier
    line = only(res("microsoft.compute/disks", sku=sku, size_GB=str(size)))[0]
    redundancy = sku.rsplit("_", 1)[1]
    month = meter_price("Storage", f"{tier} {redundancy}", f"{tier} {redundancy} Disk")
    assert line.status == "priced" and line.cost == pytest.approx(month)  # "1/Month", one disk


def test_ultra_disks_are_unpriced_with_the_reason() -> None:
    line = only(res("microsoft.compute/disks", sku="UltraSSD_LRS", size_GB="512"))[0]
    assert line.status == "unpriced" and "IOPS" in line.reason and line.cost == 0


def test_app_service_plan_by_sku_times_workers() -> None:
    line = only(res("microsoft.web/serverfarms", sku="P1v3", kind="linux", workers="2"))[0]
    assert line.cost == pytest.approx(2 * meter_price("Azure App Service", "P1 v3", "P1 v3") * 730)
    assert "Linux" in line.meter


def test_sql_vcore_dtu_and_elastic_pools() -> None:
    vcore = only(res("microsoft.sql/servers/databases", tier="GeneralPurpose", capacity="4"))[0]
    per_vcore = meter_price("SQL Database", "vCore", "vCore")
    assert vcore.cost == pytest.approx(4 * per_vcore * 730)
    dtu = only(res("microsoft.sql/servers/databases", tier="Standard", service_objective="S1"))[0]
    assert dtu.cost == pytest.approx(meter_price("SQL Database", "S1", "S1 DTUs") / 24 * 730)
    pool = only(res("microsoft.sql/servers/elasticpools", tier="BusinessCritical", capacity="2"))
    assert "Elastic Pool" in pool[0].meter and pool[0].status == "priced"
    pooled = only(res("microsoft.sql/servers/databases", tier="GeneralPurpose", capacity="2",
                      elastic_pool="pool1"))[0]  # fmt: skip
    assert pooled.status == "unpriced" and "elastic pool" in pooled.reason


@pytest.mark.parametrize("engine", ["dbforpostgresql", "dbformysql"])
def test_flexible_servers_by_sku_and_storage(engine: str) -> None:
    lines = only(res(f"microsoft.{engine}/flexibleservers", sku="Standard_D2ds_v4",
                     storage_GB="128"))  # fmt: skip
    assert [line.status for line in lines] == ["priced", "priced"]
    name = "PostgreSQL" if "postgres" in engine else "MySQL"
    storage = meter_price(f"Azure Database for {name}", "Storage", "Storage Data Stored")
    assert lines[1].cost == pytest.approx(128 * storage)  # per GB a month


def test_network_families() -> None:
    kinds = {
        "microsoft.network/publicipaddresses": "Standard",
        "microsoft.network/loadbalancers": "Standard",
        "microsoft.network/natgateways": None,
        "microsoft.network/bastionhosts": "Standard",
        "microsoft.network/azurefirewalls": "Premium",
        "microsoft.network/virtualnetworkgateways": "VpnGw1",
        "microsoft.network/privateendpoints": None,
        "microsoft.cache/redis": "Premium",
    }
    for arm_type, sku in kinds.items():
        lines = only(res(arm_type, sku=sku, size="P1"))
        assert lines[0].status == "priced" and lines[0].cost > 0, (arm_type, lines)
    er = only(res("microsoft.network/virtualnetworkgateways", sku="ErGw1AZ"))[0]
    assert er.meter.startswith("ExpressRoute Gateway") and er.cost > 0
    gateway = only(res("microsoft.network/applicationgateways", sku="WAF_v2", capacity="2"))
    fixed = meter_price("Application Gateway", "WAF v2", "WAF v2 Fixed Cost")
    unit = meter_price("Application Gateway", "WAF v2", "WAF v2 Capacity Units")
    assert sum(line.cost for line in gateway) == pytest.approx((fixed + 2 * unit) * 730)
    assert only(res("microsoft.network/loadbalancers", sku="Basic"))[0].status == "unpriced"


def test_usage_based_have_a_unit_price_and_no_quantity() -> None:
    for resource in (
        res("microsoft.storage/storageaccounts", sku="Standard_LRS", access_tier="Hot"),
        res("microsoft.documentdb/databaseaccounts"),
        res("microsoft.keyvault/vaults", sku="standard"),
    ):
        line = only(resource)[0]
        assert line.status == "usage-based", line
        assert line.unit_price and line.unit_price > 0 and line.cost == 0 and line.count == 0


def test_unpriced_says_why() -> None:
    assert "size" in only(res(VM))[0].reason
    missing = only(res(VM, sku="Standard_NV72ads_A10_v5"))[0]
    assert missing.status == "unpriced" and "Standard_NV72ads_A10_v5" in missing.reason
    elsewhere = only(res(VM, sku="Standard_D2s_v5", location="brazilsouth"))[0]
    assert elsewhere.status == "unpriced" and "brazilsouth" in elsewhere.reason
    unknown = only(res("microsoft.foo/bars"))[0]
    assert unknown.status == "unpriced" and "microsoft.foo/bars" in unknown.reason
    subnet = only(res("microsoft.network/virtualnetworks/subnets"))[0]
    assert subnet.status == "priced" and subnet.cost == 0 and "no charge" in subnet.reason


@pytest.mark.parametrize(("period", "hours"), [("h", 1), ("d", 24), ("w", 168), ("m", 730),
                                               ("y", 8760)])  # fmt: skip
def test_periods_scale_the_hourly_price(period: str, hours: int) -> None:
    line = only(res(VM, sku="Standard_D2s_v5", os="Linux"), period=period)[0]
    assert line.cost == pytest.approx(meter_price("Virtual Machines", "D2s v5", "D2s v5") * hours)


def test_currency_comes_from_the_price_list_and_rate_picks_the_field() -> None:
    vm = res(VM, sku="Standard_D2s_v5", os="Linux")
    usd = price_resources([vm], table("USD"))[0].cost
    eur = price_resources([vm], table("EUR"))[0].cost
    assert eur == pytest.approx(usd * 0.92, rel=1e-3)
    stated_table = table()
    for prices in stated_table.by_key.values():
        prices[:] = [
            Price(p.service, p.region, p.arm_sku, p.sku, p.product, p.meter, p.unit,
                  p.retail_price, p.retail_price * 2, p.fetched_at)
            for p in prices
        ]  # fmt: skip
    stated = price_resources([vm], stated_table, rate="stated")[0].cost
    effective = price_resources([vm], stated_table, rate="effective")[0].cost
    assert stated == pytest.approx(2 * effective)


@pytest.mark.parametrize(
    ("unit", "per_hour"),
    [("1 Hour", 1.0), ("100 Hours", 0.01), ("1/Month", 1 / 730), ("1/Day", 1 / 24),
     ("1 GB/Month", 1 / 730), ("10K", None), ("1 GB", None)],
)  # fmt: skip
def test_units_of_measure(unit: str, per_hour: float | None) -> None:
    got = hourly(1.0, unit)
    assert got == (pytest.approx(per_hour) if per_hour is not None else None)


def test_totals_sum_a_resources_charges_and_carry_the_price_date() -> None:
    cluster = res("microsoft.containerservice/managedclusters",
                  node_pools_by_size="1 × Standard_D4s_v5, 1 × Standard_D2s_v5")  # fmt: skip
    lines = only(cluster)
    assert totals(lines)[cluster.key] == pytest.approx(sum(line.cost for line in lines))
    assert all(line.price_date == FETCHED for line in lines)


COSMOS = "microsoft.documentdb/databaseaccounts"


def _cosmos_meter(product: str, meter: str) -> float:
    """The simulator's Cosmos DB meter of one product, read independently of the pricing code."""
    for i in catalogue_items():
        if (i["serviceName"], i["productName"], i["meterName"], i["armRegionName"]) == (
            "Azure Cosmos DB", product, meter, "eastus"
        ):  # fmt: skip
            return float(i["retailPrice"])
    raise AssertionError(f"no Cosmos DB meter {product} {meter}")


def _scanned_cosmos(**changes: object) -> Resource:
    """A Cosmos DB account as the simulator's ARM body, through the inventory's normalizer."""
    from cloudcanvas.inventory.normalize import build_inventory, row_from_arm
    from cloudcanvas.simulator.shapes_paas import cosmos

    rid = f"/subscriptions/{SUB}/resourceGroups/rg-app/providers/Microsoft.DocumentDB/databaseAccounts/db1"
    body = cosmos(rid, "eastus", None, {})
    body["properties"].update(changes)
    inventory = build_inventory([row_from_arm(body)])
    return inventory.resources[rid.lower()]


def test_cosmos_db_is_priced_by_its_provisioned_ru_per_second() -> None:
    hundred = _cosmos_meter("Azure Cosmos DB", "100 RU/s")
    account = _scanned_cosmos()  # the simulator's: provisioned, a 4,000 RU/s limit, one region
    assert account.properties["capacity mode"] == "Provisioned"
    assert account.properties["throughput limit (RU/s)"] == "4000"
    line = only(account)[0]
    assert line.status == "priced" and line.meter.endswith("100 RU/s")
    assert line.count == 40 and line.cost == pytest.approx(40 * hundred * 730)
    assert dict(line.columns)["readUnits"].startswith("4000 RU/s")
    # Every region of the account bills the RU/s; the free tier's first 1,000 RU/s are free.
    two = _scanned_cosmos(locations=[{"locationName": "eastus"}, {"locationName": "westus2"}])
    assert only(two)[0].cost == pytest.approx(80 * hundred * 730)
    free = _scanned_cosmos(enableFreeTier=True)
    assert only(free)[0].cost == pytest.approx(30 * hundred * 730)


def test_serverless_and_unlimited_cosmos_db_are_usage_based() -> None:
    serverless = _scanned_cosmos(capabilities=[{"name": "EnableServerless"}], capacity=None)
    assert serverless.properties["capacity mode"] == "Serverless"
    line = only(serverless)[0]
    assert line.status == "usage-based" and line.meter.endswith("1M RUs") and line.cost == 0
    assert line.unit_price == _cosmos_meter("Azure Cosmos DB serverless", "1M RUs")
    unlimited = only(_scanned_cosmos(capacity={"totalThroughputLimit": -1}))[0]
    assert unlimited.status == "usage-based" and unlimited.meter.endswith("100 RU/s")
    # The standard meter's unit price, not autoscale's (billed on each hour's highest RU/s).
    assert unlimited.unit_price == _cosmos_meter("Azure Cosmos DB", "100 RU/s")
    assert unlimited.unit_price != _cosmos_meter("Azure Cosmos DB autoscale", "100 RU/s")
    assert "does not know the quantity" in unlimited.reason
