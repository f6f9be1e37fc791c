"""One account status vocabulary, and the one mapping from a failure code to a status.

Checks (connect, edit, re-check) and scans both end in a failure code from ``azure``; this module
alone says what each code means for the account, so a scan that finds the secret rejected stops
the schedule exactly as a check would.
"""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    OK = "ok"
    UNVERIFIED = "unverified"  # Azure did not answer the last check: nothing known to be wrong
    SECRET_EXPIRED = "secret_expired"
    INVALID_CREDENTIALS = "invalid_credentials"
    MISSING_READER_ROLE = "missing_reader_role"
    SUBSCRIPTION_DISABLED = "subscription_disabled"


LABELS: dict[str, str] = {  # keyed by the stored string
    AccountStatus.OK: "Connected",
    AccountStatus.SECRET_EXPIRED: "Secret expired",
    AccountStatus.INVALID_CREDENTIALS: "Invalid credentials",
    AccountStatus.MISSING_READER_ROLE: "Reader role missing",
    AccountStatus.SUBSCRIPTION_DISABLED: "Subscription disabled",
    AccountStatus.UNVERIFIED: "Not verified",
}
# The scheduler scans only these; any other status waits for new credentials or a new check.
SCHEDULABLE = (AccountStatus.OK, AccountStatus.UNVERIFIED)
# Failure codes that say something about the account itself (not about Azure's availability).
STATUS_OF_FAILURE: dict[str, AccountStatus] = {
    "expired_client_secret": AccountStatus.SECRET_EXPIRED,
    "invalid_client_secret": AccountStatus.INVALID_CREDENTIALS,
    "invalid_credentials": AccountStatus.INVALID_CREDENTIALS,
    "application_not_found": AccountStatus.INVALID_CREDENTIALS,
    "directory_not_found": AccountStatus.INVALID_CREDENTIALS,
    "missing_reader_role": AccountStatus.MISSING_READER_ROLE,
    "subscription_not_found": AccountStatus.MISSING_READER_ROLE,
    "subscription_disabled": AccountStatus.SUBSCRIPTION_DISABLED,
}


def status_of_failure(code: str | None) -> AccountStatus | None:
    """The account status a scan failure implies; None when it says nothing about the account."""
    return STATUS_OF_FAILURE.get(code or "")


def status_of_check(ok: bool, code: str | None) -> AccountStatus:
    """The status after a credentials check: a failed check with an unknown code is invalid."""
    if ok:
        return AccountStatus.OK
    if code == "azure_unavailable":
        return AccountStatus.UNVERIFIED
    return status_of_failure(code) or AccountStatus.INVALID_CREDENTIALS
