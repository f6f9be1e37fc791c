"""Property-based requests generated from the OpenAPI document (issue 14, proof): whatever
Schemathesis sends, the API answers no 5xx (but a 503 with ``Retry-After``), only statuses the
document lists, and bodies of the documented shape. A short budget per operation keeps the suite
quick; ``bench/schemathesis_run.py`` runs the long version."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from cloudcanvas.app import create_app
from cloudcanvas.config import Settings
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.database import Database
from tests.factories import make_org, make_user

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# bench/schemathesis_run.py raises it for the long run.
EXAMPLES_PER_OPERATION = int(os.environ.get("CLOUDCANVAS_FUZZ_EXAMPLES", "20"))


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[FastAPI]:
    database = Database.connect(database_url)
    with database.session() as session:
        user = make_user(session, make_org(session), role="owner")
        key = identity_service.create_api_key(session, user=user, access="readwrite")[1]
    # Generous rate limit: the fuzzer is not testing the limiter. No Azure: credential checks
    # fail fast as azure_unavailable (503 with its documented schema).
    api_settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz"),
        secret_key="fuzz",
        api_rate_limit="100000/10s",
        azure_authority_host="https://127.0.0.1:9",
        azure_resource_manager="https://127.0.0.1:9",
        azure_timeout_seconds=1.0,
        snapshot_wait_seconds=0.5,
    )
    app = create_app(api_settings, database=database, schedule=False)
    app.state.fuzz_key = key
    yield app
    database.dispose()


def test_the_api_keeps_its_documented_promises(fuzzed_app: FastAPI) -> None:
    api_schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)
    key = fuzzed_app.state.fuzz_key
    failures: list[str] = []
    calls: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            exercise(operation, key, calls)
        except Exception as error:  # every operation runs; the failures are listed together
            failures.append(f"{operation.label}: {type(error).__name__}: {error}"[:2000])
    assert operations >= 15 and len(set(calls)) == operations
    assert not failures, "\n\n".join(failures)


def exercise(operation: Any, key: str, calls: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
        calls.append(operation.label)

    run()
