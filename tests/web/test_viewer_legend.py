"""The viewer's legend data (``legend.json``) over HTTP on the real app and database, for a
generated estate stored as an account's snapshot: each kind the view draws, named in the user's
words, counted from the inventory for the region, grouping and filter, with its symbol as drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudcanvas.config import Settings
from cloudcanvas.inventory.codec import location_index
from cloudcanvas.inventory.graph import to_graph
from cloudcanvas.inventory.model import Inventory
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.simulator import generate_environment
from cloudcanvas.simulator.graph import container_rows, resource_rows
from cloudcanvas.store.database import Database
from tests.factories import add_snapshot, connect_account, make_org, make_user
from tests.web.conftest import signed_in

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    env = generate_environment(resources=400, subscriptions=1, principals=1, seed=5)
    return build_inventory(resource_rows(env), container_rows(env))


@pytest.fixture
def legend(
    web_settings: Settings, web_db: Database, inventory: Inventory
) -> Iterator[tuple[TestClient, str]]:
    """A signed-in owner's client and the legend URL of an account whose snapshot is
    ``inventory``."""
    with web_db.session() as session:
        owner = make_user(session, make_org(session, plan="pro"), role="owner")
        account = connect_account(session, web_settings, owner)
        add_snapshot(session, account.id, inventory, "legend")
        email, account_id = owner.email, account.id
    with signed_in(web_settings, web_db, email) as client:
        yield client, f"/azure/accounts/{account_id}/legend.json"


def _counts(body: dict[str, Any]) -> dict[str, int]:
    return {entry["type"]: entry["count"] for entry in body["entries"]}


def test_names_and_counts_are_those_of_the_inventory(legend, inventory: Inventory) -> None:
    client, url = legend
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expected = Counter(node.component for node in to_graph(inventory, None).nodes)
    assert _counts(body) == dict(expected)
    assert body["total"] == sum(expected.values()) == len(inventory)
    names = {entry["type"]: entry["name"] for entry in body["entries"]}
    for component, name in {
        "azuresubnet": "Subnet",
        "azurepublicip": "Public IP address",
        "azureroutetable": "Route table",
        "azurenatgateway": "NAT gateway",
        "azurensg": "Network security group",
        "azurevm": "Virtual machine",
    }.items():
        assert names.get(component) == name, (component, names)
    for entry in body["entries"]:
        assert set(entry) == {"type", "family", "name", "count", "drawnAs", "symbol"}
        assert ET.fromstring(entry["symbol"]).tag == f"{SVG}svg"
    # The default grouping (region, VNet) draws VNets as areas and subnets as blocks, listed last.
    drawn_as = {entry["type"]: entry["drawnAs"] for entry in body["entries"]}
    assert drawn_as["azurevnet"] == "area" and drawn_as["azuresubnet"] == "block"
    assert body["entries"][-1]["drawnAs"] == "area"


def test_it_follows_region_grouping_and_filter(legend, inventory: Inventory) -> None:
    client, url = legend
    region = max(location_index(inventory).items(), key=lambda item: item[1])[0]
    body = client.get(url, params={"location": region}).json()
    expected = Counter(node.component for node in to_graph(inventory, region).nodes)
    assert _counts(body) == dict(expected) and body["total"] < len(inventory)

    network = client.get(url, params={"groupBy": "network"}).json()
    subnets = next(e for e in network["entries"] if e["type"] == "azuresubnet")
    assert subnets["drawnAs"] == "area"  # grouped on: each subnet is drawn around its resources
    assert 'fill="#e3edfb"' in subnets["symbol"]  # the light theme's subnet plate
    dark = client.get(url, params={"groupBy": "network", "theme": "dark"}).json()
    dark_subnets = next(e for e in dark["entries"] if e["type"] == "azuresubnet")
    assert 'fill="#162945"' in dark_subnets["symbol"]

    only = client.get(url, params={"filter": "type=azuresubnet"}).json()
    assert list(_counts(only)) == ["azuresubnet"]
    assert only["total"] == expected_subnets(inventory)


def expected_subnets(inventory: Inventory) -> int:
    return sum(1 for node in to_graph(inventory, None).nodes if node.component == "azuresubnet")


def test_symbols_follow_the_projection(legend) -> None:
    client, url = legend
    iso = client.get(url).json()
    flat = client.get(url, params={"projection": "2d"}).json()
    assert iso["projection"] == "isometric" and flat["projection"] == "2d"
    vm_iso = next(e for e in iso["entries"] if e["type"] == "azurevm")["symbol"]
    vm_flat = next(e for e in flat["entries"] if e["type"] == "azurevm")["symbol"]
    assert "<polygon" in vm_iso  # extruded faces
    assert "<rect" in vm_flat and "<polygon" not in vm_flat  # a tile
    blocks = [e for e in iso["entries"] if e["drawnAs"] == "block"]
    ids = {ET.fromstring(e["symbol"]).find(f"{SVG}g").get("id") for e in blocks}
    assert len(ids) == len(blocks)  # unique ids: every symbol shares one page


def test_a_bad_view_answers_its_message_as_json(legend) -> None:
    client, url = legend
    bad = client.get(url, params={"filter": "type=azurewidget"})
    assert bad.status_code == 400 and "azurewidget" in bad.json()["error"]
    region = client.get(url, params={"location": "marsnorth"})
    assert region.status_code == 404 and region.json()["code"] == "unknown_location"


def test_every_catalogued_type_has_a_name_in_the_users_words() -> None:
    """The legend names each component the inventory can produce, never a made-up one
    ("Sbqueue"), and no two alike."""
    from cloudcanvas.diagram.legend import TYPE_NAMES
    from cloudcanvas.inventory.types import CATALOGUE, GENERIC_COMPONENT, KIND_COMPONENTS

    components = {entry.component for entry in CATALOGUE.values()} | {GENERIC_COMPONENT}
    components |= {component for pairs in KIND_COMPONENTS.values() for _, component in pairs}
    assert sorted(components - set(TYPE_NAMES)) == []
    names = [TYPE_NAMES[c] for c in components]
    assert len(names) == len(set(names))
