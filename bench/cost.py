"""Cost: pricing a 100,000-resource snapshot with a warm price cache, and the Retail Prices API
requests a 10,000-resource scan needs.

    .venv/bin/python bench/cost.py [N] [SCAN_N] [DRAW_N]   (defaults 100000, 10000 and 10000)

The estates are the built-in simulator's generated ones (hub-and-spoke networks, VMs, disks,
scale sets, AKS, App Service, SQL, PostgreSQL, Redis, gateways ...) in three regions. Pricing runs
``cost.pricing.price_resources`` over the decoded inventory with the whole simulator price list
loaded as the table (the warm cache: no database, no network), three times, best time printed.
The request count is real: the SKUs the scan found are looked up, batched, against a running
simulator, counting its requests (pages included). The cost layer of an export (``cost=true``) is
timed on a DRAW_N-row estate: SVG and PNG of every region, with and without the layer.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime

from cloudcanvas.cost.catalogue import Catalogue, plan_lookups
from cloudcanvas.cost.drawings import cost_data
from cloudcanvas.cost.pricing import Price, PriceTable, charges_of, price_resources
from cloudcanvas.cost.service import Budget
from cloudcanvas.diagram import RenderOptions, render
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator import Simulator
from cloudcanvas.simulator.generator import generate_environment
from cloudcanvas.simulator.graph import container_rows, resource_rows
from cloudcanvas.simulator.prices import catalogue_items

REGIONS = ("eastus", "westeurope", "southeastasia")


def estate(n: int) -> Inventory:
    env = generate_environment(resources=n, subscriptions=max(2, n // 5000), regions=REGIONS)
    return build_inventory(resource_rows(env), container_rows(env))


def warm_table() -> PriceTable:
    table = PriceTable()
    now = datetime.now(UTC)
    for i in catalogue_items():
        table.add(
            Price(
                i["serviceName"], i["armRegionName"], i["armSkuName"], i["skuName"],
                i["productName"], i["meterName"], i["unitOfMeasure"], i["retailPrice"],
                i["unitPrice"], now,
            )
        )  # fmt: skip
    return table


def bench_pricing(n: int) -> None:
    inv = estate(n)
    table = warm_table()
    resources = list(inv.resources.values())
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        lines = price_resources(resources, table)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    statuses = {
        s: sum(1 for ln in lines if ln.status == s) for s in ("priced", "usage-based", "unpriced")
    }
    print(
        f"price {len(resources):,} resources ({len(lines):,} lines {statuses}): "
        f"best wall {best_wall:.3f} s, cpu {best_cpu:.3f} s; load {os.getloadavg()[0]:.1f}"
    )


def bench_requests(n: int) -> None:
    inv = estate(n)
    wanted = charges_of(inv.resources.values())
    lookups = plan_lookups(wanted)
    sim = Simulator(generate_environment(resources=10)).start()
    try:
        with Catalogue(f"{sim.base_url}/api/retail/prices", ca_bundle=sim.ca_bundle) as catalogue:
            meters = sum(len(catalogue.fetch(lookup, "USD")) for lookup in lookups)
            requests = catalogue.requests
    finally:
        sim.stop()
    print(
        f"scan of {len(inv):,} resources: {len(wanted)} SKU×region needs, {len(lookups)} "
        f"filtered lookups, {requests} Retail Prices API requests, {meters} meters"
    )


def bench_layer(n: int) -> None:
    from cloudcanvas.config import Settings

    inv = estate(n)
    lines = price_resources(list(inv.resources.values()), warm_table())
    budget = Budget(lines, "USD", "m", "effective", None, None)
    settings = Settings(azure_prices_url="https://prices.azure.com/api/retail/prices")
    graph = to_graph(inv, None)
    wall = time.perf_counter()
    cost = cost_data(budget, settings)
    convert = time.perf_counter() - wall
    for fmt in ("svg", "png"):
        times = {}
        for label, opts in (("plain", RenderOptions()), ("cost", RenderOptions(cost=cost))):
            best = float("inf")
            for _ in range(2):
                start = time.perf_counter()
                data = render(graph, fmt, opts)
                best = min(best, time.perf_counter() - start)
            times[label] = (best, len(data))
        print(
            f"{fmt} of {len(graph.nodes):,} resources: plain {times['plain'][0]:.2f} s "
            f"({times['plain'][1] / 1e6:.1f} MB), with cost {times['cost'][0]:.2f} s "
            f"({times['cost'][1] / 1e6:.1f} MB); budget → layer data {convert:.3f} s; "
            f"load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    bench_pricing(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    bench_requests(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    bench_layer(int(sys.argv[3]) if len(sys.argv) > 3 else 10_000)
