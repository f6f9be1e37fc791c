import pytest
from argon2 import DEFAULT_MEMORY_COST, DEFAULT_TIME_COST, extract_parameters
from sqlalchemy import select

from cloudcanvas.errors import AppError, NotFound
from cloudcanvas.identity import service
from cloudcanvas.identity.errors import DuplicateEmail, InvalidApiKey, InvalidLogin, InvalidValue
from cloudcanvas.store.models import ApiKey, Organization, User
from tests.factories import PASSWORD, make_org, make_team, make_user


def test_duplicate_email_is_refused_and_nothing_is_written(session):
    org = make_org(session)
    make_user(session, org, email="dup@example.com")
    with pytest.raises(DuplicateEmail) as info:
        make_user(session, org, email="DUP@example.com ")
    assert info.value.status_code == 409
    assert session.scalars(select(User).where(User.email == "dup@example.com")).all().__len__() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"role": "root"}, "role"), ({"email": "not-an-email"}, "email")],
)
def test_bad_user_fields_name_the_field(session, kwargs, field):
    org = make_org(session)
    values = {"email": "ok@example.com", "password": PASSWORD, "role": "user"} | kwargs
    with pytest.raises(InvalidValue) as info:
        service.create_user(session, organization=org, **values)
    assert info.value.message.startswith(field)
    assert info.value.status_code == 400


def test_unknown_plan_is_refused(session):
    with pytest.raises(InvalidValue, match="plan must be one of free, pro, enterprise"):
        service.create_organization(session, name="Planless", plan="gold")
    assert session.scalar(select(Organization).where(Organization.name == "Planless")) is None


def test_passwords_are_hashed_with_argon2(session):
    user = make_user(session, make_org(session))
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2")
    assert service.authenticate_password(session, email=user.email, password=PASSWORD) is user
    with pytest.raises(InvalidLogin):
        service.authenticate_password(session, email=user.email, password="wrong password")
    with pytest.raises(InvalidLogin):
        service.authenticate_password(session, email="nobody@example.com", password=PASSWORD)


def test_passwords_get_argon2s_own_costs_unless_a_hasher_is_given(session):
    org = make_org(session)
    user = service.create_user(
        session, organization=org, email="strong@example.com", password=PASSWORD, role="user"
    )
    costs = extract_parameters(user.password_hash)
    assert (costs.time_cost, costs.memory_cost) == (DEFAULT_TIME_COST, DEFAULT_MEMORY_COST)
    assert extract_parameters(make_user(session, org).password_hash).memory_cost < costs.memory_cost
    assert service.authenticate_password(session, email=user.email, password=PASSWORD) is user


def test_api_keys_are_44_characters_shown_once_and_stored_as_a_hash(session):
    user = make_user(session, make_org(session), role="owner")
    key, plain = service.create_api_key(session, user=user, access="read", name="ci")
    assert len(plain) == 44
    stored = session.scalar(select(ApiKey).where(ApiKey.id == key.id))
    assert stored is not None and plain not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.prefix == plain[:6]
    found, actor = service.authenticate_api_key(session, plain)
    assert found.id == key.id and actor.key_scope == "read"


def test_malformed_unknown_and_revoked_keys_are_refused(session):
    user = make_user(session, make_org(session), role="owner")
    key, plain = service.create_api_key(session, user=user, access="readwrite")
    with pytest.raises(InvalidApiKey, match="malformed"):
        service.authenticate_api_key(session, plain[:-1])
    with pytest.raises(InvalidApiKey, match="not known"):
        service.authenticate_api_key(session, "x" * 44)
    service.revoke_api_key(session, key_id=key.id, user=user)
    with pytest.raises(InvalidApiKey, match="revoked"):
        service.authenticate_api_key(session, plain)


def test_a_user_cannot_revoke_someone_elses_key(session):
    org = make_org(session)
    alice, bob = make_user(session, org), make_user(session, org)
    key, _ = service.create_api_key(session, user=alice, access="read")
    with pytest.raises(NotFound):
        service.revoke_api_key(session, key_id=key.id, user=bob)


def test_teams_and_membership(session):
    org, other = make_org(session), make_org(session)
    alice = make_user(session, org)
    team = make_team(session, org, alice)
    service.add_team_member(session, team=team, user=alice)  # idempotent
    assert service.actor_for(session, alice).team_ids == {team.id}
    with pytest.raises(AppError, match="not in the team's organization"):
        service.add_team_member(session, team=team, user=make_user(session, other))


def test_web_sessions_store_only_a_hash(session):
    user = make_user(session, make_org(session))
    web_session, cookie = service.start_web_session(session, user=user)
    assert web_session.id != cookie and len(web_session.csrf_token) >= 32
    assert service.resolve_web_session(session, cookie) is web_session
    service.end_web_session(session, cookie)
    session.flush()
    assert service.resolve_web_session(session, cookie) is None
