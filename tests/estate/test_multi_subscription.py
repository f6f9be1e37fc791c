"""Accounts over many subscriptions: a generated multi-subscription estate, read by the real Azure
SDK against the simulator (management groups, `all`, explicit lists), and normalized."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

import pytest

from cloudcanvas.azure import AzureEndpoints, Credentials
from cloudcanvas.azure.scanner import Target, scan_subscriptions
from cloudcanvas.azure.scope import check_scope, target_of
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator import Environment, Simulator
from cloudcanvas.simulator.estate import generate_estate

SUBSCRIPTIONS = 6
MG_ROOT = "/providers/Microsoft.Management/managementGroups/mg-contoso"


@pytest.fixture(scope="module")
def estate() -> Environment:
    return generate_estate(SUBSCRIPTIONS, workloads=2)


@pytest.fixture(scope="module")
def sim(estate: Environment) -> Iterator[Simulator]:
    with Simulator(Environment.from_dict(estate.to_dict())) as running:
        yield running


@pytest.fixture
def endpoints(sim: Simulator) -> AzureEndpoints:
    sim.reset_quota()
    sim.reset_requests()
    return AzureEndpoints(
        authority_host=sim.base_url,
        resource_manager=sim.base_url,
        ca_bundle=str(sim.ca_bundle),
        custom=True,
        timeout=5.0,
    )


def creds(env: Environment, index: int = 0) -> Credentials:
    p = env.principals[index]
    return Credentials(p.tenant_id, p.app_id, p.secret)


def graph_requests(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.route == "resourcegraph"]


def scanned(estate: Environment, endpoints: AzureEndpoints, target: Target) -> Inventory:
    result = scan_subscriptions(endpoints, creds(estate), target)
    assert not result.failures, result.failures
    return build_inventory(result.resources, result.containers)


def test_management_group_scan_reads_every_subscription_in_two_queries(
    estate: Environment, endpoints: AzureEndpoints, sim: Simulator
) -> None:
    inventory = scanned(estate, endpoints, Target([], ["mg-contoso"]))
    assert len(inventory) >= len(estate.resources)
    assert {r.subscription_id for r in inventory.resources.values()} == {
        s.subscription_id for s in estate.subscriptions
    }
    # one page per query: resources (< 1000 rows) and containers
    assert len(graph_requests(sim)) == 2


def test_explicit_list_is_one_query_per_1000_subscriptions(
    estate: Environment, endpoints: AzureEndpoints, sim: Simulator
) -> None:
    ids = [s.subscription_id for s in estate.subscriptions]
    inventory = scanned(estate, endpoints, Target(ids))
    assert len({r.subscription_id for r in inventory.resources.values()}) == SUBSCRIPTIONS
    assert len(graph_requests(sim)) == 2 * math.ceil(len(ids) / 1000)


def test_cross_subscription_relations(estate: Environment, endpoints: AzureEndpoints) -> None:
    inventory = scanned(estate, endpoints, Target([], ["mg-contoso"]))
    res = inventory.resources
    subs = {s.display_name: s.subscription_id for s in estate.subscriptions}
    connectivity = subs["Connectivity"]  # subscription 0: the hub

    def across(kind: str) -> list[tuple[str, str]]:
        return [
            (r.source, r.target)
            for r in inventory.relations
            if r.kind == kind and res[r.source].subscription_id != res[r.target].subscription_id
        ]

    peerings = across("peering")
    assert len(peerings) >= SUBSCRIPTIONS - 1  # every landing zone and shared services
    assert all(
        connectivity in (res[a].subscription_id, res[b].subscription_id) for a, b in peerings
    )
    # private endpoints of every landing zone reach the shared storage account of subscription 1
    links = [t for s, t in across("private-link") if res[t].arm_type.endswith("storageaccounts")]
    assert len(links) == SUBSCRIPTIONS - 2
    # spokes route through the hub's firewall, in another subscription
    hops = across("next-hop")
    assert hops and all(res[t].arm_type == "microsoft.network/azurefirewalls" for _s, t in hops)
    # Virtual WAN: the hub, its gateways and secured-hub firewall, a VNet of a landing zone
    assert across("hub-connection")
    kinds = Counter(r.kind for r in inventory.relations)
    for kind in ("wan-hub", "hub-gateway", "firewall-policy", "expressroute", "ddos-plan"):
        assert kinds[kind] >= 1, kind
    assert kinds["dns-link"] == SUBSCRIPTIONS - 1  # hub + every landing zone
    assert kinds["private-link-service"] == 1


def test_networking_facts(estate: Environment, endpoints: AzureEndpoints) -> None:
    inventory = scanned(estate, endpoints, Target([], ["mg-contoso"]))
    by_name = {r.name: r for r in inventory.resources.values()}
    assert by_name["vm-nva-01"].properties["appliance"].startswith("network virtual appliance")
    isolated = by_name["vnet-quarantine"]  # peered with nothing, still there
    assert not [r for r in inventory.relations if isolated.key in (r.source, r.target)]
    app_subnets = [
        r
        for r in inventory.resources.values()
        if r.name == "snet-app" and "service endpoints" in r.properties
    ]
    assert app_subnets and all(
        r.properties["service endpoints"] == "Microsoft.Storage" for r in app_subnets
    )
    assert by_name["afw-vhub-westeurope"].properties["policy"] == "afwp-contoso"
    assert not [
        k for r in inventory.resources.values() for k in r.properties if k.startswith("ref.")
    ]


def test_all_scope_discovers_subscriptions_at_each_scan(
    estate: Environment, endpoints: AzureEndpoints, sim: Simulator
) -> None:
    target = target_of(endpoints, creds(estate), [], "all")
    assert len(target.subscription_ids) == SUBSCRIPTIONS
    sim.grant_role(estate.principals[1].object_id, "/subscriptions/" + target.subscription_ids[0])
    try:
        partial = target_of(endpoints, creds(estate, 1), [], "all")
        assert len(partial.subscription_ids) == 3  # two landing zones, then the new grant
    finally:
        sim.revoke_role(
            estate.principals[1].object_id, "/subscriptions/" + target.subscription_ids[0]
        )


def test_check_scope_management_group(estate: Environment, endpoints: AzureEndpoints) -> None:
    result, subscriptions = check_scope(endpoints, creds(estate), [], MG_ROOT)
    assert result.ok, result.message
    assert len(subscriptions) == SUBSCRIPTIONS
    refused, _ = check_scope(endpoints, creds(estate, 1), [], MG_ROOT)
    assert refused.code == "missing_reader_role"
    assert "mg-contoso" in refused.message
    assert refused.failed is not None and refused.failed.field == "scope"


def test_management_group_query_refused_without_access(
    estate: Environment, endpoints: AzureEndpoints
) -> None:
    result = scan_subscriptions(endpoints, creds(estate, 1), Target([], ["mg-contoso"]))
    assert result.failures and result.failures[0].code == "missing_reader_role"
    assert not result.resources


def test_check_scope_list_names_the_subscription_it_cannot_read(
    estate: Environment, endpoints: AzureEndpoints
) -> None:
    ids = [s.subscription_id for s in estate.subscriptions]
    ok, _ = check_scope(endpoints, creds(estate, 1), ids[2:4], None)
    assert ok.ok, ok.message
    refused, _ = check_scope(endpoints, creds(estate, 1), [ids[2], ids[5]], None)
    assert refused.code in ("subscription_not_found", "missing_reader_role")
    assert ids[5] in refused.message
    assert refused.failed is not None and refused.failed.field == "subscriptionIds"


def test_all_scope_check(estate: Environment, endpoints: AzureEndpoints) -> None:
    result, subscriptions = check_scope(endpoints, creds(estate), [], "all")
    assert result.ok, result.message
    assert len(subscriptions) == SUBSCRIPTIONS


def test_management_groups_listed_as_azure_does(
    estate: Environment, endpoints: AzureEndpoints
) -> None:
    """GET managementGroups (the SDK's pipeline): the groups the app holds a role on, and below."""
    from azure.core.rest import HttpRequest

    from cloudcanvas.azure import _sdk
    from cloudcanvas.azure.credentials import _Probe, _subscription_client

    def names(index: int) -> list[str]:
        probe = _Probe(endpoints, creds(estate, index))
        with _subscription_client(probe.credential, endpoints) as client:
            request = HttpRequest(
                "GET",
                "/providers/Microsoft.Management/managementGroups",
                params={"api-version": "2020-05-01"},
            )
            response = client.send_request(request)
            response.raise_for_status()
            return sorted(g["name"] for g in response.json()["value"])

    with _sdk.guard_secret(creds(estate).client_secret):
        assert names(0) == ["mg-contoso", "mg-landingzones", "mg-platform"]
        assert names(1) == []  # roles on two subscriptions only: no group
