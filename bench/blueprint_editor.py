"""Blueprint editor benchmark: what one edit costs on a 10,000-node blueprint through the web
endpoints the page uses (the redraw of the edited document, and Save with If-Match).

    .venv/bin/python bench/blueprint_editor.py [--nodes 10000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blueprint import scan_data  # bench/blueprint.py, beside this script
from fastapi.testclient import TestClient
from render import _best  # bench/render.py

from cloudcanvas.app import create_app
from cloudcanvas.blueprint import service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database
from cloudcanvas.store.migrate import upgrade
from tests.factories import PASSWORD, actor, make_org, make_user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    data = scan_data(args.nodes)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = Database.connect(url)
        with db.session() as s:
            user = make_user(s, make_org(s), role="owner")
            write = BlueprintWrite(data=data)
            blueprint_id = service.create_blueprint(s, actor=actor(s, user), write=write).id
            email = user.email
        settings = Settings(data_dir=Path(tmp), secret_key="bench")
        app = create_app(settings, database=db, schedule=False)
        with TestClient(app, follow_redirects=False) as client:
            client.get("/login")
            form = {"email": email, "password": PASSWORD, "next": "/"}
            form["csrf_token"] = client.cookies.get("cloudcanvas_login_csrf") or ""
            client.post("/login", data=form)
            page = client.get(f"/blueprints/{blueprint_id}").text
            found = re.search(r'data-csrf="([^"]+)"', page)
            assert found is not None
            csrf = found.group(1)
            base = f"/blueprints/{blueprint_id}"
            data["nodes"][0]["mapPos"] = [data["nodes"][0]["mapPos"][0] + 1, 0]
            body = json.dumps({"data": data}).encode()
            print(f"document: {len(data['nodes'])} nodes, {len(body) / 1e6:.1f} MB of JSON")
            print(f"GET document: {_best(lambda: client.get(base + '/document')):.3f} s")

            def draw() -> None:
                answer = client.post(
                    base + "/drawing.svg", content=body, headers={"X-CSRF-Token": csrf}
                )
                assert answer.status_code == 200, answer.text[:300]

            print(f"redraw after an edit (POST drawing.svg): {_best(draw):.3f} s")

            def save() -> None:
                etag = client.get(base + "/document").headers["ETag"]
                headers = {"X-CSRF-Token": csrf, "If-Match": etag}
                answer = client.put(base + "/document", content=body, headers=headers)
                assert answer.status_code == 204, answer.text[:300]

            print(f"Save (PUT document, with the GET for the ETag): {_best(save):.3f} s")
        db.dispose()


if __name__ == "__main__":
    main()
