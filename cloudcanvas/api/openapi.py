"""The OpenAPI document as the API really behaves, and Swagger UI served without a network.

FastAPI documents a 422 that the API never sends (validation errors are 400) and none of the
errors it does send. The document is corrected once, when first asked for: the ``Error`` schema,
the statuses every operation may answer, the bearer scheme, and no 422. Routes added later by
other routers get the same treatment, since it runs over every ``/api`` operation.

Swagger UI's files come from the installed ``fastapi-offline`` package (only its files are used); the page's script is
a static file, so the Content-Security-Policy needs no inline script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import fastapi_offline
from fastapi import FastAPI
from fastapi import Path as PathParam
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from cloudcanvas.diagram.query import LOCATION

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "code"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong and what to fix."},
        "code": {"type": "string", "description": "A machine code, e.g. invalid_request."},
    },
}
ERROR_STATUSES = {
    "400": "The request is malformed (the message names the field).",
    "401": "The API key is missing, malformed, unknown or revoked.",
    "403": "The key's user may not do this, or the plan does not include it.",
    "404": "No such resource, or not visible to this key.",
    "405": "The method is not allowed here (see the Allow header).",
    "408": "The request body did not arrive in time.",
    "413": "The request body is over 1 MiB.",
    "429": "Over the rate limit; retry after Retry-After seconds.",
    "503": "The database, Azure or the server is busy or away; retry after Retry-After seconds.",
}
# Swagger UI 5 (OpenAPI 3.1, which FastAPI writes), as the fastapi-offline package ships it.
SWAGGER_UI = Path(fastapi_offline.__file__).parent / "static"
NO_KEY = {"/api/openapi.json", "/api/docs"}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cloudcanvas API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>
"""


# A location in a path: documented with the pattern ``parse_location`` checks (case aside).
Location = Annotated[
    str,
    PathParam(
        description="An Azure location short name (eastus), global, or all.",
        json_schema_extra={"pattern": LOCATION.pattern},
    ),
]


def file_responses(media_types: dict[str, str], what: str) -> dict[int | str, dict[str, Any]]:
    """A 200 whose body is a file in one of ``media_types`` (by the ``{fmt}`` in the path)."""
    content = {
        media: {"schema": {"type": "string", "format": "binary"}} for media in media_types.values()
    }
    return {200: {"description": what, "content": content}}


def body_schema(model: type[BaseModel], *, bulk: bool = False) -> dict[str, Any]:
    """The request body an endpoint reads itself (to answer 400, never 422), for the document:
    the model's JSON schema by its wire names; ``bulk`` also allows a list of up to 100 of them."""
    schema = model.model_json_schema(by_alias=True)
    if bulk:
        schema = {
            "oneOf": [schema, {"type": "array", "items": schema, "minItems": 1, "maxItems": 100}]
        }
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def install(app: FastAPI) -> None:
    """Serve ``/api/docs`` offline and make ``/api/openapi.json`` tell the truth."""
    app.mount(
        "/api/docs/assets",
        StaticFiles(directory=SWAGGER_UI),
        name="swagger-ui",
    )

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    def truthful_openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = correct(schema)
        return app.openapi_schema

    app.openapi = truthful_openapi  # type: ignore[method-assign]


def correct(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(name, None)
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "An API key (44 chars)."}
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            _correct_operation(path, operation)
    return schema


def _correct_operation(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    for status, description in ERROR_STATUSES.items():
        entry = responses.setdefault(status, {"description": description})
        entry["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        if status in ("429", "503"):
            entry["headers"] = RETRY_AFTER
    if path not in NO_KEY:
        operation["security"] = [{"bearer": []}]
