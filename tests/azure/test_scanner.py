"""The Resource Graph scanner: every row, few requests, quota kept, every failure named."""

from __future__ import annotations

import logging
import math

import pytest

from cloudcanvas.azure import (
    AzureEndpoints,
    QuotaSource,
    ScanProgress,
    scan_many,
    scan_subscriptions,
)
from cloudcanvas.simulator import Simulator
from tests.azure.conftest import (
    BIG_RESOURCES,
    EXPIRED,
    SCANNER,
    SCANNER_TWO,
    SMALL_RESOURCES,
    SUB_BIG,
    SUB_PROD,
    SUB_SMALL,
    answered,
)
from tests.resource_graph import COLUMNS as RESOURCE_GRAPH_COLUMNS

COLUMNS = set(RESOURCE_GRAPH_COLUMNS)


def graph_answers(sim: Simulator) -> list[int]:
    return [r.status for r in answered(sim) if r.route == "resourcegraph"]


def test_a_scan_pages_through_every_resource(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    seen: list[ScanProgress] = []
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_BIG], on_progress=seen.append)
    assert not result.partial and result.failures == []
    ids = [r["id"] for r in result.resources]
    assert len(ids) == BIG_RESOURCES == len(set(ids))
    assert all(set(r) >= COLUMNS for r in result.resources)
    # 4 pages of resources, 1 of containers: one progress report a page, counts only grow
    assert len(seen) == 5
    assert [p.pages for p in seen] == [1, 2, 3, 4, 5]
    assert seen[-1].resources == BIG_RESOURCES


def test_the_request_count_stays_within_the_target(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_BIG])
    pages = math.ceil(BIG_RESOURCES / 1000)
    # discovery + token, `pages` pages of Resources, one page of ResourceContainers
    assert result.requests == 2 + pages + 1
    assert result.requests <= pages * 2 + 5
    # what the simulator saw from this app (answers held by earlier timeout tests may land late)
    mine = [r.route for r in answered(clean_sim) if r.app_id == SCANNER.app_id]
    assert sorted(mine) == ["resourcegraph"] * (pages + 1) + ["token"]


def test_containers_hold_the_subscription_and_its_groups(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_BIG])
    kinds = {(c["type"], c["name"]) for c in result.containers}
    assert ("microsoft.resources/subscriptions", SUB_BIG) in kinds or any(
        t == "microsoft.resources/subscriptions" for t, _ in kinds
    )
    groups = {n for t, n in kinds if t == "microsoft.resources/subscriptions/resourcegroups"}
    assert groups == {f"rg-{n}" for n in range(7)}


def test_several_subscriptions_go_into_one_query(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_BIG, SUB_SMALL.upper()])
    assert len(result.resources) == BIG_RESOURCES + SMALL_RESOURCES
    assert len(graph_answers(clean_sim)) == math.ceil((BIG_RESOURCES + SMALL_RESOURCES) / 1000) + 1


def test_a_small_quota_is_waited_for_not_run_into(
    clean_sim: Simulator, endpoints: AzureEndpoints, fresh_quotas: QuotaSource
) -> None:
    clean_sim.set_graph_quota(2, 1.0)
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_BIG], quotas=fresh_quotas)
    assert result.failures == []
    assert len(result.resources) == BIG_RESOURCES
    assert 429 not in graph_answers(clean_sim)


@pytest.mark.parametrize("retry_after", [None, 1])
def test_throttling_is_retried(
    clean_sim: Simulator, endpoints: AzureEndpoints, retry_after: int | None
) -> None:
    clean_sim.inject_fault("resourcegraph", status=429, count=3, retry_after=retry_after)
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_SMALL])
    assert result.failures == [] and not result.partial
    assert len(result.resources) == SMALL_RESOURCES
    assert graph_answers(clean_sim).count(429) == 3


@pytest.mark.parametrize("fault", ["503", "timeout"])
def test_a_passing_fault_is_retried(
    clean_sim: Simulator, endpoints: AzureEndpoints, fault: str
) -> None:
    if fault == "timeout":
        clean_sim.inject_fault("resourcegraph", count=1, timeout=True)
    else:
        clean_sim.inject_fault("resourcegraph", status=503, count=2)
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_SMALL])
    assert result.failures == []
    assert len(result.resources) == SMALL_RESOURCES


def test_a_persistent_fault_ends_partial_with_failures_named(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    clean_sim.inject_fault("resourcegraph", status=503, count=1000)
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_SMALL])
    assert result.partial
    assert sorted(f.query for f in result.failures) == ["containers", "resources"]
    for failure in result.failures:
        assert (failure.code, failure.status) == ("azure_unavailable", 503)
        assert failure.subscription_ids == [SUB_SMALL]
        assert "missing from the diagram" in failure.impact


def test_a_scan_out_of_time_ends_partial(clean_sim: Simulator, endpoints: AzureEndpoints) -> None:
    clean_sim.inject_fault("resourcegraph", status=500, count=1000)
    result = scan_subscriptions(endpoints, SCANNER.creds(), [SUB_SMALL], timeout=0.5)
    assert result.partial and result.failures
    assert {f.code for f in result.failures} <= {"azure_unavailable", "scan_timeout"}


def test_an_expired_secret_is_reported_with_its_code(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, EXPIRED.creds(), [SUB_PROD])
    assert result.partial and result.resources == []
    assert {f.code for f in result.failures} == {"expired_client_secret"}
    assert "Certificates & secrets" in result.failures[0].message
    assert graph_answers(clean_sim) == []  # no query was sent without a token


def test_a_subscription_the_principal_cannot_read_yields_nothing(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, SCANNER_TWO.creds(), [SUB_BIG])
    assert [r for r in result.resources if SUB_BIG in r["id"]] == []


def test_many_accounts_at_once(clean_sim: Simulator, endpoints: AzureEndpoints) -> None:
    seen: list[tuple[int, int]] = []
    results = scan_many(
        endpoints,
        [(SCANNER.creds(), [SUB_BIG]), (SCANNER_TWO.creds(), [SUB_SMALL]), (EXPIRED.creds(), [])],
        on_progress=lambda i, p: seen.append((i, p.pages)),
    )
    assert [len(r.resources) for r in results] == [BIG_RESOURCES, SMALL_RESOURCES, 0]
    assert [r.partial for r in results] == [False, False, False]
    assert {i for i, _ in seen} == {0, 1}


def test_the_secret_never_reaches_failures_or_logs(
    clean_sim: Simulator, endpoints: AzureEndpoints, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clean_sim.inject_fault("resourcegraph", status=503, count=1000)
    results = [
        scan_subscriptions(endpoints, SCANNER.creds(), [SUB_SMALL]),
        scan_subscriptions(endpoints, EXPIRED.creds(), [SUB_PROD]),
    ]
    texts = [repr(r.failures) for r in results] + [r.getMessage() for r in caplog.records]
    assert results[0].failures and results[1].failures
    for secret in (SCANNER.secret, EXPIRED.secret):
        assert not [t for t in texts if secret in t]


def test_accounts_of_one_principal_share_its_quota(
    clean_sim: Simulator, endpoints: AzureEndpoints, fresh_quotas: QuotaSource
) -> None:
    clean_sim.set_graph_quota(3, 1.0)
    jobs = [(SCANNER.creds(), [SUB_BIG]), (SCANNER.creds(), [SUB_SMALL])]
    results = scan_many(endpoints, jobs, quotas=fresh_quotas)
    assert [len(r.resources) for r in results] == [BIG_RESOURCES, SMALL_RESOURCES]
    assert 429 not in graph_answers(clean_sim)


def test_malformed_credentials_are_failures_not_exceptions(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, SCANNER.creds(tenant_id="bad tenant!"), [SUB_SMALL])
    assert result.partial and {f.code for f in result.failures} == {"invalid_request"}
    assert answered(clean_sim) == []
