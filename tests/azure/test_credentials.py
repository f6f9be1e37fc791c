"""The staged credential check: each failure on its own stage, with the code the wizard shows."""

from __future__ import annotations

import logging

import pytest

from cloudcanvas import errors
from cloudcanvas.azure import (
    UNAVAILABLE_MESSAGE,
    AzureCheckFailed,
    AzureEndpoints,
    AzureUnavailable,
    CheckResult,
    CheckStage,
    Credentials,
    check_credentials,
    list_subscriptions,
    validate_format,
)
from cloudcanvas.simulator import Simulator
from tests.azure.conftest import (
    EXPIRED,
    GROUP_ONLY,
    READER,
    SUB_LEGACY,
    SUB_OTHER,
    SUB_PROD,
    SUB_TRIAL,
    TENANT,
    WRITER,
    answered,
)

UNKNOWN_GUID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def failed_stage(result: CheckResult) -> tuple[CheckStage, str | None]:
    assert not result.ok
    failed = result.failed
    assert failed is not None
    assert [s.ok for s in result.stages] == [True] * (len(result.stages) - 1) + [False]
    return failed.stage, failed.code


# --- format -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "label"),
    [
        ({"tenant_id": "not a tenant"}, "directoryId", "Directory (tenant) ID"),
        ({"tenant_id": ""}, "directoryId", "Directory (tenant) ID"),
        ({"client_id": "1234"}, "applicationId", "Application (client) ID"),
        ({"subscription_id": "sub-1"}, "subscriptionId", "Subscription ID"),
        ({"client_secret": ""}, "clientSecret", "Client secret"),
    ],
)
def test_a_malformed_field_is_named(changes: dict[str, str], field: str, label: str) -> None:
    stage = validate_format(READER.creds(**{"subscription_id": SUB_PROD, **changes}))
    assert (stage.ok, stage.code, stage.field) == (False, "invalid_request", field)
    assert stage.message.startswith(label)


def test_a_guid_pasted_as_the_secret_is_its_id(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(SUB_PROD, client_secret=READER.secret_id))
    assert failed_stage(result) == (CheckStage.well_formed, "client_secret_is_id")
    assert "paste its Value" in result.message


def test_format_failures_never_call_azure(clean_sim: Simulator, endpoints: AzureEndpoints) -> None:
    check_credentials(endpoints, READER.creds(SUB_PROD, client_id="nope"))
    assert answered(clean_sim) == []


def test_pasted_blanks_are_ignored(endpoints: AzureEndpoints) -> None:
    creds = Credentials(f" {TENANT} ", f"{READER.app_id}\n", f"{READER.secret} ", f" {SUB_PROD}")
    assert check_credentials(endpoints, creds).ok


# --- token --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("creds", "code", "words"),
    [
        (READER.creds(client_secret="Zz98Q~wrong.secret"), "invalid_client_secret", "Value"),
        (EXPIRED.creds(), "expired_client_secret", "Certificates & secrets"),
        (READER.creds(client_id=UNKNOWN_GUID), "application_not_found", "Application"),
        (READER.creds(tenant_id=UNKNOWN_GUID), "directory_not_found", "Directory"),
        (READER.creds(tenant_id="fabrikam.example"), "directory_not_found", "Directory"),
    ],
    ids=["wrong-secret", "expired-secret", "unknown-app", "unknown-tenant", "unknown-domain"],
)
def test_token_failures(
    endpoints: AzureEndpoints, creds: Credentials, code: str, words: str
) -> None:
    result = check_credentials(endpoints, creds, through=CheckStage.token)
    assert failed_stage(result) == (CheckStage.token, code)
    assert words in result.message
    failed = result.failed
    assert failed is not None and failed.detail  # Azure's own text is kept for the curious


def test_a_malformed_directory_azure_rejects_is_directory_not_found(
    endpoints: AzureEndpoints,
) -> None:
    # 'contoso' passes the SDK's character check but is neither a GUID nor a domain: AADSTS900023.
    from cloudcanvas.azure.credentials import _Probe

    stage = _Probe(endpoints, READER.creds(tenant_id="contoso")).check_token()
    assert (stage.stage, stage.code) == (CheckStage.token, "directory_not_found")


def test_wizard_step_two_stops_after_the_token(
    clean_sim: Simulator, endpoints: AzureEndpoints
) -> None:
    result = check_credentials(endpoints, READER.creds(), through=CheckStage.token)
    assert result.ok
    assert [s.stage for s in result.stages] == [CheckStage.well_formed, CheckStage.token]
    assert {r.route for r in answered(clean_sim)} <= {"discovery", "token"}


# --- subscription -------------------------------------------------------------------------------


def test_wizard_step_three_lists_the_subscriptions(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(), through=CheckStage.subscription)
    assert result.ok
    seen = {(s.id, s.display_name, s.state) for s in result.subscriptions}
    assert seen == {
        (SUB_PROD, "Production", "Enabled"),
        (SUB_LEGACY, "Legacy", "Disabled"),
        (SUB_TRIAL, "Trial", "Warned"),
    }


def test_list_subscriptions(endpoints: AzureEndpoints) -> None:
    ids = {s.id for s in list_subscriptions(endpoints, READER.creds(SUB_OTHER))}
    assert ids == {SUB_PROD, SUB_LEGACY, SUB_TRIAL}


def test_list_subscriptions_raises_the_credential_error(endpoints: AzureEndpoints) -> None:
    with pytest.raises(AzureCheckFailed) as caught:
        list_subscriptions(endpoints, EXPIRED.creds())
    assert caught.value.code == "expired_client_secret"
    assert caught.value.status_code == 400


def test_a_subscription_the_app_cannot_see(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(SUB_OTHER))
    assert failed_stage(result) == (CheckStage.subscription, "subscription_not_found")
    assert SUB_OTHER in result.message


def test_a_disabled_subscription(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(SUB_LEGACY))
    assert failed_stage(result) == (CheckStage.subscription, "subscription_disabled")
    assert "Legacy" in result.message


def test_a_warned_subscription_passes_with_a_warning(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(SUB_TRIAL))
    assert result.ok
    assert any("Warned" in w for w in result.warnings)


# --- permissions --------------------------------------------------------------------------------


def test_reader_passes_every_stage(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, READER.creds(SUB_PROD))
    assert result.ok and result.code is None
    assert [s.stage for s in result.stages] == [
        CheckStage.well_formed,
        CheckStage.token,
        CheckStage.subscription,
        CheckStage.permissions,
    ]
    assert not result.can_write and result.warnings == []
    result.raise_for_failure()


def test_no_reader_role_on_the_subscription(endpoints: AzureEndpoints) -> None:
    # Reader on one resource group only: the subscription is visible, not readable as a whole.
    result = check_credentials(endpoints, GROUP_ONLY.creds(SUB_PROD))
    assert failed_stage(result) == (CheckStage.permissions, "missing_reader_role")
    assert "assign the Reader role" in result.message


def test_a_contributor_is_warned_that_reader_is_enough(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, WRITER.creds(SUB_PROD))
    assert result.ok and result.can_write
    assert result.warnings == ["This app can also write to the subscription; Reader is enough."]


def test_a_revoked_role_is_noticed_at_once(clean_sim: Simulator, endpoints: AzureEndpoints) -> None:
    scope = f"/subscriptions/{SUB_PROD}"
    clean_sim.revoke_role(GROUP_ONLY.object_id, f"{scope}/resourceGroups/rg-app")
    try:
        result = check_credentials(endpoints, GROUP_ONLY.creds(SUB_PROD))
        assert failed_stage(result) == (CheckStage.subscription, "subscription_not_found")
    finally:
        clean_sim.grant_role(GROUP_ONLY.object_id, f"{scope}/resourceGroups/rg-app", "Reader")


def test_the_failure_as_an_app_error(endpoints: AzureEndpoints) -> None:
    result = check_credentials(endpoints, GROUP_ONLY.creds(SUB_PROD))
    with pytest.raises(AzureCheckFailed) as caught:
        result.raise_for_failure()
    body = caught.value.to_dict()
    assert body["code"] == "missing_reader_role" and isinstance(caught.value, errors.BadRequest)
    assert [s["stage"] for s in body["stages"]] == [
        "format",
        "token",
        "subscription",
        "permissions",
    ]


# --- Azure faults are never credential errors ------------------------------------------------


@pytest.mark.parametrize(
    ("route", "through"),
    [
        ("discovery", CheckStage.token),
        ("token", CheckStage.token),
        ("subscriptions", CheckStage.subscription),
        ("permissions", CheckStage.permissions),
    ],
)
@pytest.mark.parametrize("fault", ["503", "429", "timeout"])
def test_azure_faults_are_azure_unavailable(
    clean_sim: Simulator, endpoints: AzureEndpoints, route: str, through: CheckStage, fault: str
) -> None:
    if fault == "timeout":
        clean_sim.inject_fault(route, count=10, timeout=True)
    else:
        clean_sim.inject_fault(route, status=int(fault), count=10)
    result = check_credentials(endpoints, READER.creds(SUB_PROD))
    assert failed_stage(result) == (through, "azure_unavailable")
    assert result.message == UNAVAILABLE_MESSAGE
    with pytest.raises(AzureUnavailable) as caught:
        result.raise_for_failure()
    assert caught.value.status_code == 503 and caught.value.code == "azure_unavailable"


def test_one_dropped_answer_is_retried(clean_sim: Simulator, endpoints: AzureEndpoints) -> None:
    clean_sim.inject_fault("subscriptions", status=503, count=1)
    assert check_credentials(endpoints, READER.creds(SUB_PROD)).ok


def test_an_unreachable_azure_is_azure_unavailable(clean_sim: Simulator) -> None:
    nobody = "https://127.0.0.1:9"  # discard port: nothing listens
    endpoints = AzureEndpoints(nobody, nobody, str(clean_sim.ca_bundle), True, 1.0)
    result = check_credentials(endpoints, READER.creds(SUB_PROD))
    assert failed_stage(result) == (CheckStage.token, "azure_unavailable")


# --- the secret stays secret ------------------------------------------------------------------


def test_the_secret_appears_nowhere(
    clean_sim: Simulator, endpoints: AzureEndpoints, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    cases = [
        READER.creds(SUB_PROD),
        WRITER.creds(SUB_PROD),
        READER.creds(SUB_LEGACY),
        GROUP_ONLY.creds(SUB_PROD),
        EXPIRED.creds(SUB_PROD),
        READER.creds(SUB_PROD, client_id=UNKNOWN_GUID),
        READER.creds(SUB_PROD, tenant_id=UNKNOWN_GUID),
    ]
    for creds in cases:
        result = check_credentials(endpoints, creds)
        texts += [repr(creds), str(result), repr(result)]
        try:
            result.raise_for_failure()
        except errors.AppError as exc:
            texts += [str(exc), repr(exc), str(exc.to_dict())]
    clean_sim.inject_fault("token", status=503, count=10)
    texts.append(repr(check_credentials(endpoints, READER.creds(SUB_PROD))))
    texts += [r.getMessage() for r in caplog.records]
    texts += [str(r.exc_info) for r in caplog.records if r.exc_info]
    assert len(caplog.records) > 0
    for secret in (READER.secret, WRITER.secret, GROUP_ONLY.secret, EXPIRED.secret):
        assert not [t for t in texts if secret in t]


def test_identity_warnings_do_not_reach_the_console(
    endpoints: AzureEndpoints, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    check_credentials(endpoints, READER.creds(client_secret="Zz98Q~wrong.secret"))
    assert [r for r in caplog.records if r.name.startswith("azure.identity")] == []
