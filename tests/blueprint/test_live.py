"""Live blueprints: the pure merge, and a sequence of snapshots where resources come and go."""

from __future__ import annotations

import copy
import hashlib
from datetime import timedelta

from cloudcanvas.blueprint import live, service, versions
from cloudcanvas.blueprint.merge import merge_scan
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.inventory.codec import encode_inventory, location_index
from cloudcanvas.inventory.normalize import build_inventory
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import BlueprintVersion, Snapshot
from tests.factories import actor, connect_account, make_org, make_user
from tests.inventory.topology import RG, containers, row, topology_rows


def scan_doc(*resources, edges=()):
    nodes = [
        {
            "id": f"s-{name}",
            "type": kind,
            "resourceId": f"/sub/x/{name}",
            "name": name,
            "mapPos": [pos, 0],
            "tags": {"v": "1"},
        }
        for pos, (name, kind) in enumerate(resources)
    ]
    groups = [
        {
            "id": "s-g",
            "key": "region:eastus",
            "name": "East US",
            "mapPos": [0, 0],
            "mapSize": [30, 10],
            "nodes": [n["id"] for n in nodes],
        }
    ]
    return {
        "nodes": nodes,
        "groups": groups,
        "edges": [
            {"id": f"s-e{i}", "from": f"s-{a}", "to": f"s-{b}"} for i, (a, b) in enumerate(edges)
        ],
    }


def test_merge_keeps_what_the_user_did_and_follows_the_account():
    first = scan_doc(("vm1", "azurevm"), ("db", "azuresql"), edges=[("vm1", "db")])
    data = merge_scan({"liveOptions": {}}, first, account_id="acc")
    assert [n["name"] for n in data["nodes"]] == ["vm1", "db"]
    assert all(n["liveAccountId"] == "acc" and n["resourceId"] for n in data["nodes"])
    assert data["nodes"][0]["label"] == "vm1" and len(data["edges"]) == 1
    # The user moves and recolours vm1, relabels it, writes a text, draws a block and an edge.
    vm = data["nodes"][0]
    vm.update(mapPos=[40, 40], color={"isometric": "#ff0000"}, label="Front end")
    data["nodes"].append({"id": "mine", "type": "block", "mapPos": [1, 1]})
    data["edges"].append({"id": "u1", "from": "mine", "to": vm["id"]})
    data["text"] = [{"id": "t", "type": "isotext", "text": "hi", "mapPos": [0, 0]}]
    data["groups"][0]["mapPos"] = [-5, -5]
    # Next scan: db is gone, vm1 changed (tags), cache is new.
    second = scan_doc(("vm1", "azurevm"), ("cache", "azureredis"))
    second["nodes"][0]["tags"] = {"v": "2"}
    merged = merge_scan(data, second, account_id="acc")
    by_name = {n.get("name") or n["id"]: n for n in merged["nodes"]}
    assert set(by_name) == {"vm1", "cache", "mine"}
    assert by_name["vm1"]["id"] == vm["id"] and by_name["vm1"]["mapPos"] == [40, 40]
    assert by_name["vm1"]["color"] == {"isometric": "#ff0000"}
    assert by_name["vm1"]["label"] == "Front end" and by_name["vm1"]["tags"] == {"v": "2"}
    assert by_name["cache"]["mapPos"] == [1, 0]  # where the scan's layout put it
    assert merged["text"] == data["text"]
    assert [e["id"] for e in merged["edges"]] == ["u1"]  # the auto edge to db left with db
    assert merged["groups"][0]["mapPos"] == [-5, -5]  # the user's place of the scan's group
    assert set(merged["groups"][0]["nodes"]) == {vm["id"], by_name["cache"]["id"]}


def test_merge_obeys_excluded_types_auto_label_and_auto_connect():
    options = {"excludedTypes": ["azuresql"], "autoLabel": False, "autoConnect": False}
    scan = scan_doc(("vm1", "azurevm"), ("db", "azuresql"), edges=[("vm1", "db")])
    data = merge_scan({"liveOptions": options}, scan, account_id="acc")
    assert [n["name"] for n in data["nodes"]] == ["vm1"]
    assert "label" not in data["nodes"][0] and data["edges"] == []
    options["excludedTypes"] = []
    options["autoConnect"] = True
    again = merge_scan(data, scan, account_id="acc")
    assert len(again["nodes"]) == 2 and [e["auto"] for e in again["edges"]] == [True]
    assert merge_scan(again, scan, account_id="acc") == again  # a rescan with no change: same


def _snapshot(session, account, rows):
    inventory = build_inventory(rows, containers())
    data = encode_inventory(inventory)
    snapshot = Snapshot(
        account_id=account.id,
        resource_count=len(inventory),
        location_index=location_index(inventory),
        type_counts=inventory.counts_by_type(),
        failures=[],
        content_hash=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=utcnow(),
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def test_a_live_blueprint_follows_a_sequence_of_snapshots(session, azure_settings):
    owner = make_user(session, make_org(session), role="owner")
    account = connect_account(session, azure_settings, owner)
    acting = actor(session, owner)
    rows = topology_rows()
    _snapshot(session, account, rows)
    live_doc = {
        "name": "Live",
        "liveAccount": {"id": account.id, "type": "azure"},
        "liveOptions": {"updatesEnabled": True},
        "nodes": [],
    }
    frozen_doc = copy.deepcopy(live_doc) | {"liveOptions": {"updatesEnabled": False}}
    bp = service.create_blueprint(session, actor=acting, write=BlueprintWrite(data=live_doc))
    frozen = service.create_blueprint(session, actor=acting, write=BlueprintWrite(data=frozen_doc))
    assert live.refresh_live_blueprints(session, account_id=account.id) == 1
    names = {n["name"] for n in bp.data["nodes"]}
    assert "vault1" in names and frozen.data["nodes"] == []
    assert all(n["liveAccountId"] == account.id for n in bp.data["nodes"])
    moved = next(n for n in bp.data["nodes"] if n["name"] == "vm1")
    edited = copy.deepcopy(bp.data)
    next(n for n in edited["nodes"] if n["name"] == "vm1")["mapPos"] = [99, 99]
    service.update_blueprint(
        session, actor=acting, blueprint_id=bp.id, write=BlueprintWrite(data=edited)
    )
    later = [r for r in rows if r["name"] != "vault1"]
    later.append(row(f"{RG}/providers/Microsoft.Cache/Redis/cache1", "Microsoft.Cache/Redis"))
    _snapshot(session, account, later)
    assert live.refresh_live_blueprints(session, account_id=account.id) == 1
    after = {n["name"]: n for n in bp.data["nodes"]}
    assert "vault1" not in after and "cache1" in after
    assert after["vm1"]["mapPos"] == [99, 99] and after["vm1"]["id"] == moved["id"]
    assert service.blueprint_document(session, actor=acting, blueprint_id=bp.id) is bp.data


def test_versions_put_edit_window_restore_save_as_and_retention(session):
    owner = make_user(session, make_org(session), role="owner")
    acting = actor(session, owner)
    bp = service.create_blueprint(session, actor=acting, write=BlueprintWrite(data={"name": "v1"}))
    for name in ("v2", "v3"):  # API PUTs: a version each
        service.update_blueprint(
            session, actor=acting, blueprint_id=bp.id, write=BlueprintWrite(data={"name": name})
        )
    for name in ("e1", "e2"):  # editor saves within 5 minutes: one version
        service.update_blueprint(
            session,
            actor=acting,
            blueprint_id=bp.id,
            write=BlueprintWrite(data={"name": name}),
            reason="edit",
        )
    listed = service.list_versions(session, actor=acting, blueprint_id=bp.id)
    assert [v.name for v in listed] == ["e2", "v3", "v2", "v1"]
    latest = versions.get_version(session, bp, listed[0].id)
    latest.created_at -= timedelta(minutes=6)  # the editing session is over
    service.update_blueprint(
        session,
        actor=acting,
        blueprint_id=bp.id,
        write=BlueprintWrite(data={"name": "e3"}),
        reason="edit",
    )
    assert len(service.list_versions(session, actor=acting, blueprint_id=bp.id)) == 5
    old = listed[-1]
    assert service.get_version(
        session, actor=acting, blueprint_id=bp.id, version_id=old.id
    ).data == {"name": "v1"}
    service.restore_version(session, actor=acting, blueprint_id=bp.id, version_id=old.id)
    assert bp.data == {"name": "v1"} and bp.name == "v1"
    copy_ = service.save_version_as(
        session, actor=acting, blueprint_id=bp.id, version_id=listed[1].id
    )
    assert copy_.id != bp.id and copy_.data == {"name": "v3"} and copy_.name == "v3 (copy)"
    for version in session.query(BlueprintVersion).filter_by(blueprint_id=bp.id):
        version.created_at -= timedelta(days=91)
    assert versions.purge(session, retention_days=90) == 5  # all 6 but the current one
    remaining = service.list_versions(session, actor=acting, blueprint_id=bp.id)
    assert [v.id for v in remaining] == [bp.current_version_id]
