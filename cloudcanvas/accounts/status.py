"""An account's status, and the one mapping from a failure code (of a check or a scan) to it."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    OK = "ok"
    UNVERIFIED = "unverified"  # Azure did not answer the last check: nothing known to be wrong
    INVALID_CREDENTIALS = "invalid_credentials"
    SECRET_EXPIRED = "secret_expired"
    MISSING_READER_ROLE = "missing_reader_role"
    SUBSCRIPTION_DISABLED = "subscription_disabled"

    @property
    def label(self) -> str:
        """The status in the user's words, as the accounts list shows it."""
        return _LABELS[self]


_LABELS = {
    AccountStatus.OK: "Connected",
    AccountStatus.UNVERIFIED: "Not verified",
    AccountStatus.INVALID_CREDENTIALS: "Invalid credentials",
    AccountStatus.SECRET_EXPIRED: "Secret expired",
    AccountStatus.MISSING_READER_ROLE: "Reader role missing",
    AccountStatus.SUBSCRIPTION_DISABLED: "Subscription disabled",
}

# Statuses the scheduler scans: any other waits until the user fixes the credentials (an edit
# re-checks them and sets the status again).
SCANNABLE = (AccountStatus.OK, AccountStatus.UNVERIFIED)

_STATUS_OF_FAILURE = {
    "expired_client_secret": AccountStatus.SECRET_EXPIRED,
    "invalid_client_secret": AccountStatus.INVALID_CREDENTIALS,
    "client_secret_is_id": AccountStatus.INVALID_CREDENTIALS,
    "application_not_found": AccountStatus.INVALID_CREDENTIALS,
    "directory_not_found": AccountStatus.INVALID_CREDENTIALS,
    "invalid_credentials": AccountStatus.INVALID_CREDENTIALS,
    "missing_reader_role": AccountStatus.MISSING_READER_ROLE,
    "subscription_not_found": AccountStatus.MISSING_READER_ROLE,
    "subscription_disabled": AccountStatus.SUBSCRIPTION_DISABLED,
}


def status_for_failure(code: str | None) -> AccountStatus | None:
    """The status a failure puts the account in; None when it says nothing about the
    credentials (Azure unavailable or throttled, a failed query, a database fault)."""
    return _STATUS_OF_FAILURE.get(code or "")
