"""Scan benchmark (issue 5 targets), the simulator in its own process at 30 ms per request.

    .venv/bin/python bench/scan.py [--quick]

1. One subscription of 10,000 resources: Resource Graph scan + normalization; requests against
   ceil(N/1000) x queries + 5.
2. 100,000 resources across 20 subscriptions and 20 principals, each within its own quota.
3. The per-type ARM strategy (one list call per type per subscription plus child calls, sequential,
   as cartography does) on the same 10,000 resources: requests and wall time.
4. One account over 20 subscriptions under one principal (issue 13), three ways: the subscriptions
   listed, ``all`` (discovery, then the list) and the management group holding them; Resource Graph
   requests against ceil(rows/1000) per query, and time against the quota bound (15 queries per
   5 s: a scan of Q queries cannot finish before (ceil(Q/15) - 1) x 5 s).

    .venv/bin/python bench/scan.py --accounts [N]   # case 4 only, N resources (default 100,000)
Peak memory is this (client) process's maximum RSS.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from cloudcanvas.azure import AzureEndpoints, Credentials, scan_many
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.inventory.types import CATALOGUE

LATENCY = 0.03
SERVER = """
import sys, json
from pathlib import Path
from cloudcanvas.simulator import Simulator, generate_environment
n, subs, principals, latency, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), Path(sys.argv[5])
env = generate_environment(resources=n, subscriptions=subs, principals=principals, seed=1)
from cloudcanvas.simulator.environment import ManagementGroup, RoleAssignment
env.management_groups = [ManagementGroup("mg-bench", "Bench", None, [s.subscription_id for s in env.subscriptions])]
env.role_assignments.append(RoleAssignment(env.principals[0].object_id, env.management_groups[0].id))
counts = {}
for r in env.resources:
    sid = str(r["id"]).split("/")[2].lower()
    counts[sid] = counts.get(sid, 0) + 1
principals = [{"tenant": p.tenant_id, "app": p.app_id, "secret": p.secret} for p in env.principals]
subs = [s.subscription_id for s in env.subscriptions]
(out / "env.json").write_text(json.dumps({"principals": principals, "subscriptions": subs, "counts": counts}))
sim = Simulator(env, cert_dir=out, latency=latency, graph_quota=(15, 5.0)).start()
(out / "ready").write_text(json.dumps({"base": sim.base_url, "ca": str(sim.ca_bundle)}))
sys.stdin.read()
sim.stop()
"""
# Child collections a per-type collector lists for each parent (cartography-style).
CHILDREN = {
    "microsoft.storage/storageaccounts": [
        "blobServices",
        "fileServices",
        "queueServices",
        "tableServices",
        "blobServices/default/containers",
        "fileServices/default/shares",
        "queueServices/default/queues",
        "tableServices/default/tables",
    ],
    "microsoft.sql/servers": ["databases", "firewallRules", "elasticPools"],
    "microsoft.network/virtualnetworks": ["subnets", "virtualNetworkPeerings"],
    "microsoft.network/networksecuritygroups": ["securityRules"],
    "microsoft.compute/virtualmachines": ["extensions"],
    "microsoft.containerservice/managedclusters": ["agentPools"],
    "microsoft.web/sites": ["config", "slots"],
    "microsoft.documentdb/databaseaccounts": ["sqlDatabases"],
}


class Server:
    def __init__(self, n: int, subs: int, principals: int, latency: float) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cc-bench-"))
        args = [str(n), str(subs), str(principals), str(latency), str(self.dir)]
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, *args], stdin=subprocess.PIPE)
        while not (self.dir / "ready").exists():
            if self.proc.poll() is not None:
                raise RuntimeError("the simulator did not start")
            time.sleep(0.1)
        info = json.loads((self.dir / "ready").read_text())
        self.base, self.ca = info["base"], info["ca"]
        self.env = json.loads((self.dir / "env.json").read_text())
        self.endpoints = AzureEndpoints(self.base, self.base, self.ca, custom=True, timeout=60)

    def requests_seen(self) -> int:
        return len(
            requests.get(f"{self.base}/_simulator/requests", verify=self.ca, timeout=30).json()[
                "requests"
            ]
        )

    def reset(self) -> None:
        requests.delete(f"{self.base}/_simulator/requests", verify=self.ca, timeout=30)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def jobs_for(env: dict[str, Any]) -> list[tuple[Credentials, list[str]]]:
    """One job per principal: principal 0 (who reads every subscription) scans the last one,
    principal i the subscription i - 1; a lone principal scans them all."""
    subs, principals = env["subscriptions"], env["principals"]
    jobs = []
    for i, p in enumerate(principals):
        scope = (
            subs if len(principals) == 1 else [subs[-1]] if i == 0 else [subs[(i - 1) % len(subs)]]
        )
        jobs.append((Credentials(p["tenant"], p["app"], p["secret"]), scope))
    return jobs


def target(env: dict[str, Any], queries: int = 2) -> int:
    return sum(math.ceil(n / 1000) * queries + 5 for n in env["counts"].values())


def ours(server: Server) -> dict[str, Any]:
    server.reset()
    jobs = jobs_for(server.env)
    started = time.perf_counter()
    results = scan_many(server.endpoints, jobs, max_concurrency=max(8, 2 * len(jobs)))
    scanned = time.perf_counter() - started
    rows = [r for res in results for r in res.resources]
    containers = [r for res in results for r in res.containers]
    started = time.perf_counter()
    inventory = build_inventory(rows, containers)
    normalized = time.perf_counter() - started
    return {
        "rows": len(rows),
        "resources": len(inventory),
        "scan_s": scanned,
        "normalize_s": normalized,
        "total_s": scanned + normalized,
        "requests": server.requests_seen(),
        "target": target(server.env),
        "failures": sum(len(r.failures) for r in results),
    }


def _list(session: requests.Session, base: str, ca: str, path: str) -> tuple[int, list[str]]:
    """Every page of one ARM list: (requests made, ids listed)."""
    calls, ids = 0, []
    next_url: str | None = f"{base}{path}?api-version=2023-01-01"
    while next_url:
        response = session.get(next_url, verify=ca, timeout=60)
        calls += 1
        body = response.json() if response.status_code == 200 else {}
        ids += [str(item.get("id", "")) for item in body.get("value", [])]
        next_url = body.get("nextLink")
    return calls, ids


def per_type_baseline(server: Server) -> dict[str, Any]:
    """One list call per type per subscription, then the child calls of what each listed,
    one request at a time."""
    from azure.identity import ClientSecretCredential

    creds: Credentials = jobs_for(server.env)[0][0]
    token = (
        ClientSecretCredential(
            creds.tenant_id,
            creds.client_id,
            creds.client_secret,
            authority=server.base,
            disable_instance_discovery=True,
            connection_verify=server.ca,
        )
        .get_token(f"{server.base}/.default")
        .token
    )
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    server.reset()
    started = time.perf_counter()
    calls = 1  # the token
    for sub in server.env["subscriptions"]:
        calls += _list(session, server.base, server.ca, f"/subscriptions/{sub}/resourcegroups")[0]
        for arm_type in sorted(t for t in CATALOGUE if t.count("/") == 1):
            namespace, kind = arm_type.split("/")
            made, ids = _list(
                session,
                server.base,
                server.ca,
                f"/subscriptions/{sub}/providers/{namespace}/{kind}",
            )
            calls += made
            for resource_id in ids:
                for child in CHILDREN.get(arm_type, []):
                    calls += _list(session, server.base, server.ca, f"{resource_id}/{child}")[0]
    return {
        "requests": calls,
        "wall_s": time.perf_counter() - started,
        "server_requests": server.requests_seen(),
    }


def graph_requests(server: Server) -> int:
    log = requests.get(f"{server.base}/_simulator/requests", verify=server.ca, timeout=30).json()
    return sum(1 for r in log["requests"] if r.get("route") == "resourcegraph")


def one_account(server: Server, scope: str) -> dict[str, Any]:
    """One account over every subscription, scanned as the scan job does (scope resolved first)."""
    from cloudcanvas.azure.scope import target_of

    p = server.env["principals"][0]
    creds = Credentials(p["tenant"], p["app"], p["secret"])
    subs = server.env["subscriptions"]
    server.reset()
    started = time.perf_counter()
    listed = subs if scope == "list" else []
    named = {
        "list": None,
        "all": "all",
        "mg": "/providers/Microsoft.Management/managementGroups/mg-bench",
    }
    target = target_of(server.endpoints, creds, listed, named[scope])
    result = scan_many(server.endpoints, [(creds, target)])[0]
    elapsed = time.perf_counter() - started
    graph = graph_requests(server)
    rows = len(result.resources)
    bound = math.ceil(rows / 1000) + math.ceil(len(result.containers) / 1000)
    return {
        "scope": scope,
        "rows": rows,
        "subscriptions": len({r["subscriptionId"] for r in result.resources}),
        "graph": graph,
        "bound": bound,
        "requests": server.requests_seen(),
        "seconds": elapsed,
        "quota_floor": (math.ceil(graph / 15) - 1) * 5.0,
        "failures": len(result.failures),
    }


def accounts(n: int) -> None:
    server = Server(n, 20, 1, LATENCY)
    try:
        runs = [one_account(server, scope) for scope in ("list", "all", "mg")]
    finally:
        server.close()
    print(
        f"one account, one principal, 20 subscriptions, {n} resources; latency {LATENCY * 1000:.0f} ms"
    )
    for r in runs:
        print(
            f"  {r['scope']:>4}: {r['rows']} rows from {r['subscriptions']} subscriptions;"
            f" Resource Graph requests {r['graph']} (bound ceil(rows/1000) per query = {r['bound']});"
            f" all requests {r['requests']}; {r['seconds']:.1f} s"
            f" (quota floor {r['quota_floor']:.0f} s); failures {r['failures']}"
        )


def main() -> None:
    if "--accounts" in sys.argv:
        rest = [a for a in sys.argv[1:] if a.isdigit()]
        accounts(int(rest[0]) if rest else 100_000)
        return
    quick = "--quick" in sys.argv
    small = Server(2_000 if quick else 10_000, 1, 1, LATENCY)
    try:
        one = ours(small)
        baseline = per_type_baseline(small)
    finally:
        small.close()
    big_n = 20_000 if quick else 100_000
    big = Server(big_n, 20, 20, LATENCY)
    try:
        many = ours(big)
    finally:
        big.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"simulator latency {LATENCY * 1000:.0f} ms per request; cpus {os.cpu_count()}")
    print(
        f"1 subscription, {one['rows']} rows -> {one['resources']} resources: scan {one['scan_s']:.2f} s"
        f" + normalize {one['normalize_s']:.2f} s = {one['total_s']:.2f} s (target < 3 s);"
        f" requests {one['requests']} (target <= {one['target']}); failures {one['failures']}"
    )
    print(
        f"20 subscriptions / 20 principals, {many['rows']} rows -> {many['resources']} resources: scan"
        f" {many['scan_s']:.2f} s + normalize {many['normalize_s']:.2f} s = {many['total_s']:.2f} s"
        f" (target < 20 s); requests {many['requests']} (target <= {many['target']});"
        f" failures {many['failures']}"
    )
    print(
        f"per-type ARM baseline on the same subscription: {baseline['requests']} requests,"
        f" {baseline['wall_s']:.1f} s; ours {one['requests']} requests, {one['scan_s']:.2f} s ->"
        f" {baseline['requests'] / max(1, one['requests']):.0f}x fewer requests,"
        f" {baseline['wall_s'] / max(1e-9, one['scan_s']):.0f}x faster"
    )
    print(f"peak memory (client process): {peak:.0f} MiB (target < 1024 MiB)")


if __name__ == "__main__":
    main()
