"""Simulator overhead per request at zero latency, and generator speed.

Run: .venv/bin/python bench/simulator.py [--requests N]
Round trips use one kept-alive HTTPS connection (httpx), so they measure the simulator plus a
minimal client, not TLS handshakes; "server" is the handler time the simulator logs itself.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import httpx

from cloudcanvas.simulator import Environment, Simulator, generate_environment


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(sim: Simulator, n: int, label: str, call: Callable[[], httpx.Response]) -> list[str]:
    for _ in range(20):  # warm caches and the connection
        call().raise_for_status()
    sim.reset_requests()
    rounds = []
    for _ in range(n):
        start = time.perf_counter()
        call().raise_for_status()
        rounds.append(time.perf_counter() - start)
    server = [r.duration for r in sim.requests]
    return [
        label,
        f"{statistics.median(rounds) * 1000:.3f}",
        f"{sorted(rounds)[int(n * 0.95)] * 1000:.3f}",
        f"{statistics.median(server) * 1000:.3f}",
    ]


def request_rows(env: Environment, n: int, env_label: str) -> list[list[str]]:
    rows = []
    with (
        Simulator(env, graph_quota=(10**9, 5.0)) as sim,
        httpx.Client(verify=str(sim.ca_bundle)) as client,
    ):
        base = sim.base_url
        bearer = {
            "Authorization": f"Bearer {_token_call(client, base, env).json()['access_token']}"
        }
        graph_url = f"{base}/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01"
        small = {"query": "Resources | project id, name, type", "options": {"$top": 100}}
        full = {"query": "Resources | order by id asc", "options": {"$top": 1000}}
        subs_url = f"{base}/subscriptions?api-version=2022-12-01"
        rows.append(
            measure(sim, n, f"token POST ({env_label})", lambda: _token_call(client, base, env))
        )
        rows.append(
            measure(
                sim,
                n,
                f"GET /subscriptions ({env_label})",
                lambda: client.get(subs_url, headers=bearer),
            )
        )
        rows.append(
            measure(
                sim,
                n,
                f"Resource Graph, 100 rows x 3 cols ({env_label})",
                lambda: client.post(graph_url, json=small, headers=bearer),
            )
        )
        rows.append(
            measure(
                sim,
                max(20, n // 10),
                f"Resource Graph, 1000 full rows ({env_label})",
                lambda: client.post(graph_url, json=full, headers=bearer),
            )
        )
    return rows


def _token_call(client: httpx.Client, base: str, env: Environment) -> httpx.Response:
    p = env.principals[0]
    form = {
        "client_id": p.app_id,
        "grant_type": "client_credentials",
        "client_secret": p.secret,
        "scope": "https://management.azure.com/.default",
    }
    return client.post(f"{base}/{p.tenant_id}/oauth2/v2.0/token", data=form)


def generation_rows() -> list[list[str]]:
    rows = []
    for size in (2_000, 20_000, 100_000):
        seconds = timed(partial(generate_environment, resources=size, subscriptions=4, seed=1))
        rows.append([f"generate {size:,} resources", f"{seconds:.2f} s"])
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    rows = request_rows(Environment.sample(), args.requests, "sample")
    big = generate_environment(resources=20_000, subscriptions=4, seed=1)
    rows += request_rows(big, args.requests, "20k resources")
    print(
        table(
            [
                "request (kept-alive HTTPS)",
                "round trip ms (median)",
                "p95 ms",
                "server ms (median)",
            ],
            rows,
        )
    )
    print()
    print(table(["generator", "time"], generation_rows()))


if __name__ == "__main__":
    main()
