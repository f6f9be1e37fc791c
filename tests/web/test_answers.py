"""The answers the API and the web UI share (``http/answers.py``)."""

from __future__ import annotations

from cloudcanvas.errors import BadRequest, DatabaseUnavailable
from cloudcanvas.http.answers import attachment, error_json, safe_stem


def test_an_error_says_when_to_retry_when_it_knows():
    busy = error_json(DatabaseUnavailable())
    assert busy.status_code == 503 and busy.headers["Retry-After"].isdigit()
    assert b'"code":"database_unavailable"' in busy.body
    wrong = error_json(BadRequest("name: too long"))
    assert wrong.status_code == 400 and "Retry-After" not in wrong.headers


def test_a_download_is_named_in_safe_characters_only():
    hostile = 'Prod <shop> & "friends"/eu\r\n'
    assert (
        attachment(hostile, "svg", fallback="x")
        == 'attachment; filename="Prod-shop-friends-eu.svg"'
    )
    assert safe_stem("///", fallback="blueprint") == "blueprint"
    assert len(safe_stem("a" * 200, fallback="x")) == 80
