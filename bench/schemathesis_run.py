"""The long Schemathesis run: the suite's property-based API test with a large budget.

    .venv/bin/python bench/schemathesis_run.py [EXAMPLES_PER_OPERATION]   # default 300

Same checks as the suite (not_a_server_error, status_code_conformance,
response_schema_conformance), on the database the tests use (SQLite, or PostgreSQL with
CLOUDCANVAS_TEST_BACKEND=postgresql and CLOUDCANVAS_TEST_DATABASE_URL).
"""

from __future__ import annotations

import os
import sys
import time

import pytest


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "300"
    os.environ["CLOUDCANVAS_FUZZ_EXAMPLES"] = examples
    started = time.monotonic()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "tests/api/test_schemathesis.py"])
    print(f"{examples} examples per operation: exit {code} in {time.monotonic() - started:.0f} s")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
