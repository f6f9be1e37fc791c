"""The union of several accounts' inventories: references one scan could not resolve are drawn."""

from __future__ import annotations

from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.inventory.union import union
from cloudcanvas.simulator.estate import generate_estate
from cloudcanvas.simulator.graph import container_rows, resource_rows

ESTATE = generate_estate(5, workloads=1, seed=5)
IDS = [s.subscription_id.lower() for s in ESTATE.subscriptions]


def part(subs: list[str]) -> Inventory:
    rows = [r for r in resource_rows(ESTATE) if r["subscriptionId"].lower() in subs]
    groups = [c for c in container_rows(ESTATE) if c["subscriptionId"].lower() in subs]
    return build_inventory(rows, groups)


def test_union_resolves_what_each_account_left_as_a_reference() -> None:
    hub, spokes = part(IDS[:2]), part(IDS[2:])
    whole = build_inventory(resource_rows(ESTATE), container_rows(ESTATE))
    merged = union([hub, spokes])
    assert set(merged.resources) == set(whole.resources)
    assert merged.subscriptions.keys() == whole.subscriptions.keys()
    expected = {
        (r.source, r.target, r.kind)
        for r in whole.relations
        if r.kind in ("peering", "private-link", "dns-link", "hub-connection", "ddos-plan")
    }
    got = {(r.source, r.target, r.kind) for r in merged.relations}
    assert expected <= got
    assert not [k for r in merged.resources.values() for k in r.properties if k.startswith("ref.")]


def test_union_of_one_is_itself_and_duplicates_appear_once() -> None:
    hub = part(IDS[:2])
    assert union([hub, hub]).relations == sorted(set(hub.relations))
    assert len(union([hub, hub])) == len(hub)


def _next_hops(inventory: Inventory) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in inventory.relations if r.kind == "next-hop"}


def test_a_route_to_another_accounts_firewall_is_drawn_with_its_next_hop_in_the_union() -> None:
    """Spoke route tables send 0.0.0.0/0 to the hub firewall's address; the hub is another
    account's subscription, so neither scan alone can draw the next hop: the union does."""
    from cloudcanvas.diagram.render import render
    from cloudcanvas.inventory.graph import to_graph

    hub, spokes = part(IDS[:1]), part(IDS[1:])
    whole = build_inventory(resource_rows(ESTATE), container_rows(ESTATE))
    expected = _next_hops(whole)
    assert expected and not _next_hops(hub) and not _next_hops(spokes)
    assert all("/routetables/" in s and "/azurefirewalls/" in t for s, t in expected)
    merged = union([spokes, hub])
    assert _next_hops(merged) == expected
    drawn = render(to_graph(merged), "svg").decode()
    assert drawn.count('data-kind="next-hop"') == len(expected)
    assert 'data-kind="next-hop"' not in render(to_graph(spokes), "svg").decode()
