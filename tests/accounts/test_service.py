"""The accounts service against the simulated Azure, on a real database rolled back per test."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from cloudcanvas.accounts import service
from cloudcanvas.accounts.schemas import AccountCreate, AccountUpdate, etag
from cloudcanvas.accounts.vault import Keyring
from cloudcanvas.azure.errors import AzureCheckFailed, AzureUnavailable
from cloudcanvas.errors import BadRequest, NotFound, PreconditionFailed
from cloudcanvas.store.models import AuditEvent, AzureAccount
from tests.azure_env import (
    CONTRIBUTOR,
    DEVELOPMENT,
    GROUP_ONLY,
    LEGACY,
    PRODUCTION,
    READER,
    TENANT,
    UNKNOWN_GUID,
    WIZARD,
)
from tests.factories import actor, make_org, make_team, make_user


def payload(app=READER, subscription=PRODUCTION, **changes):
    data = {
        "name": "Production",
        "subscriptionId": subscription,
        "directoryId": TENANT,
        "applicationId": app.app_id,
        "clientSecret": app.secret,
    }
    data.update(changes)
    return AccountCreate.model_validate(data)


@pytest.fixture
def azure(azure_settings):
    return service.AzureContext.from_settings(azure_settings)


@pytest.fixture
def owner(session):
    return actor(session, make_user(session, make_org(session), role="owner"))


def count_accounts(session):
    return len(session.scalars(select(AzureAccount)).all())


def test_create_checks_then_stores_the_secret_sealed(session, owner, azure):
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    assert account.status == "ok" and account.hint == READER.secret[:3]
    assert READER.secret.encode() not in account.secret_ciphertext
    assert service.credentials_of(account, azure.keyring).client_secret == READER.secret
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.target_id == account.id))
    assert event.action == "add" and READER.secret not in str(event.changes)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"clientSecret": "wrong-secret-value-that-is-long-enough~"}, "invalid_client_secret"),
        ({"clientSecret": READER.secret_id}, "client_secret_is_id"),
        ({"applicationId": UNKNOWN_GUID}, "application_not_found"),
        ({"directoryId": UNKNOWN_GUID}, "directory_not_found"),
        ({"directoryId": "not a tenant!"}, "invalid_request"),
        ({"subscriptionId": DEVELOPMENT}, "subscription_not_found"),
        (
            {
                "subscriptionId": LEGACY,
                "applicationId": WIZARD.app_id,
                "clientSecret": WIZARD.secret,
            },
            "subscription_disabled",
        ),
        (
            {"applicationId": GROUP_ONLY.app_id, "clientSecret": GROUP_ONLY.secret},
            "missing_reader_role",
        ),
    ],
)
def test_a_failed_check_stores_nothing(session, owner, azure, changes, code):
    before = count_accounts(session)
    with pytest.raises(AzureCheckFailed) as info:
        service.create_account(session, actor=owner, data=payload(**changes), azure=azure)
    assert info.value.code == code and info.value.status_code == 400
    assert count_accounts(session) == before
    secret = changes.get("clientSecret", READER.secret)
    assert secret not in info.value.message and secret not in str(info.value.to_dict())


def test_contributor_works_with_a_warning(session, owner, azure):
    data = payload(app=CONTRIBUTOR)
    account = service.create_account(session, actor=owner, data=data, azure=azure)
    assert account.status == "ok" and any("Reader is enough" in w for w in account.warnings)


def test_azure_down_is_not_a_credential_error(session, owner, azure, simulator):
    simulator.inject_fault("token", status=503, count=20)
    try:
        with pytest.raises(AzureUnavailable) as info:
            service.create_account(session, actor=owner, data=payload(), azure=azure)
    finally:
        simulator.clear_faults()
    assert info.value.status_code == 503 and info.value.code == "azure_unavailable"
    assert "nothing is wrong with your credentials" in info.value.message


def test_update_keeps_the_secret_and_guards_with_etags(session, owner, azure):
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    stale = etag(account)
    service.update_account(
        session,
        actor=owner,
        account_id=account.id,
        data=AccountUpdate(name="Prod"),
        azure=azure,
        if_match=stale,
    )
    assert account.name == "Prod" and account.hint == READER.secret[:3]
    with pytest.raises(PreconditionFailed):
        service.update_account(
            session,
            actor=owner,
            account_id=account.id,
            data=AccountUpdate(name="X"),
            azure=azure,
            if_match=stale,
        )
    assert account.name == "Prod"


def test_the_secret_expiry_is_set_kept_and_cleared(session, owner, azure):
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    when = datetime(2027, 6, 30, tzinfo=UTC)

    def update(body: dict[str, object]) -> None:
        data = AccountUpdate.model_validate(body)
        service.update_account(session, actor=owner, account_id=account.id, data=data, azure=azure)

    update({"secretExpiresAt": when.isoformat()})
    assert account.secret_expires_at == when
    update({"name": "Renamed"})  # not given: kept
    assert account.secret_expires_at == when
    version = account.version
    update({"secretExpiresAt": None})  # given as null: cleared, and audited
    assert account.secret_expires_at is None and account.version == version + 1
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.target_id == account.id, AuditEvent.action == "edit")
    ).all()
    given = sorted(str(e.changes.get("secretExpiresAt", "-")) for e in events)
    assert given == sorted([when.isoformat(), "-", "None"])
    update({"secretExpiresAt": None})  # nothing to change: no new version
    assert account.version == version + 1


def test_a_wrong_new_secret_changes_nothing(session, owner, azure):
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    version = account.version
    bad = AccountUpdate.model_validate(
        {"clientSecret": "not-the-secret-at-all-0123456789", "name": "Renamed"}
    )
    with pytest.raises(AzureCheckFailed):
        service.update_account(session, actor=owner, account_id=account.id, data=bad, azure=azure)
    session.refresh(account)
    assert account.version == version and account.name == "Production"
    assert service.credentials_of(account, azure.keyring).client_secret == READER.secret


def test_team_access_must_name_teams_of_the_organization(session, owner, azure):
    with pytest.raises(BadRequest, match="readAccess"):
        service.create_account(
            session, actor=owner, data=payload(readAccess=["team/nope"]), azure=azure
        )


def test_sharing_lets_a_team_member_see_and_edit(session, azure):
    org = make_org(session)
    admin = actor(session, make_user(session, org, role="administrator"))
    member_user, outsider_user = make_user(session, org), make_user(session, org)
    team = make_team(session, org, member_user)
    account = service.create_account(session, actor=admin, data=payload(), azure=azure)
    member, outsider = actor(session, member_user), actor(session, outsider_user)
    assert service.list_accounts(session, actor=member) == []
    service.update_account(
        session,
        actor=admin,
        account_id=account.id,
        data=AccountUpdate.model_validate({"writeAccess": [f"team/{team.id}"]}),
        azure=azure,
    )
    member = actor(session, member_user)
    assert [a.id for a in service.list_accounts(session, actor=member)] == [account.id]
    service.update_account(
        session, actor=member, account_id=account.id, data=AccountUpdate(name="Ours"), azure=azure
    )
    with pytest.raises(NotFound):
        service.get_account(session, actor=outsider, account_id=account.id)
    actions = [
        e.action
        for e in session.scalars(select(AuditEvent).where(AuditEvent.target_id == account.id))
    ]
    assert sorted(actions) == ["add", "edit", "share"]


def test_bulk_add_reports_each_row(session, owner, azure):
    rows = [
        payload(name="good"),
        payload(name="bad", clientSecret="bad-secret-0123456789abcdefghij"),
        payload(name="also good"),
    ]
    results = service.create_accounts(session, actor=owner, rows=rows, azure=azure)
    assert [(r.name, r.ok, r.code) for r in results] == [
        ("good", True, None),
        ("bad", False, "invalid_client_secret"),
        ("also good", True, None),
    ]
    names = {a.name for a in service.list_accounts(session, actor=owner)}
    assert {"good", "also good"} <= names and "bad" not in names


def test_expired_secrets_are_marked(session, owner, azure):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    account = service.create_account(
        session, actor=owner, data=payload(secretExpiresAt=yesterday.isoformat()), azure=azure
    )
    assert account in service.mark_expired_secrets(session)
    assert account.status == "secret_expired" and "Certificates & secrets" in account.status_message


def test_key_rotation_reseals_every_secret(session, owner, azure):
    # The run's database is shared: accounts committed by other tests are sealed under their own
    # master keys, which this keyring does not hold. Rotation covers every account, so this test
    # removes them inside its transaction (rolled back afterwards) to stand alone.
    session.execute(delete(AzureAccount))
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    old = azure.keyring
    rotated = Keyring.from_texts(["a brand new master key", "test-master-key"])
    assert rotated.current != old.current
    assert service.rotate_keys(session, keyring=rotated) >= 1
    assert account.secret_key_id == rotated.current
    assert service.credentials_of(account, rotated).client_secret == READER.secret


def test_delete_removes_the_account(session, owner, azure):
    account = service.create_account(session, actor=owner, data=payload(), azure=azure)
    service.delete_account(session, actor=owner, account_id=account.id)
    assert session.get(AzureAccount, account.id) is None
