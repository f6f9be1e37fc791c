"""Drift: the simulated estate changes between scans, deterministically, never within a query."""

from __future__ import annotations

import copy
import json
import ssl
import time
from typing import Any

import httpx
import pytest
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from cloudcanvas.simulator import Environment, Simulator, generate_environment
from cloudcanvas.simulator import sample as ids
from cloudcanvas.simulator.drift import REMOVABLE, apply_step
from tests.simulator.test_cli import run_until_ready
from tests.simulator.test_graph import follow, graph, rows


def _estate() -> Environment:
    return generate_environment(resources=120, subscriptions=2, seed=5)


def _by_id(env: Environment) -> dict[str, dict[str, Any]]:
    return {str(r["id"]): copy.deepcopy(r) for r in env.resources}


def test_a_step_adds_changes_and_removes_in_every_subscription() -> None:
    env = _estate()
    before = _by_id(env)
    step = apply_step(env, seed=7, number=1)
    after = _by_id(env)
    assert set(after) - set(before) == set(step.added)
    assert set(before) - set(after) == set(step.removed)
    for sub in env.subscriptions:
        prefix = f"/subscriptions/{sub.subscription_id}/"
        assert len([r for r in step.added if r.startswith(prefix)]) == 1
        assert len([r for r in step.changed if r.startswith(prefix)]) == 2
        assert len([r for r in step.removed if r.startswith(prefix)]) == 1
    for rid in step.changed:
        assert after[rid]["tags"]["owner"] != (before[rid].get("tags") or {}).get("owner")
    for rid in step.removed:
        assert before[rid]["type"].lower() in REMOVABLE  # a leaf, never a network
        assert rid.lower() not in json.dumps(env.resources).lower()  # nothing pointed at it
    for rid in step.added:
        assert after[rid]["type"] == "Microsoft.Storage/storageAccounts"
        group = rid.split("/providers/")[0].lower()
        assert group in {g.id.lower() for g in env.resource_groups}


def test_a_later_step_removes_what_an_earlier_one_added() -> None:
    env = _estate()
    first = apply_step(env, seed=7, number=1)
    second = apply_step(env, seed=7, number=2)
    assert sorted(second.removed) == sorted(first.added)


def test_steps_are_deterministic_given_the_seed() -> None:
    one, two, other = _estate(), _estate(), _estate()
    for number in (1, 2, 3):
        assert apply_step(one, 11, number) == apply_step(two, 11, number)
    assert one.to_dict() == two.to_dict()
    apply_step(other, 12, 1)
    assert other.to_dict() != _estate().to_dict()
    assert [apply_step(_estate(), 12, 1)] != [apply_step(_estate(), 11, 1)]


def _tls(sim: Simulator) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sim.ca_bundle))


def _ids(sim: Simulator) -> set[str]:
    return {row["id"] for row in rows(sim, "Resources | project id")}


def test_off_unless_a_seed_is_given(sim: Simulator) -> None:
    before = _ids(sim)
    assert _ids(sim) == before
    assert sim.drift_steps == []
    with pytest.raises(ValueError, match="drift is off"):
        sim.drift_step()
    answer = httpx.post(f"{sim.base_url}/_simulator/drift", verify=_tls(sim))
    assert answer.status_code == 400 and "drift is off" in answer.text


def test_a_running_simulator_drifts_between_queries_never_between_pages() -> None:
    with Simulator(
        Environment.sample(), drift_seed=3, drift_interval=0.2, graph_quota=(10_000, 5.0)
    ) as sim:
        first = _ids(sim)
        time.sleep(0.3)
        # One query of many pages: at most one step, taken before its first page.
        client = graph(sim)
        request = QueryRequest(
            query="Resources | order by id asc | project id",
            options=QueryRequestOptions(top=2, result_format="objectArray"),
        )
        paged: list[str] = []
        while True:
            page = client.resources(request)
            paged += [row["id"] for row in page.data]
            if not page.skip_token:
                break
            follow(request, page.skip_token)
            time.sleep(0.05)
        assert len(paged) >= 20  # ten pages or more: the query outlasted the interval
        assert len(sim.drift_steps) == 1
        assert len(paged) == len(set(paged)) == page.total_records
        step = sim.drift_steps[0]
        assert set(paged) == (first - set(step.removed)) | set(step.added)
        assert set(step.added) and set(step.changed)
        # The next query, after the interval, sees the next step.
        time.sleep(0.3)
        assert _ids(sim) != set(paged) and len(sim.drift_steps) == 2


def test_the_control_api_takes_a_step_and_lists_them() -> None:
    with Simulator(Environment.sample(), drift_seed=3, drift_interval=0) as sim:
        before = _ids(sim)
        assert sim.drift_steps == []  # interval 0: only on request
        verify = _tls(sim)
        answer = httpx.post(f"{sim.base_url}/_simulator/drift", verify=verify).json()
        assert answer["enabled"] and answer["seed"] == 3 and len(answer["steps"]) == 1
        added = set(answer["steps"][0]["added"])
        assert added and added <= _ids(sim) and not added & before
        listed = httpx.get(f"{sim.base_url}/_simulator/drift", verify=verify).json()
        assert listed["steps"] == answer["steps"]
        tagged = rows(sim, "Resources | project id, tags", [ids.PRODUCTION_ID])
        changed = set(answer["steps"][0]["changed"])
        assert any(row["id"] in changed and row["tags"].get("owner") for row in tagged)


def test_latency_is_felt_by_every_request() -> None:
    with Simulator(Environment.sample(), latency=0.25) as sim:
        started = time.perf_counter()
        httpx.get(f"{sim.base_url}/subscriptions?api-version=2022-12-01", verify=_tls(sim))
        assert time.perf_counter() - started >= 0.25


def test_the_command_line_turns_drift_and_latency_on(tmp_path: Any) -> None:
    output = run_until_ready(
        "--cert-dir",
        str(tmp_path),
        "--drift-seed",
        "9",
        "--drift-interval",
        "30",
        "--latency",
        "0.2",
    )
    assert "latency:    0.2 s per request" in output
    assert "drift:      seed 9, a step every 30 s" in output and "/_simulator/drift" in output
