"""The Azure SDK seam: building credentials and clients, and translating what the SDK raises.

Everything that knows how ``azure-identity`` and ``azure-core`` report a failure lives here, so the
credential check and the scanner give the same code for the same fault.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.identity import ClientSecretCredential

from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.errors import UNAVAILABLE_MESSAGE

REDACTED = "[redacted]"

# AADSTS code → (our code, what the user should do).
AADSTS_ERRORS: dict[str, tuple[str, str]] = {
    "7000215": (
        "invalid_client_secret",
        "Microsoft Entra ID refused the client secret: use the secret's Value, not its Secret ID.",
    ),
    "7000222": (
        "expired_client_secret",
        "The client secret has expired: create a new secret under Certificates & secrets "
        "and update this account.",
    ),
    "700016": (
        "application_not_found",
        "No application with this Application (client) ID exists in this directory: "
        "check the Application ID and the Directory ID.",
    ),
    "90002": (
        "directory_not_found",
        "No directory (tenant) with this Directory ID exists: check the Directory (tenant) ID.",
    ),
    "900023": (
        "directory_not_found",
        "This Directory (tenant) ID is not a valid directory: check the Directory (tenant) ID.",
    ),
}
AADSTS_PATTERN = re.compile(r"AADSTS(\d+)")
_HTTP_STATUS = re.compile(r"(?:HTTP status: |HTTP Error: |OIDC Discovery: )(\d{3})")
_TRANSIENT_WORDS = (
    "temporarily_unavailable",
    "temporarily unavailable",
    "Unexpected response from",
)


@dataclass(frozen=True)
class AzureFailure:
    """One failure, translated: our code, a message for the user, Azure's raw text (scrubbed)."""

    code: str
    message: str
    detail: str | None = None
    status: int | None = None

    @property
    def unavailable(self) -> bool:
        return self.code == "azure_unavailable"


def scrub(text: str, secret: str | None) -> str:
    """``text`` with the secret (and its URL-encoded forms) replaced."""
    if not secret:
        return text
    for form in {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}:
        text = text.replace(form, REDACTED)
    return text


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        inner = getattr(current, "inner_exception", None)
        nxt = current.__cause__ or current.__context__
        current = nxt if nxt is not None else inner if isinstance(inner, BaseException) else None


def _status_of(chain: list[BaseException], text: str) -> int | None:
    for exc in chain:
        status = getattr(exc, "status_code", None)
        if isinstance(status, int):
            return status
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        if isinstance(status, int):
            return status
    match = _HTTP_STATUS.search(text)
    return int(match.group(1)) if match else None


def _is_transient(chain: list[BaseException], status: int | None, text: str) -> bool:
    if status is not None and (status in (408, 429) or status >= 500):
        return True
    # requests' exceptions, sockets, TLS and timeouts are all OSError subclasses.
    if any(isinstance(e, ServiceRequestError | ServiceResponseError | OSError) for e in chain):
        return True
    return any(word in text for word in _TRANSIENT_WORDS)


class LastStatus:
    """Remembers the HTTP status of the last answer a pipeline got (a ``raw_response_hook``).

    The sync credential drops the status of a failed token request; this keeps it, so that a
    throttled or failing Entra ID is told apart from a refused credential.
    """

    def __init__(self) -> None:
        self.status: int | None = None

    def __call__(self, pipeline_response: Any) -> None:
        self.status = getattr(
            getattr(pipeline_response, "http_response", None), "status_code", None
        )


def translate(
    exc: BaseException, *, secret: str | None, last_status: int | None = None
) -> AzureFailure:
    """What an exception from the SDK means for the user (never a credential error for a fault)."""
    chain = list(_exception_chain(exc))
    text = "\n".join(str(e) for e in chain)
    detail = scrub(str(exc), secret).strip() or None
    status = _status_of(chain, text) or last_status
    match = AADSTS_PATTERN.search(text)
    if match and match.group(1) in AADSTS_ERRORS:
        code, message = AADSTS_ERRORS[match.group(1)]
        return AzureFailure(code, message, detail, status)
    if _is_transient(chain, status, text):
        return AzureFailure("azure_unavailable", UNAVAILABLE_MESSAGE, detail, status)
    if "Unable to get authority configuration" in text:
        code, message = AADSTS_ERRORS["90002"]
        return AzureFailure(code, message, detail, status)
    if match or isinstance(exc, ClientAuthenticationError):
        message = "Microsoft Entra ID refused these credentials; see the details from Azure."
        return AzureFailure("invalid_credentials", message, detail, status)
    if isinstance(exc, HttpResponseError):
        return _translate_arm(exc, detail, status)
    return AzureFailure("azure_unavailable", UNAVAILABLE_MESSAGE, detail, status)


def _translate_arm(exc: HttpResponseError, detail: str | None, status: int | None) -> AzureFailure:
    arm_code = getattr(getattr(exc, "error", None), "code", None) or "HttpResponseError"
    if status == 403:
        return AzureFailure(
            "missing_reader_role",
            "The app may not read this subscription: assign the Reader role to the app "
            "on this subscription.",
            detail,
            status,
        )
    if status == 404:
        return AzureFailure(
            "subscription_not_found", "Azure does not know this subscription.", detail, status
        )
    return AzureFailure("azure_error", f"Azure refused the request ({arm_code}).", detail, status)


class _QuietIdentity(logging.Filter):
    """Turns azure-identity's "get_token failed" warnings into debug records and scrubs secrets.

    We report a failed token ourselves, with a precise message; the SDK's own warning would print
    Azure's raw text to stderr on every failed check.
    """

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[int, str] = {}
        self._lock = threading.Lock()

    @contextmanager
    def guarding(self, secret: str) -> Iterator[None]:
        key = id(object())
        with self._lock:
            self._secrets[key] = secret
        try:
            yield
        finally:
            with self._lock:
                self._secrets.pop(key, None)

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            secrets = list(self._secrets.values())
        if secrets:
            message = record.getMessage()
            for secret in secrets:
                message = scrub(message, secret)
            record.msg, record.args = message, ()
        if record.levelno == logging.WARNING and record.name.startswith("azure.identity"):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_QUIET = _QuietIdentity()
_QUIET_LOGGERS = (
    "azure.identity._internal.decorators",
    "azure.identity._internal.get_token_mixin",
    "azure.identity._internal.msal_credentials",
    "azure.identity._internal.utils",
    "azure.core.pipeline.policies.http_logging_policy",
    "azure.core.pipeline.policies._universal",
    "msal.application",
    "msal.authority",
    "msal.token_cache",
    "msal.telemetry",
    "msal.oauth2cli.oauth2",
    "msal.oauth2cli.oidc",
)
for _name in _QUIET_LOGGERS:
    logging.getLogger(_name).addFilter(_QUIET)


def guard_secret(secret: str) -> Any:
    """Within this context, log records of the Azure SDK have ``secret`` scrubbed."""
    return _QUIET.guarding(secret)


def credential_kwargs(endpoints: AzureEndpoints, *, retry_total: int) -> dict[str, Any]:
    """Pipeline settings shared by the credential and every client."""
    kwargs: dict[str, Any] = {
        "retry_total": retry_total,
        "retry_backoff_factor": 0.4,
        "retry_backoff_max": 4,
        "connection_timeout": min(endpoints.timeout, 10.0),
        "read_timeout": endpoints.timeout,
    }
    if endpoints.ca_bundle:
        kwargs["connection_verify"] = endpoints.ca_bundle
    return kwargs


def build_credential(
    endpoints: AzureEndpoints,
    *,
    tenant_id: str,
    client_id: str,
    client_secret: str,
    retry_total: int,
    on_request: Callable[[Any], None] | None = None,
    on_response: Callable[[Any], None] | None = None,
) -> ClientSecretCredential:
    """A ``ClientSecretCredential`` pointed at ``endpoints``."""
    kwargs = credential_kwargs(endpoints, retry_total=retry_total)
    if on_request is not None:
        kwargs["raw_request_hook"] = on_request
    if on_response is not None:
        kwargs["raw_response_hook"] = on_response
    return ClientSecretCredential(
        tenant_id,
        client_id,
        client_secret,
        authority=endpoints.authority_host,
        disable_instance_discovery=endpoints.custom or None,
        **kwargs,
    )


def client_kwargs(
    endpoints: AzureEndpoints, *, retry_total: int, on_request: Callable[[Any], None] | None = None
) -> dict[str, Any]:
    """Keyword arguments for a management client pointed at ``endpoints``."""
    kwargs = credential_kwargs(endpoints, retry_total=retry_total)
    kwargs["base_url"] = endpoints.resource_manager
    kwargs["credential_scopes"] = [endpoints.scope]
    if on_request is not None:
        kwargs["raw_request_hook"] = on_request
    return kwargs
