"""Scan figures against the simulator: wall time and requests of the Resource Graph scanner.

    .venv/bin/python bench/scan_client.py [RESOURCES] [SUBSCRIPTIONS] [PRINCIPALS] [LATENCY] [REPEAT]

Defaults: 10000 resources, 1 subscription, 1 principal, 0.03 s latency per request, 1 run. With several
principals, principal i scans subscription i - 1 (principal 0, who may read them all, scans the
last one), each within its own Resource Graph quota. ``scan_environment`` is the helper that
``bench/scan.py`` can import.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from cloudcanvas.azure import AzureEndpoints, Credentials, ScanResult, scan_many
from cloudcanvas.simulator import Environment, Simulator, generate_environment


@dataclass
class ScanFigures:
    resources: int
    containers: int
    subscriptions: int
    principals: int
    wall: float
    requests: int  # counted by the client
    server_requests: int  # counted by the simulator
    target: int  # sum over subscriptions of ceil(N/1000) x 2 + 5
    failures: int
    normalize: float | None = None

    def lines(self) -> list[str]:
        rows = [
            f"resources         {self.resources} ({self.containers} containers)",
            f"subscriptions     {self.subscriptions}, principals {self.principals}",
            f"scan wall time    {self.wall:.3f} s",
            f"requests          {self.requests} (simulator saw {self.server_requests}; "
            f"target <= {self.target})",
            f"failures          {self.failures}",
        ]
        if self.normalize is not None:
            rows.append(f"normalize         {self.normalize:.3f} s")
            rows.append(f"scan + normalize  {self.wall + self.normalize:.3f} s")
        return rows


def jobs_for(env: Environment) -> list[tuple[Credentials, list[str]]]:
    """One job per principal; with one principal, it scans every subscription."""
    subs = [s.subscription_id for s in env.subscriptions]
    jobs = []
    for i, p in enumerate(env.principals):
        if len(env.principals) == 1:
            scope = subs
        elif i == 0:
            scope = [subs[-1]]
        else:
            scope = [subs[(i - 1) % len(subs)]]
        jobs.append((Credentials(p.tenant_id, p.app_id, p.secret), scope))
    return jobs


def _target(env: Environment) -> int:
    counts: dict[str, int] = {}
    for r in env.resources:
        sid = str(r["id"]).split("/")[2].lower()
        counts[sid] = counts.get(sid, 0) + 1
    return sum(math.ceil(max(n, 1) / 1000) * 2 + 5 for n in counts.values())


def _normalize(results: list[ScanResult]) -> float | None:
    try:
        from cloudcanvas.inventory.normalize import build_inventory
    except ImportError:
        return None
    rows: list[dict[str, Any]] = [r for res in results for r in res.containers + res.resources]
    started = time.perf_counter()
    build_inventory(rows)
    return time.perf_counter() - started


def scan_environment(env: Environment, *, latency: float = 0.03, repeat: int = 1) -> ScanFigures:
    """Start a simulator for ``env``, scan it the way the product does, and measure.

    With ``repeat`` > 1 the scan runs that many times (quota reset between runs) and ``wall`` is
    the median, which shrugs off a busy machine.
    """
    with Simulator(env, latency=latency) as sim:
        endpoints = AzureEndpoints(
            sim.base_url, sim.base_url, str(sim.ca_bundle), custom=True, timeout=30.0
        )
        jobs = jobs_for(env)
        walls = []
        for _ in range(max(1, repeat)):
            sim.reset_quota()
            sim.reset_requests()
            started = time.perf_counter()
            results = scan_many(endpoints, jobs, max_concurrency=max(8, 2 * len(jobs)))
            walls.append(time.perf_counter() - started)
            server_requests = len(sim.requests)
        wall = statistics.median(walls)
    return ScanFigures(
        resources=sum(len(r.resources) for r in results),
        containers=sum(len(r.containers) for r in results),
        subscriptions=len(env.subscriptions),
        principals=len(env.principals),
        wall=wall,
        requests=sum(r.requests for r in results),
        server_requests=server_requests,
        target=_target(env),
        failures=sum(len(r.failures) for r in results),
        normalize=_normalize(results),
    )


def _serve(env: Environment, latency: float, conn: Any) -> None:
    with Simulator(env, latency=latency) as sim:
        conn.send((sim.base_url, str(sim.ca_bundle)))
        conn.recv()  # until the parent is done


def scan_out_of_process(env: Environment, *, latency: float = 0.03) -> tuple[float, int, int]:
    """The simulator in a child process, so the scan has the interpreter (and its memory) alone.

    Returns (wall seconds, requests, peak RSS of this process in MiB after the scan).
    """
    import multiprocessing
    import resource

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve, args=(env, latency, child), daemon=True
    )
    server.start()
    base_url, ca_bundle = parent.recv()
    endpoints = AzureEndpoints(base_url, base_url, ca_bundle, custom=True, timeout=30.0)
    jobs = jobs_for(env)
    del env
    started = time.perf_counter()
    results = scan_many(endpoints, jobs, max_concurrency=max(8, 2 * len(jobs)))
    wall = time.perf_counter() - started
    parent.send("done")
    server.join(10)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return wall, sum(r.requests for r in results), peak


def main(argv: list[str]) -> None:
    resources = int(argv[0]) if argv else 10_000
    subscriptions = int(argv[1]) if len(argv) > 1 else 1
    principals = int(argv[2]) if len(argv) > 2 else 1
    latency = float(argv[3]) if len(argv) > 3 else 0.03
    repeat = int(argv[4]) if len(argv) > 4 else 1
    env = generate_environment(
        resources=resources, subscriptions=subscriptions, principals=principals, seed=1
    )
    print(f"scan of {resources} resources, simulator latency {latency * 1000:.0f} ms")
    if "SEPARATE" in __import__("os").environ:
        wall, requests, peak = scan_out_of_process(env, latency=latency)
        print(
            f"simulator in another process: scan {wall:.3f} s, {requests} requests, "
            f"peak RSS {peak} MiB (includes the generated environment)"
        )
        return
    for line in scan_environment(env, latency=latency, repeat=repeat).lines():
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
