"""The staged credential check behind the Add Azure Account wizard.

Stages run in order and stop at the first failure: ``format`` (well-formed IDs, no secret ID
pasted as the secret) → ``token`` (Entra ID issues a token) → ``subscription`` (the principal sees
the chosen subscription and it is enabled) → ``permissions`` (``*/read`` at subscription scope).
Each stage reports its own outcome; a fault of Azure is ``azure_unavailable``, never a credential
error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from azure.core.rest import HttpRequest
from azure.identity import ClientSecretCredential
from azure.mgmt.resource.subscriptions import SubscriptionClient

from cloudcanvas.azure import _sdk
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.errors import AzureCheckFailed, AzureUnavailable

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_CHECK_RETRIES = 1  # a wrong credential must fail fast; a fault still gets one more try
PERMISSIONS_API_VERSION = "2022-04-01"
WRITE_WARNING = "This app can also write to the subscription; Reader is enough."


class CheckStage(StrEnum):
    # The API names this stage "format"; as a member name it would shadow str.format.
    well_formed = "format"
    token = "token"
    subscription = "subscription"
    permissions = "permissions"
    # The wizard's first step only (does the directory exist, before any secret); last, so that
    # the order of the credential stages above is unchanged.
    directory = "directory"


_ORDER = list(CheckStage)


@dataclass(frozen=True)
class Credentials:
    """An app registration's client credentials, and the subscription it should read."""

    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)
    subscription_id: str | None = None

    def normalized(self) -> Credentials:
        """The same credentials with the blanks a paste brings along removed."""
        return Credentials(
            tenant_id=self.tenant_id.strip(),
            client_id=self.client_id.strip(),
            client_secret=self.client_secret.strip(),
            subscription_id=(self.subscription_id or "").strip() or None,
        )


@dataclass(frozen=True)
class SubscriptionInfo:
    id: str
    display_name: str
    state: str


@dataclass
class StageResult:
    stage: CheckStage
    ok: bool
    code: str | None = None
    message: str = ""
    detail: str | None = None  # Azure's raw text, the secret scrubbed
    field: str | None = None  # the form field to fix: directoryId, applicationId, ...


@dataclass
class CheckResult:
    stages: list[StageResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    subscriptions: list[SubscriptionInfo] = field(default_factory=list)
    can_write: bool = False

    @property
    def failed(self) -> StageResult | None:
        return next((s for s in self.stages if not s.ok), None)

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def code(self) -> str | None:
        failed = self.failed
        return failed.code if failed else None

    @property
    def message(self) -> str:
        failed = self.failed
        if failed is not None:
            return failed.message
        return "All checks passed. " + " ".join(s.message for s in self.stages if s.message)

    @property
    def subscription(self) -> SubscriptionInfo | None:
        return self.subscriptions[0] if len(self.subscriptions) == 1 else None

    def raise_for_failure(self) -> None:
        """Raise ``AzureUnavailable`` or ``AzureCheckFailed`` when the check failed."""
        failed = self.failed
        if failed is None:
            return
        if failed.code == "azure_unavailable":
            raise AzureUnavailable(failed.message, result=self)
        raise AzureCheckFailed(self)


# Form fields as the API names them, and as the wizard labels them.
_FIELDS = {
    "tenant_id": ("directoryId", "Directory (tenant) ID"),
    "client_id": ("applicationId", "Application (client) ID"),
    "subscription_id": ("subscriptionId", "Subscription ID"),
}


# The label of each form field a check can point at, by its API name.
FIELD_LABELS = {api_name: label for api_name, label in _FIELDS.values()}


def _bad_field(name: str, problem: str, stage: CheckStage = CheckStage.well_formed) -> StageResult:
    api_name, label = _FIELDS[name]
    return StageResult(stage, False, "invalid_request", f"{label} {problem}", field=api_name)


def validate_ids(creds: Credentials) -> StageResult:
    """The directory, application and (when given) subscription IDs are well-formed."""
    creds = creds.normalized()
    tenant = creds.tenant_id
    if not tenant:
        return _bad_field("tenant_id", "is required.")
    if not (_GUID.match(tenant) or _DOMAIN.match(tenant)):
        return _bad_field(
            "tenant_id", "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47."
        )
    for name in ("client_id", "subscription_id"):
        value = getattr(creds, name)
        if name == "client_id" and not value:
            return _bad_field(name, "is required.")
        if value and not _GUID.match(value):
            return _bad_field(name, "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47.")
    return StageResult(CheckStage.well_formed, True, message="The IDs are well-formed.")


def validate_format(creds: Credentials) -> StageResult:
    """The IDs are well-formed GUIDs and the secret is not a GUID (the secret's ID)."""
    creds = creds.normalized()
    ids = validate_ids(creds)
    if not ids.ok:
        return ids
    secret = creds.client_secret
    if not secret:
        return StageResult(
            CheckStage.well_formed,
            False,
            "invalid_request",
            "Client secret is required.",
            field="clientSecret",
        )
    if _GUID.match(secret):
        return StageResult(
            CheckStage.well_formed,
            False,
            "client_secret_is_id",
            "You pasted the secret's ID; paste its Value (shown once, when the secret is created).",
            field="clientSecret",
        )
    return StageResult(CheckStage.well_formed, True, message="The IDs are well-formed.")


class _Probe:
    """One check's credential, and what it takes to translate its failures."""

    def __init__(self, endpoints: AzureEndpoints, creds: Credentials) -> None:
        self.endpoints, self.secret = endpoints, creds.client_secret
        self.last_status = _sdk.LastStatus()
        self.credential = _sdk.build_credential(
            endpoints,
            tenant_id=creds.tenant_id,
            client_id=creds.client_id,
            client_secret=creds.client_secret,
            retry_total=_CHECK_RETRIES,
            on_response=self.last_status,
        )

    def failure(self, stage: CheckStage, exc: BaseException) -> StageResult:
        failure = _sdk.translate(exc, secret=self.secret, last_status=self.last_status.status)
        return StageResult(stage, False, failure.code, failure.message, failure.detail)

    def check_token(self) -> StageResult:
        try:
            self.credential.get_token(self.endpoints.scope)
        except Exception as exc:  # every SDK failure is translated, never raised
            return self.failure(CheckStage.token, exc)
        return StageResult(CheckStage.token, True, message="Microsoft Entra ID issued a token.")


def _subscription_client(
    credential: ClientSecretCredential, endpoints: AzureEndpoints
) -> SubscriptionClient:
    return SubscriptionClient(
        credential, **_sdk.client_kwargs(endpoints, retry_total=_CHECK_RETRIES)
    )


def _fetch_subscriptions(client: SubscriptionClient) -> list[SubscriptionInfo]:
    return [
        SubscriptionInfo(
            id=str(sub.subscription_id),
            display_name=str(sub.display_name or sub.subscription_id),
            state=str(getattr(sub.state, "value", sub.state) or "Enabled"),
        )
        for sub in client.subscriptions.list()
    ]


_UNUSABLE_STATES = {"disabled", "deleted"}


def _subscription_refused(code: str, message: str) -> StageResult:
    return StageResult(CheckStage.subscription, False, code, message, field="subscriptionId")


def _check_subscription(
    visible: list[SubscriptionInfo], wanted: str | None
) -> tuple[StageResult, list[str]]:
    stage = CheckStage.subscription
    if wanted is None:
        if not visible:
            return _subscription_refused(
                "subscription_not_found",
                "The app cannot see any subscription: assign the Reader role to the app on the "
                "subscription to draw.",
            ), []
        return StageResult(
            stage, True, message=f"The app can see {len(visible)} subscription(s)."
        ), []
    found = next((s for s in visible if s.id.lower() == wanted.lower()), None)
    if found is None:
        return _subscription_refused(
            "subscription_not_found",
            f"The app cannot see subscription {wanted}: check the Subscription ID, and assign the "
            "Reader role to the app on this subscription.",
        ), []
    if found.state.lower() in _UNUSABLE_STATES:
        return _subscription_refused(
            "subscription_disabled",
            f"Subscription '{found.display_name}' is {found.state}: re-enable it in the Azure "
            "portal, or choose another subscription.",
        ), []
    warnings = []
    if found.state.lower() != "enabled":
        warnings.append(
            f"Subscription '{found.display_name}' is {found.state}: Azure may disable it soon."
        )
    return StageResult(
        stage, True, message=f"Subscription '{found.display_name}' is {found.state}."
    ), warnings


def _allows(permission: dict[str, Any], action: str) -> bool:
    """Azure's rule: some entry of ``actions`` matches and no entry of ``notActions`` does."""
    import fnmatch

    target = action.lower()
    allowed = any(
        fnmatch.fnmatchcase(target, str(p).lower()) for p in permission.get("actions") or []
    )
    denied = any(
        fnmatch.fnmatchcase(target, str(p).lower()) for p in permission.get("notActions") or []
    )
    return allowed and not denied


def _writes(permission: dict[str, Any]) -> bool:
    if _allows(permission, "*/write") or _allows(permission, "*/delete"):
        return True
    return any(
        re.search(r"(^\*$|/(write|delete|\*)$)", str(a).lower())
        for a in permission.get("actions") or []
    )


def _fetch_permissions(client: SubscriptionClient, subscription_id: str) -> list[dict[str, Any]]:
    url = f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/permissions"
    request = HttpRequest("GET", url, params={"api-version": PERMISSIONS_API_VERSION})
    permissions: list[dict[str, Any]] = []
    while True:
        response = client.send_request(request)
        response.raise_for_status()
        body = response.json()
        permissions.extend(body.get("value") or [])
        next_link = body.get("nextLink")
        if not next_link:
            return permissions
        request = HttpRequest("GET", next_link)


def _check_permissions(permissions: list[dict[str, Any]]) -> tuple[StageResult, bool]:
    stage = CheckStage.permissions
    can_write = any(_writes(p) for p in permissions)
    if not any(_allows(p, "*/read") for p in permissions):
        return StageResult(
            stage,
            False,
            "missing_reader_role",
            "The app may not read this subscription: assign the Reader role to the app on this "
            "subscription.",
            field="subscriptionId",
        ), can_write
    return StageResult(stage, True, message="The app may read the whole subscription."), can_write


def check_credentials(
    endpoints: AzureEndpoints,
    creds: Credentials,
    *,
    through: CheckStage = CheckStage.permissions,
) -> CheckResult:
    """Run the stages in order up to ``through``, stopping at the first failure."""
    creds = creds.normalized()
    result = CheckResult()
    result.stages.append(validate_format(creds))
    if not result.ok or through == CheckStage.well_formed:
        return result
    with _sdk.guard_secret(creds.client_secret):
        probe = _Probe(endpoints, creds)
        try:
            _run_azure_stages(probe, creds, result, _ORDER.index(through))
        finally:
            probe.credential.close()
    return result


def _run_azure_stages(probe: _Probe, creds: Credentials, result: CheckResult, last: int) -> None:
    result.stages.append(probe.check_token())
    if not result.ok or last < _ORDER.index(CheckStage.subscription):
        return
    with _subscription_client(probe.credential, probe.endpoints) as client:
        try:
            result.subscriptions = _fetch_subscriptions(client)
        except Exception as exc:  # every SDK failure is translated, never raised
            result.stages.append(probe.failure(CheckStage.subscription, exc))
            return
        wanted = creds.subscription_id
        if wanted is None and last >= _ORDER.index(CheckStage.permissions):
            problem = "is required: choose a subscription."
            result.stages.append(_bad_field("subscription_id", problem, CheckStage.subscription))
            return
        stage, warnings = _check_subscription(result.subscriptions, wanted)
        result.stages.append(stage)
        result.warnings.extend(warnings)
        if not result.ok or last < _ORDER.index(CheckStage.permissions) or wanted is None:
            return
        try:
            permissions = _fetch_permissions(client, wanted)
        except Exception as exc:  # every SDK failure is translated, never raised
            result.stages.append(probe.failure(CheckStage.permissions, exc))
            return
        stage, result.can_write = _check_permissions(permissions)
        result.stages.append(stage)
        if result.ok and result.can_write:
            result.warnings.append(WRITE_WARNING)


def list_subscriptions(endpoints: AzureEndpoints, creds: Credentials) -> list[SubscriptionInfo]:
    """The subscriptions the principal can see; raises ``AzureCheckFailed`` or ``AzureUnavailable``."""
    without_choice = Credentials(creds.tenant_id, creds.client_id, creds.client_secret)
    result = check_credentials(endpoints, without_choice, through=CheckStage.subscription)
    failed = result.failed
    if failed is not None and failed.code != "subscription_not_found":
        result.raise_for_failure()
    return result.subscriptions
