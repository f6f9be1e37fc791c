"""Everything cloudcanvas asks of Azure: endpoints, the staged credential check, the scanner.

This is the only package that imports the Azure SDK (``azure.*``).
"""

from cloudcanvas.azure._quota import (
    REMAINING,
    RESETS_AFTER,
    DeadlineExceeded,
    PrincipalQuota,
    QuotaSource,
    parse_resets_after,
    shared_quota,
)
from cloudcanvas.azure.clouds import AzureEndpoints, endpoints_from_settings
from cloudcanvas.azure.credentials import (
    CheckResult,
    CheckStage,
    Credentials,
    StageResult,
    SubscriptionInfo,
    check_credentials,
    list_subscriptions,
    validate_format,
)
from cloudcanvas.azure.errors import UNAVAILABLE_MESSAGE, AzureCheckFailed, AzureUnavailable
from cloudcanvas.azure.scanner import (
    QueryFailure,
    ScanProgress,
    ScanResult,
    scan_many,
    scan_subscriptions,
)

__all__ = [
    "REMAINING",
    "RESETS_AFTER",
    "UNAVAILABLE_MESSAGE",
    "AzureCheckFailed",
    "AzureEndpoints",
    "AzureUnavailable",
    "CheckResult",
    "CheckStage",
    "Credentials",
    "DeadlineExceeded",
    "PrincipalQuota",
    "QueryFailure",
    "QuotaSource",
    "ScanProgress",
    "ScanResult",
    "StageResult",
    "SubscriptionInfo",
    "check_credentials",
    "endpoints_from_settings",
    "list_subscriptions",
    "parse_resets_after",
    "scan_many",
    "scan_subscriptions",
    "shared_quota",
    "validate_format",
]
