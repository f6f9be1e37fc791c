"""Hostile input never reaches the database and never makes a 500 (issue 14, items 2, 3, 11, 12).

These run on SQLite and again on PostgreSQL, where a NUL byte in a string is an error of the
database itself: a 400 here proves the guard refused it first.
"""

from __future__ import annotations

import json

import pytest

NUL_REQUESTS = [
    ("GET", "/api/azure/account/a%00b", None),
    ("PUT", "/api/azure/account/a%00b", {"name": "x"}),
    ("GET", "/api/azure/account/a%00b/scans", None),
    ("GET", "/api/azure/account/abc/scans/a%00b", None),
    ("DELETE", "/api/apikey/a%00b", None),
    ("GET", "/api/azure/account/abc/diff?from=a%00b", None),
    ("POST", "/api/apikey", {"name": "evil\u0000key"}),
    ("POST", "/api/azure/account", {"name": "a\u0000b", "subscriptionId": "x"}),
    ("POST", "/api/azure/account", {"name": "ok", "readAccess": ["team/\u0000"]}),
    ("POST", "/api/azure/account", {"name\u0000": "ok"}),
]


@pytest.mark.parametrize(("method", "path", "body"), NUL_REQUESTS)
def test_a_nul_byte_anywhere_is_400_invalid_request(client, make_api_user, method, path, body):
    user = make_api_user()
    response = client.request(method, path, headers=user.headers, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_request"
    assert "NUL" in response.json()["error"]


def test_a_nul_byte_in_a_form_field_is_400(client):
    response = client.post(
        "/login",
        content=b"email=a%00b%40example.com&password=x&csrf_token=t",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "NUL" in response.text


@pytest.mark.parametrize("value", ["1e400", "inf", "-inf", "nan", "Infinity"])
@pytest.mark.parametrize("name", ["width", "height", "scale"])
def test_sizes_that_are_not_finite_are_400_invalid_option(client, make_api_user, name, value):
    user = make_api_user()
    response = client.get(f"/api/azure/account/abc/eastus/svg?{name}={value}", headers=user.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_option"
    assert name in response.json()["error"]


def test_deeply_nested_json_is_400(client, make_api_user):
    user = make_api_user()
    for depth in (40, 100_000):
        body = "[" * depth + "]" * depth
        response = client.post(
            "/api/apikey",
            content=body,
            headers={**user.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, depth
        assert response.json() == {
            "error": "The JSON body is nested deeper than 32 levels.",
            "code": "invalid_request",
        }


@pytest.mark.parametrize("number", ["9" * 5000, str(2**64), str(-(2**63))])
def test_integers_beyond_64_bits_are_400(client, make_api_user, number):
    user = make_api_user()
    response = client.post(
        "/api/azure/account",
        content=f'{{"name": "x", "secretExpiresAt": {number}}}',
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert "64 bits" in response.json()["error"]


def test_an_oversized_chunked_body_is_413(client, make_api_user):
    user = make_api_user()

    def chunks():
        for _ in range(20):
            yield b"x" * 65_536

    response = client.post(
        "/api/apikey",
        content=chunks(),
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_405_names_the_allowed_methods(client, make_api_user):
    response = client.patch("/api/user/me", headers=make_api_user().headers)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET"


def test_the_openapi_document_tells_the_truth(client):
    document = client.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "code"]
    text = json.dumps(document)
    assert '"422"' not in text and "HTTPValidationError" not in text
    operation = document["paths"]["/api/azure/account"]["get"]
    assert operation["security"] == [{"bearer": []}]
    for status in ("400", "401", "403", "404", "429", "503"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_security_headers_on_api_and_pages(client):
    for path in ("/api/user/me", "/login", "/api/docs"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_cookies_are_secure(tmp_path, api_db):
    from fastapi.testclient import TestClient

    from cloudcanvas.app import create_app
    from cloudcanvas.config import Settings

    settings = Settings(data_dir=tmp_path, secret_key="k", secure_cookies=True)
    with TestClient(create_app(settings, database=api_db, schedule=False)) as secure:
        assert "max-age=" in secure.get("/login").headers["Strict-Transport-Security"]


def test_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/api/docs").text
    assert "cdn" not in page.lower() and "<script>" not in page
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/static/api-docs.js").status_code == 200


def test_a_page_may_be_made_frameable_or_set_its_own_policy():
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from fastapi.testclient import TestClient

    from cloudcanvas.web.headers import SecurityHeaders

    app = FastAPI()

    @app.get("/embed/{item}")
    def embed(item: str) -> HTMLResponse:
        return HTMLResponse("<p>embed</p>")

    @app.get("/own")
    def own() -> HTMLResponse:
        return HTMLResponse("<p>own</p>", headers={"Content-Security-Policy": "frame-ancestors x"})

    app.add_middleware(
        SecurityHeaders, hsts=False, frameable=lambda path: path.startswith("/embed/")
    )
    with TestClient(app) as client:
        embedded = client.get("/embed/1").headers
        assert "frame-ancestors *" in embedded["Content-Security-Policy"]
        assert "X-Frame-Options" not in embedded
        assert client.get("/own").headers["Content-Security-Policy"] == "frame-ancestors x"
