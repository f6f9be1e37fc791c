"""Reading Resource Graph's throttling headers, which decide how long a scan waits."""

from __future__ import annotations

import time

import pytest

from cloudcanvas.azure._quota import (
    DeadlineExceeded,
    Quota,
    parse_resets_after,
    parse_retry_after,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("00:00:05", 5.0), ("00:01:02", 62.0), ("00:00:04.5", 4.5), ("", None), ("soon", None)],
)
def test_resets_after(text: str, seconds: float | None) -> None:
    assert parse_resets_after(text) == seconds


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"retry-after": "3"}, 3.0), ({"retry-after-ms": "1500"}, 1.5), ({}, None)],
)
def test_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(headers) == seconds


def test_a_spent_quota_is_not_spent_again_before_the_reset() -> None:
    quota = Quota()
    quota.acquire(time.monotonic() + 1)
    quota.release({"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:01:00"})
    with pytest.raises(DeadlineExceeded):  # waiting a minute would overrun the scan's time
        quota.acquire(time.monotonic() + 1)


def test_a_late_answer_does_not_give_back_spent_quota() -> None:
    quota = Quota()
    deadline = time.monotonic() + 1
    quota.acquire(deadline)  # the first query tells how much a window holds
    quota.release({"x-ms-user-quota-remaining": "5", "x-ms-user-quota-resets-after": "00:01:00"})
    quota.acquire(deadline)
    quota.acquire(deadline)
    quota.release({"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:01:00"})
    quota.release({"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:01:00"})
    with pytest.raises(DeadlineExceeded):
        quota.acquire(time.monotonic() + 1)


def test_a_window_spent_on_answers_without_quota_headers_is_probed_again() -> None:
    quota = Quota()
    quota.acquire(time.monotonic() + 1)
    quota.release({"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:00"})
    time.sleep(0.01)
    for _ in range(3):  # a new window; every answer is a 503 without quota headers
        quota.acquire(time.monotonic() + 1)
        quota.release(None)
    started = time.monotonic()
    quota.acquire(time.monotonic() + 5)  # not stuck until the deadline
    assert time.monotonic() - started < 1
