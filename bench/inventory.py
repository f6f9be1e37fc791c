"""Timing of the pure inventory: build_inventory, to_graph, encode/decode and diff on N rows.

    .venv/bin/python bench/inventory.py [N] [--synthetic] [--default-gc]   (default 100000)

By default the rows are the built-in simulator's Resource Graph rows for a generated estate of N
resources in 20 subscriptions (hub-and-spoke VNets, workloads, PaaS). ``--synthetic`` uses the
generator below instead: per "application" one VNet with four subnets (peered to the previous
VNet), a load balancer, NSG, route table, two VMs with NICs, public IP and disks, a private endpoint
to a storage account, an App Service plan and app with VNet integration, a SQL server and database,
a PostgreSQL flexible server in a delegated subnet, and one resource of an unknown type.

Each step runs three times; the best wall and CPU times are printed, with the load average (the
machine is shared, so wall time varies with what else runs).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from typing import Any

from cloudcanvas.inventory.codec import decode_inventory, encode_inventory
from cloudcanvas.inventory.diff import diff_inventories
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.jobs.gc_tuning import tune_gc

LOCATIONS = ["eastus", "West Europe", "westus2", "North Europe"]


def _row(
    rid: str, arm_type: str, location: str, props: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    parts = rid.split("/")
    return {
        "id": rid,
        "name": parts[-1],
        "type": arm_type.lower(),
        "tenantId": "t",
        "kind": extra.pop("kind", ""),
        "location": location,
        "resourceGroup": parts[4].lower(),
        "subscriptionId": parts[2],
        "managedBy": extra.pop("managedBy", ""),
        "sku": extra.pop("sku", None),
        "plan": None,
        "properties": props,
        "tags": {"env": "prod", "app": parts[4]},
        "identity": None,
        "zones": None,
        "extendedLocation": None,
    }


def application(n: int) -> list[dict[str, Any]]:
    """About 24 rows of one application, number ``n``."""
    sub = f"00000000-0000-0000-0000-{n // 500:012d}"
    rg = f"/subscriptions/{sub}/resourceGroups/RG-App{n}"
    net = f"{rg}/providers/Microsoft.Network"
    loc = LOCATIONS[n % len(LOCATIONS)]
    vnet = f"{net}/virtualNetworks/vnet{n}"
    subnets = [f"{vnet}/subnets/{name}" for name in ("web", "app", "data", "pe")]
    rows = []
    subnet_props = [
        {
            "name": s.rsplit("/", 1)[-1],
            "id": s,
            "properties": {
                "addressPrefix": f"10.{n % 250}.{i}.0/24",
                "networkSecurityGroup": {"id": f"{net}/networkSecurityGroups/nsg{n}"},
                "routeTable": {"id": f"{net}/routeTables/rt{n}"},
                "delegations": [
                    {
                        "name": "d",
                        "properties": {"serviceName": "Microsoft.DBforPostgreSQL/flexibleServers"},
                    }
                ]
                if i == 2
                else [],
            },
        }
        for i, s in enumerate(subnets)
    ]
    peer = (
        [
            {
                "properties": {
                    "remoteVirtualNetwork": {
                        "id": f"{rg[: -len(str(n))]}{n - 1}/providers/Microsoft.Network/virtualNetworks/vnet{n - 1}"
                    }
                }
            }
        ]
        if n
        else []
    )
    rows.append(
        _row(
            vnet,
            "Microsoft.Network/virtualNetworks",
            loc,
            {
                "addressSpace": {"addressPrefixes": [f"10.{n % 250}.0.0/16"]},
                "subnets": subnet_props,
                "virtualNetworkPeerings": peer,
            },
        )
    )
    rows.append(
        _row(
            f"{net}/networkSecurityGroups/nsg{n}",
            "Microsoft.Network/networkSecurityGroups",
            loc,
            {"securityRules": [{"properties": {"direction": "Inbound"}}]},
        )
    )
    rows.append(
        _row(f"{net}/routeTables/rt{n}", "Microsoft.Network/routeTables", loc, {"routes": []})
    )
    pip = f"{net}/publicIPAddresses/pip{n}"
    rows.append(
        _row(
            pip,
            "Microsoft.Network/publicIPAddresses",
            loc,
            {"ipAddress": f"20.1.{n % 250}.{n % 200}"},
        )
    )
    lb = f"{net}/loadBalancers/lb{n}"
    vms = []
    for v in range(2):
        nic = f"{net}/networkInterfaces/nic{n}-{v}"
        vm = f"{rg}/providers/Microsoft.Compute/virtualMachines/vm{n}-{v}"
        vms.append((nic, vm))
        rows.append(
            _row(
                nic,
                "Microsoft.Network/networkInterfaces",
                loc,
                {
                    "ipConfigurations": [
                        {
                            "id": f"{nic}/ipConfigurations/ipconfig1",
                            "properties": {
                                "privateIPAddress": f"10.{n % 250}.0.{v + 4}",
                                "subnet": {"id": subnets[0]},
                                "primary": True,
                            },
                        }
                    ],
                    "virtualMachine": {"id": vm},
                },
            )
        )
        disks = [
            f"{rg}/providers/Microsoft.Compute/disks/vm{n}-{v}-os",
            f"{rg}/providers/Microsoft.Compute/disks/vm{n}-{v}-data",
        ]
        rows.append(
            _row(
                vm,
                "Microsoft.Compute/virtualMachines",
                loc,
                {
                    "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                    "storageProfile": {
                        "osDisk": {"osType": "Linux", "managedDisk": {"id": disks[0]}},
                        "dataDisks": [{"managedDisk": {"id": disks[1]}}],
                    },
                    "networkProfile": {
                        "networkInterfaces": [{"id": nic, "properties": {"primary": True}}]
                    },
                    "extended": {"instanceView": {"powerState": {"code": "PowerState/running"}}},
                },
            )
        )
        for disk in disks:
            rows.append(
                _row(
                    disk,
                    "Microsoft.Compute/disks",
                    loc,
                    {"diskSizeGB": 64, "diskState": "Attached"},
                    managedBy=vm,
                    sku={"name": "Premium_LRS"},
                )
            )
    rows.append(
        _row(
            lb,
            "Microsoft.Network/loadBalancers",
            loc,
            {
                "frontendIPConfigurations": [{"properties": {"publicIPAddress": {"id": pip}}}],
                "backendAddressPools": [
                    {
                        "properties": {
                            "backendIPConfigurations": [
                                {"id": f"{nic}/ipConfigurations/ipconfig1"} for nic, _ in vms
                            ]
                        }
                    }
                ],
            },
            sku={"name": "Standard"},
        )
    )
    storage = f"{rg}/providers/Microsoft.Storage/storageAccounts/st{n}"
    pe = f"{net}/privateEndpoints/pe{n}"
    rows.append(
        _row(
            storage,
            "Microsoft.Storage/storageAccounts",
            loc,
            {
                "primaryEndpoints": {"blob": f"https://st{n}.blob.core.windows.net/"},
                "privateEndpointConnections": [{"properties": {"privateEndpoint": {"id": pe}}}],
            },
            kind="StorageV2",
            sku={"name": "Standard_LRS"},
        )
    )
    rows.append(
        _row(
            pe,
            "Microsoft.Network/privateEndpoints",
            loc,
            {
                "subnet": {"id": subnets[3]},
                "privateLinkServiceConnections": [
                    {"properties": {"privateLinkServiceId": storage, "groupIds": ["blob"]}}
                ],
            },
        )
    )
    plan = f"{rg}/providers/Microsoft.Web/serverfarms/plan{n}"
    rows.append(
        _row(
            plan,
            "Microsoft.Web/serverfarms",
            loc,
            {"reserved": True},
            sku={"name": "P1v3", "tier": "PremiumV3"},
        )
    )
    rows.append(
        _row(
            f"{rg}/providers/Microsoft.Web/sites/app{n}",
            "Microsoft.Web/sites",
            loc,
            {
                "serverFarmId": plan,
                "virtualNetworkSubnetId": subnets[1],
                "defaultHostName": f"app{n}.azurewebsites.net",
            },
            kind="app,linux",
        )
    )
    sql = f"{rg}/providers/Microsoft.Sql/servers/sql{n}"
    rows.append(_row(sql, "Microsoft.Sql/servers", loc, {"version": "12.0"}))
    rows.append(
        _row(
            f"{sql}/databases/db{n}",
            "Microsoft.Sql/servers/databases",
            loc,
            {"status": "Online"},
            sku={"name": "GP_Gen5", "tier": "GeneralPurpose", "capacity": 2},
        )
    )
    rows.append(
        _row(
            f"{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg{n}",
            "Microsoft.DBforPostgreSQL/flexibleServers",
            loc,
            {"version": "16", "network": {"delegatedSubnetResourceId": subnets[2]}},
        )
    )
    rows.append(
        _row(f"{rg}/providers/Microsoft.Custom/widgets/w{n}", "Microsoft.Custom/widgets", loc, {})
    )
    return rows


def generate_rows(total: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    n = 0
    while len(rows) < total:
        rows.extend(application(n))
        n += 1
    return rows[:total]


def timed(label: str, func: Any, *args: Any) -> Any:
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(3):
        result = None  # free the previous result outside the timing
        wall, cpu = time.perf_counter(), time.process_time()
        result = func(*args)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(f"{label:<26} wall {best_wall:6.3f} s   cpu {best_cpu:6.3f} s")
    return result


def simulator_rows(total: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from cloudcanvas.simulator import generate_environment
    from cloudcanvas.simulator.graph import container_rows, resource_rows

    env = generate_environment(resources=total, subscriptions=20, principals=20, seed=7)
    return resource_rows(env), container_rows(env)


def changed_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The next scan: 1% of the rows gone, 1% retagged."""
    kept = [dict(row) for i, row in enumerate(rows) if i % 100 != 1]
    for i, row in enumerate(kept):
        if i % 100 == 2:
            row["tags"] = {**(row.get("tags") or {}), "owner": "someone-else"}
    return kept


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    total = int(args[0]) if args else 100_000
    if "--default-gc" not in sys.argv:
        tune_gc()  # as a scan worker runs (cloudcanvas/jobs/gc_tuning.py)
    if "--synthetic" in sys.argv:
        rows, containers = generate_rows(total), list[dict[str, Any]]()
    else:
        rows, containers = simulator_rows(total)
    print(f"{len(rows)} rows, {len(containers)} containers, load average {os.getloadavg()}")
    inv = timed("build_inventory", build_inventory, rows, containers)
    print(f"  resources {len(inv.resources)}, relations {len(inv.relations)}")
    location = next(iter(inv.counts_by_location()))
    graph = timed(f"to_graph ({location})", to_graph, inv, location)
    print(f"  nodes {len(graph.nodes)}, edges {len(graph.edges)}")
    timed("to_graph (all)", to_graph, inv)
    blob = timed("encode_inventory", encode_inventory, inv)
    print(f"  snapshot {len(blob) / 1e6:.1f} MB compressed")
    timed("decode_inventory", decode_inventory, blob)
    later = build_inventory(changed_rows(rows), containers)
    diff = timed("diff_inventories", diff_inventories, inv, later)
    print(f"  {diff.counts()}")
    del inv, later, graph, blob
    tracemalloc.start()
    kept = build_inventory(rows, containers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"build_inventory peak allocation (tracemalloc): {peak / 2**20:.0f} MiB for {len(kept)}")


if __name__ == "__main__":
    main()
