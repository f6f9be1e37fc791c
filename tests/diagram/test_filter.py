"""Cloudcraft's search syntax: what each expression keeps, and what a bad one says."""

from __future__ import annotations

import random

import pytest

from cloudcanvas.diagram import FilterError, Graph, Node, apply_filter, parse_filter
from cloudcanvas.diagram.filter import UnknownType, check_types, compile_filter
from cloudcanvas.diagram.query import options_from_query
from cloudcanvas.errors import AppError


def _node(name: str, component: str, tags: dict[str, str], ips: tuple[str, ...] = ()) -> Node:
    rid = f"/subscriptions/s/resourceGroups/RG/providers/Microsoft.X/things/{name}"
    return Node(
        key=rid.lower(),
        resource_id=rid,
        name=name,
        component=component,
        family="compute",
        arm_type="microsoft.compute/virtualmachines" if component == "azurevm" else "microsoft.x/y",
        location="eastus",
        subscription_id="s",
        resource_group="RG",
        tags=tags,
        ip_addresses=ips,
    )


NODES = [
    _node("web-01", "azurevm", {"env": "prod", "Owner": "a"}, ("10.0.1.4",)),
    _node("web-02", "azurevm", {"env": "dev"}, ("10.0.1.5",)),
    _node("api-01", "azurevmss", {"env": "prod"}, ("10.0.2.4",)),
    _node("stweb", "azureblob", {}, ()),
    _node("My Database", "azuresql", {"env": "prod east"}, ()),
]


def _names(expression: str) -> list[str]:
    keep = compile_filter(parse_filter(expression))
    return [node.name for node in NODES if keep(node)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("web", ["web-01", "web-02", "stweb"]),
        ("WEB-0*", ["web-01", "web-02"]),
        ("w*1", ["web-01"]),
        ("type=azurevm", ["web-01", "web-02"]),
        ("type=Microsoft.Compute/virtualMachines", ["web-01", "web-02"]),
        ("type=azurevm*", ["web-01", "web-02", "api-01"]),
        ("env=prod", ["web-01", "api-01"]),
        ("env=prod*", ["web-01", "api-01", "My Database"]),
        ("owner=*", ["web-01"]),
        ('env="prod east"', ["My Database"]),
        ('"my database"', ["My Database"]),
        ("10.0.1.4", ["web-01"]),
        ("10.0.1.0/24", ["web-01", "web-02"]),
        ("10.0.0.0/16 AND NOT 10.0.1.4", ["web-02", "api-01"]),
        ("env=prod AND (type=azurevm OR api*)", ["web-01", "api-01"]),
        ("env=prod type=azurevmss", ["api-01"]),
        ("env=dev OR env=test", ["web-02"]),
        ("NOT env=*", ["stweb"]),
        ("resourcegroups/rg/providers", [n.name for n in NODES]),
        ("env=prod AND (type=azurevm OR web*) AND NOT 10.0.1.4", []),
    ],
)
def test_filter_keeps_what_the_expression_says(expression: str, expected: list[str]) -> None:
    assert _names(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "empty"),
        ("(web", "'(' at position 1 is never closed"),
        ("web)", "unexpected ')' at position 4"),
        ("web AND", "missing after 'AND'"),
        ("NOT", "missing after 'NOT'"),
        ("OR web", "unexpected 'OR' at position 1"),
        ('"web', "unterminated quote starting at position 1"),
        ("=prod", "key is missing"),
        ("env=", "value is missing after 'env='"),
        ("300.1.1.1", "not a valid IPv4 address"),
        ("10.0.0.0/40", "not a valid IPv4 address"),
        ("(" * 50 + "a" + ")" * 50, "nested too deeply"),
        ("NOT " * 60 + "a", "nested too deeply"),
        ("a " * 1500, "too long"),
        ("a " * 300, "too many terms"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_where(expression: str, message: str) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(expression)
    assert message in raised.value.message
    assert raised.value.status_code == 400


def test_hostile_input_only_ever_raises_filter_error() -> None:
    rng = random.Random(1)
    alphabet = ["(", ")", '"', "'", "=", "*", " ", "AND", "OR", "NOT", "a", "10.0.0.1", "/", "\x00"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        try:
            keep = compile_filter(parse_filter(text))
        except FilterError:
            continue
        for node in NODES:
            assert keep(node) in (True, False)


def test_apply_filter_drops_edges_to_removed_nodes_and_exclude_drops_types() -> None:
    from cloudcanvas.diagram import Edge

    graph = Graph(
        NODES, [Edge(NODES[0].key, NODES[3].key, "uses"), Edge(NODES[0].key, NODES[1].key, "x")]
    )
    kept = apply_filter(graph, parse_filter("web"))
    assert [n.name for n in kept.nodes] == ["web-01", "web-02", "stweb"]
    assert len(kept.edges) == 2
    excluded = apply_filter(graph, None, ("azureblob", "AZUREVMSS"))
    assert {n.component for n in excluded.nodes} == {"azurevm", "azuresql"}
    assert len(excluded.edges) == 1


@pytest.mark.parametrize(
    ("text", "position"),
    [("web type=", 5), ("  web type=", 7), ("a b c type=", 7), ("web AND type=", 9)],
)
def test_a_missing_type_is_reported_at_its_own_column(text, position):
    with pytest.raises(AppError) as info:
        options_from_query({"filter": text})
    assert info.value.message == (
        f"filter: a value is missing after 'type=' at position {position}"
    )


def test_an_unknown_type_names_the_known_ones_and_wildcards_pass():
    components = {"azurevm", "azuresql"}
    arm_types = {"microsoft.compute/virtualmachines", "microsoft.sql/servers"}
    for ok in ("type=azurevm", "type=AzureVM", "type=azure*", "type=microsoft.sql/servers", "web"):
        check_types(parse_filter(ok), components, arm_types)
    with pytest.raises(UnknownType) as info:
        check_types(parse_filter("web OR NOT type=vmss"), components, arm_types)
    assert info.value.status_code == 400 and info.value.code == "unknown_type"
    assert info.value.message == (
        "no resource type named 'vmss' (position 12): this account has azuresql, azurevm, "
        "or an ARM type such as microsoft.compute/virtualmachines"
    )
    assert info.value.detail["known"] == ["azuresql", "azurevm"]
