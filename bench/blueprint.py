"""Blueprint benchmark: PUT and export of a 10,000-node blueprint through the API (SQLite, or
the database of ``--database-url``), and a live blueprint's merge of a 10,000-resource scan.

    .venv/bin/python bench/blueprint.py [--nodes 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient
from render import _best  # bench/render.py, beside this script

from cloudcanvas.app import create_app
from cloudcanvas.blueprint.merge import merge_scan
from cloudcanvas.config import Settings
from cloudcanvas.diagram import RenderOptions, layout
from cloudcanvas.diagram.export import render_json
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from tests.diagram.synthetic import build_graph
from tests.factories import make_org, make_user


def scan_data(nodes: int, seed: int = 7) -> dict[str, Any]:
    """The scan document of a synthetic estate with at least ``nodes`` drawn resources (about 3%
    of the graph are VNets and subnets, drawn as groups)."""
    opts = RenderOptions()
    nodes = round(nodes * 1.04)
    document: dict[str, Any] = json.loads(
        render_json(layout(build_graph(nodes, seed=seed), opts), opts)
    )
    return document["data"]  # type: ignore[no-any-return]


def bench_merge(nodes: int) -> None:
    first = scan_data(nodes)
    live = {"name": "Live", "liveAccount": {"id": "acc", "type": "azure"}, "liveOptions": {}}
    start = time.perf_counter()
    blueprint = merge_scan(live, first, account_id="acc")
    print(
        f"first merge (empty live blueprint, {len(first['nodes'])} resources): "
        f"{time.perf_counter() - start:.3f} s"
    )
    for node in blueprint["nodes"][:500]:  # the user moved and recoloured 500 blocks
        node["mapPos"] = [node["mapPos"][0] + 1, node["mapPos"][1]]
        node["color"] = {"isometric": "#ff0066"}
    second = copy.deepcopy(first)
    removed = second["nodes"][:200]
    second["nodes"] = second["nodes"][200:]
    for index, node in enumerate(removed):  # 200 gone, 200 new, every other one changed
        second["nodes"].append(
            node | {"id": f"new-{index}", "resourceId": f"{node['resourceId']}-new"}
        )
    for node in second["nodes"]:
        node["tags"] = {"scan": "2"}
    seconds = _best(lambda: merge_scan(blueprint, second, account_id="acc"))
    merged = merge_scan(blueprint, second, account_id="acc")
    print(
        f"merge of a {len(second['nodes'])}-resource scan into a {len(blueprint['nodes'])}-node "
        f"live blueprint (200 added, 200 removed, all changed): {seconds:.3f} s "
        f"-> {len(merged['nodes'])} nodes"
    )
    seconds = _best(lambda: merge_scan(blueprint, scan_data(nodes, seed=7), account_id="acc"), 1)
    print(f"the same with the scan's layout and JSON made first (uncached): {seconds:.3f} s")


def bench_api(nodes: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = Database.connect(url)
        settings = Settings(data_dir=Path(tmp), secret_key="bench", api_rate_limit="100000/10s")
        with db.session() as session:
            user = make_user(session, make_org(session), role="owner")
            _, key = identity_service.create_api_key(session, user=user, access="readwrite")
        headers = {"Authorization": f"Bearer {key}"}
        data = scan_data(nodes)
        body = json.dumps({"data": data}).encode()
        print(
            f"document: {len(data['nodes'])} nodes, {len(data['edges'])} edges, "
            f"{len(data['groups'])} groups, {len(body) / 1e6:.1f} MB of JSON"
        )
        with TestClient(create_app(settings, database=db, schedule=False)) as client:
            created = client.post("/api/blueprint", headers=headers, content=body)
            assert created.status_code == 201, created.text[:300]
            bp_url = f"/api/blueprint/{created.json()['id']}"

            def put() -> None:
                etag = client.get(bp_url, headers=headers).headers["ETag"]
                answer = client.put(bp_url, headers=headers | {"If-Match": etag}, content=body)
                assert answer.status_code == 204, answer.text[:300]

            print(f"PUT (with If-Match; includes the GET for the ETag): {_best(put):.3f} s")
            print(f"GET: {_best(lambda: client.get(bp_url, headers=headers)):.3f} s")
            for fmt in ("json", "svg", "mxGraph", "png", "pdf"):

                def export(fmt: str = fmt) -> None:
                    answer = client.get(f"{bp_url}/{fmt}", headers=headers)
                    assert answer.status_code == 200, answer.text[:300]

                print(f"export {fmt}: {_best(export, 2):.3f} s")
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    bench_merge(args.nodes)
    bench_api(args.nodes, args.database_url)


if __name__ == "__main__":
    main()
