"""Owners and administrators manage users and teams; every change is audited, no password is."""

import pytest
from sqlalchemy import select

from cloudcanvas.errors import Forbidden, NotFound
from cloudcanvas.identity import members, service
from cloudcanvas.identity.errors import DuplicateEmail, DuplicateName, InvalidValue
from cloudcanvas.store.models import ApiKey, AuditEvent, Team, User
from tests.factories import FAST_HASHER, actor, make_org, make_team, make_user


def _events(session, org):
    query = select(AuditEvent).where(AuditEvent.organization_id == org.id)
    return session.scalars(query.order_by(AuditEvent.created_at)).all()


def test_an_invited_user_logs_in_with_the_password_shown_once_and_it_is_audited(session):
    org = make_org(session)
    admin = make_user(session, org, role="administrator")
    email = f"ada-{org.id[:8]}@example.com"  # the run's database is shared: a unique address
    user, password = members.invite_user(
        session,
        actor=actor(session, admin),
        email=f" {email.capitalize().replace('example', 'Example')}",
        name="Ada",
        role="user",
        hasher=FAST_HASHER,
    )
    assert user.email == email and user.role == "user" and len(password) >= 12
    assert service.authenticate_password(session, email=user.email, password=password) is user
    (event,) = [e for e in _events(session, org) if e.action == "add_user"]
    assert event.actor_email == admin.email and event.target_name == email
    assert event.changes == {"email": email, "name": "Ada", "role": "user"}
    assert password not in str(event.changes)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"email": "nope"}, InvalidValue),
        ({"role": "root"}, InvalidValue),
    ],
)
def test_bad_invitations_name_what_to_fix(session, kwargs, error):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    values = {"email": "new@example.com", "name": "", "role": "user"} | kwargs
    with pytest.raises(error):
        members.invite_user(session, actor=actor(session, owner), hasher=FAST_HASHER, **values)


def test_a_duplicate_email_is_a_conflict(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    with pytest.raises(DuplicateEmail):
        members.invite_user(
            session, actor=actor(session, owner), email=owner.email, name="", role="user"
        )


def test_only_owners_and_administrators_manage_users(session):
    org = make_org(session)
    plain = make_user(session, org, role="user")
    with pytest.raises(Forbidden):
        members.invite_user(
            session, actor=actor(session, plain), email="x@example.com", name="", role="viewer"
        )
    with pytest.raises(Forbidden):
        members.list_users(session, actor=actor(session, plain))


def test_administrators_neither_make_nor_touch_owners(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    admin = make_user(session, org, role="administrator")
    other = make_user(session, org, role="user")
    as_admin = actor(session, admin)
    with pytest.raises(Forbidden, match="Only an owner"):
        members.change_role(session, actor=as_admin, user_id=other.id, role="owner")
    with pytest.raises(Forbidden, match="Only an owner"):
        members.change_role(session, actor=as_admin, user_id=owner.id, role="viewer")
    with pytest.raises(Forbidden, match="Only an owner"):
        members.remove_user(session, actor=as_admin, user_id=owner.id)
    assert members.change_role(session, actor=as_admin, user_id=other.id, role="viewer").role == (
        "viewer"
    )


def test_nobody_changes_their_own_role_or_removes_themselves(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    with pytest.raises(Forbidden, match="your own role"):
        members.change_role(session, actor=actor(session, owner), user_id=owner.id, role="user")
    with pytest.raises(Forbidden, match="remove yourself"):
        members.remove_user(session, actor=actor(session, owner), user_id=owner.id)


def test_users_of_another_organization_do_not_exist(session):
    owner = make_user(session, make_org(session), role="owner")
    stranger = make_user(session, make_org(session), role="user")
    with pytest.raises(NotFound):
        members.change_role(
            session, actor=actor(session, owner), user_id=stranger.id, role="viewer"
        )
    with pytest.raises(NotFound):
        members.remove_user(session, actor=actor(session, owner), user_id=stranger.id)


def test_a_removed_user_loses_keys_and_teams_and_the_role_change_is_audited(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role="user")
    team = make_team(session, org, user)
    key, _plain = service.create_api_key(session, user=user, access="read", name="ci")
    user_id, key_id, team_id = user.id, key.id, team.id
    as_owner = actor(session, owner)
    members.change_role(session, actor=as_owner, user_id=user.id, role="administrator")
    members.remove_user(session, actor=as_owner, user_id=user.id)
    session.expire_all()
    assert session.get(User, user_id) is None and session.get(ApiKey, key_id) is None
    assert service.list_teams(session, actor=as_owner)[0].id == team_id
    assert members.list_users(session, actor=as_owner) == [owner]
    actions = [(e.action, e.changes) for e in _events(session, org) if e.target_id == user_id]
    assert actions == [("change_role", {"role": "administrator"}), ("remove_user", {})]


def test_teams_are_renamed_deleted_and_their_members_changed_with_audit(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role="user")
    as_owner = actor(session, owner)
    team = members.create_team(session, actor=as_owner, name="Platform")
    members.create_team(session, actor=as_owner, name="Data")
    with pytest.raises(DuplicateName):
        members.rename_team(session, actor=as_owner, team_id=team.id, name="Data")
    with pytest.raises(InvalidValue):
        members.rename_team(session, actor=as_owner, team_id=team.id, name="  ")
    members.rename_team(session, actor=as_owner, team_id=team.id, name="Platform team")
    members.add_member(session, actor=as_owner, team_id=team.id, user_id=user.id)
    assert service.actor_for(session, user).team_ids == {team.id}
    members.remove_member(session, actor=as_owner, team_id=team.id, user_id=user.id)
    assert service.actor_for(session, user).team_ids == frozenset()
    members.delete_team(session, actor=as_owner, team_id=team.id)
    session.expire_all()
    assert session.get(Team, team.id) is None
    actions = [e.action for e in _events(session, org) if e.target_id == team.id]
    assert actions == ["add_team", "rename_team", "add_member", "remove_member", "remove_team"]
    with pytest.raises(Forbidden):
        members.create_team(session, actor=actor(session, user), name="Mine")


def test_a_deactivated_user_can_neither_log_in_nor_use_keys_until_reactivated(session):
    from cloudcanvas.identity.errors import InvalidApiKey, InvalidLogin
    from tests.factories import PASSWORD

    org = make_org(session)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role="user")
    _key, plain = service.create_api_key(session, user=user, access="read")
    _web, cookie = service.start_web_session(session, user=user)
    as_owner = actor(session, owner)
    members.set_active(session, actor=as_owner, user_id=user.id, active=False)
    with pytest.raises(InvalidLogin, match="deactivated"):
        service.authenticate_password(session, email=user.email, password=PASSWORD)
    with pytest.raises(InvalidApiKey, match="deactivated"):
        service.authenticate_api_key(session, plain)
    assert service.resolve_web_session(session, cookie) is None
    with pytest.raises(Forbidden, match="deactivate yourself"):
        members.set_active(session, actor=as_owner, user_id=owner.id, active=False)
    members.set_active(session, actor=as_owner, user_id=user.id, active=True)
    assert service.authenticate_password(session, email=user.email, password=PASSWORD) is user
    assert service.authenticate_api_key(session, plain)[1].user_id == user.id
    actions = [e.action for e in _events(session, org) if e.target_id == user.id]
    assert actions == ["deactivate_user", "reactivate_user"]
