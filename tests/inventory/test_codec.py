"""Snapshots: compressed, deterministic, and read back exactly."""

from __future__ import annotations

import zlib

import pytest

from cloudcanvas.inventory.codec import (
    SnapshotUnreadable,
    decode_inventory,
    encode_inventory,
    location_index,
)
from cloudcanvas.inventory.model import Inventory, Relation, Resource
from cloudcanvas.inventory.normalize import build_inventory
from tests.inventory.topology import containers, topology_rows


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return build_inventory(topology_rows(), containers())


def test_round_trip_gives_the_same_inventory(inventory: Inventory) -> None:
    again = decode_inventory(encode_inventory(inventory))
    assert again.resources == inventory.resources
    assert sorted(again.relations) == sorted(inventory.relations)
    assert again.subscriptions == inventory.subscriptions
    assert again.resource_groups == inventory.resource_groups


def test_key_facts_keep_their_display_order(inventory: Inventory) -> None:
    again = decode_inventory(encode_inventory(inventory))
    for key, res in inventory.resources.items():
        assert list(again.resources[key].properties) == list(res.properties)


def test_encoding_is_deterministic(inventory: Inventory) -> None:
    shuffled = Inventory(
        resources=dict(reversed(list(inventory.resources.items()))),
        relations=list(reversed(inventory.relations)),
        subscriptions=inventory.subscriptions,
        resource_groups=dict(reversed(list(inventory.resource_groups.items()))),
    )
    assert encode_inventory(inventory) == encode_inventory(shuffled)
    rebuilt = build_inventory(list(reversed(topology_rows())), containers())
    assert encode_inventory(rebuilt) == encode_inventory(inventory)


def test_snapshot_is_compressed_json(inventory: Inventory) -> None:
    data = encode_inventory(inventory)
    text = zlib.decompress(data)
    assert text.startswith(b'{"format":"cloudcanvas.inventory"')
    assert len(data) < len(text) / 3


def test_hostile_text_survives(inventory: Inventory) -> None:
    odd = Resource(
        key="/x/<b>",
        id="/X/<b>",
        name='"; DROP TABLE --\u2028 🚀',
        arm_type="microsoft.contoso/things",
        component="azureresource",
        family="other",
        location="eastus",
        subscription_id="s",
        resource_group="g",
        tags={"\x00": "\n"},
        properties={"b": "2", "a": "1"},
    )
    inv = Inventory(resources={odd.key: odd}, relations=[Relation(odd.key, "/gone", "plan")])
    again = decode_inventory(encode_inventory(inv))
    assert again.resources[odd.key] == odd
    assert again.relations == [Relation(odd.key, "/gone", "plan")]


@pytest.mark.parametrize(
    "data",
    [b"", b"not zlib", zlib.compress(b"[]"), zlib.compress(b'{"format":"other","version":1}')],
)
def test_unreadable_snapshot_raises_an_app_error(data: bytes) -> None:
    with pytest.raises(SnapshotUnreadable) as caught:
        decode_inventory(data)
    assert caught.value.code == "snapshot_unreadable"


def test_location_index(inventory: Inventory) -> None:
    index = location_index(inventory)
    assert index == {"eastus": len(inventory) - 2, "global": 2}
    assert list(index) == ["eastus", "global"]
