"""The policy matrix: every role against every action, on free and paid plans, for the creator of an
account, a member of a read team, of a write team, and an outsider."""

import pytest

from cloudcanvas.errors import Forbidden, NotFound
from cloudcanvas.identity.policy import ACCOUNT_ACTIONS, PLANS, ROLES, Action, authorize
from cloudcanvas.store.models import AzureAccount, Blueprint
from tests.factories import actor, make_org, make_team, make_user

ORG_ACTIONS = {
    # action: roles allowed (on a paid plan, with a readwrite key)
    Action.USE_API: set(ROLES),
    Action.VIEW_TEAMS: set(ROLES),
    Action.VIEW_API_KEYS: set(ROLES),
    Action.MANAGE_TEAMS: {"owner", "administrator"},
    Action.MANAGE_API_KEYS: {"owner", "administrator"},
    Action.CONNECT_ACCOUNT: {"owner", "administrator"},
    Action.VIEW_AUDIT: {"owner", "administrator"},
}


def outcome(actor_, action, account=None):
    try:
        authorize(actor_, action, account)
    except NotFound:
        return "404"
    except Forbidden as error:
        return f"403:{error.code}"
    return "ok"


@pytest.mark.parametrize("plan", ["free", "pro", "enterprise"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("access", ["read", "readwrite"])
def test_organization_actions(session, plan, role, access):
    user = make_user(session, make_org(session, plan=plan), role=role)
    acting = actor(session, user, key_scope=access)
    assert outcome(acting, Action.READ_PROFILE) == "ok"  # every plan, every role
    for action, allowed in ORG_ACTIONS.items():
        result = outcome(acting, action)
        if plan == "free":
            assert result == "403:plan_required", action
        elif role not in allowed:
            assert result.startswith("403"), action
        elif action in (Action.MANAGE_TEAMS, Action.MANAGE_API_KEYS, Action.CONNECT_ACCOUNT):
            assert result == ("ok" if access == "readwrite" else "403:read_only"), action
        else:
            assert result == "ok", action


def _account(org, creator, read=(), write=()):
    return AzureAccount(
        organization_id=org.id,
        creator_id=creator.id,
        readers=[f"team/{t.id}" for t in read],
        writers=[f"team/{t.id}" for t in write],
    )


@pytest.mark.parametrize("plan", ["free", "pro"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "relation", ["creator", "read-team", "write-team", "outsider", "other-org"]
)
def test_account_actions(session, plan, role, relation):
    org = make_org(session, plan=plan)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role=role)
    if relation == "other-org":
        user = make_user(session, make_org(session, plan=plan), role=role)
    read_team = make_team(session, org, *([user] if relation == "read-team" else []))
    write_team = make_team(session, org, *([user] if relation == "write-team" else []))
    account = _account(org, user if relation == "creator" else owner, [read_team], [write_team])
    acting = actor(session, user)
    admin = role in ("owner", "administrator") and relation != "other-org"
    sees = admin or relation in ("creator", "read-team", "write-team")
    results = {a: outcome(acting, a, account) for a in ACCOUNT_ACTIONS}
    if plan == "free":
        assert set(results.values()) == {"403:plan_required"}
        return
    expected_view = "ok" if sees else "404"
    assert results[Action.VIEW_ACCOUNT] == expected_view
    assert results[Action.SCAN_ACCOUNT] == expected_view  # scanning only reads Azure
    if not sees:
        assert set(results.values()) == {"404"}
        return
    may_edit = admin or (relation == "write-team" and role == "user")
    assert (results[Action.EDIT_ACCOUNT] == "ok") == may_edit
    assert (results[Action.SHARE_ACCOUNT] == "ok") == admin
    assert (results[Action.REMOVE_ACCOUNT] == "ok") == admin
    if role == "viewer":
        assert results[Action.EDIT_ACCOUNT] == "403:read_only"


def test_a_read_key_never_writes_even_for_an_owner(session):
    org = make_org(session)
    owner = make_user(session, org, role="owner")
    account = _account(org, owner)
    acting = actor(session, owner, key_scope="read")
    assert outcome(acting, Action.VIEW_ACCOUNT, account) == "ok"
    for action in (Action.EDIT_ACCOUNT, Action.REMOVE_ACCOUNT, Action.SHARE_ACCOUNT):
        assert outcome(acting, action, account) == "403:read_only"


BLUEPRINT_ACTIONS = {
    "read": Action.VIEW_BLUEPRINT,
    "write": Action.EDIT_BLUEPRINT,
    "delete": Action.DELETE_BLUEPRINT,
    "share": Action.SHARE_BLUEPRINT,
}


def _blueprint(org, creator, read=(), write=()):
    return Blueprint(
        organization_id=org.id,
        creator_id=creator.id,
        readers=[f"team/{t.id}" for t in read],
        writers=[f"team/{t.id}" for t in write],
    )


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("access", ["read", "readwrite"])
@pytest.mark.parametrize(
    "relation", ["creator", "read-team", "write-team", "outsider", "other-org"]
)
def test_blueprint_actions(session, plan, role, access, relation):
    org = make_org(session, plan=plan)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role=role)
    if relation == "other-org":
        user = make_user(session, make_org(session, plan=plan), role=role)
    read_team = make_team(session, org, *([user] if relation == "read-team" else []))
    write_team = make_team(session, org, *([user] if relation == "write-team" else []))
    creator = user if relation == "creator" else owner
    blueprint = _blueprint(org, creator, [read_team], [write_team])
    acting = actor(session, user, key_scope=access)
    admin = role in ("owner", "administrator") and relation != "other-org"
    sees = admin or relation in ("creator", "read-team", "write-team")
    writes = access == "readwrite" and role != "viewer"
    results = {name: outcome(acting, a, blueprint) for name, a in BLUEPRINT_ACTIONS.items()}
    # Blueprints are on every plan (Cloudcraft's free plan has unlimited diagrams).
    assert outcome(acting, Action.CREATE_BLUEPRINT) == ("ok" if writes else "403:read_only")
    if not sees:
        assert set(results.values()) == {"404"}
        return
    assert results["read"] == "ok"
    manages = admin or relation == "creator"
    for name in ("write", "delete", "share"):
        if not writes:
            assert results[name] == "403:read_only", name
            continue
        allowed = manages or (name == "write" and relation == "write-team")
        assert results[name] == ("ok" if allowed else "403:forbidden"), name


def _share_outcome(call):
    try:
        call()
    except NotFound:
        return "404"
    except Forbidden as error:
        return f"403:{error.code}"
    return "ok"


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("access", ["read", "readwrite"])
@pytest.mark.parametrize(
    "relation", ["creator", "read-team", "write-team", "outsider", "other-org"]
)
def test_blueprint_share_links(session, plan, role, access, relation):
    """Share links (see, enable, embed, rotate, revoke) through the real service: the creator,
    owners and administrators with a writing key; members of a write team edit but never
    publish; viewers and read-only keys never; everyone else sees nothing (404)."""
    from cloudcanvas.blueprint import service
    from cloudcanvas.blueprint import share as share_service
    from cloudcanvas.blueprint.schemas import BlueprintWrite

    org = make_org(session, plan=plan)
    owner = make_user(session, org, role="owner")
    user = make_user(session, org, role=role)
    if relation == "other-org":
        user = make_user(session, make_org(session, plan=plan), role=role)
    read_team = make_team(session, org, *([user] if relation == "read-team" else []))
    write_team = make_team(session, org, *([user] if relation == "write-team" else []))
    creator = user if relation == "creator" else owner
    write = BlueprintWrite(
        data={"nodes": []},
        readers=[f"team/{read_team.id}"],
        writers=[f"team/{write_team.id}"],
    )
    blueprint = service.create_blueprint(session, actor=actor(session, owner), write=write)
    blueprint.creator_id = creator.id  # a viewer cannot create one, but may have made it before
    share_service.enable_share(session, actor=actor(session, owner), blueprint_id=blueprint.id)
    acting = actor(session, user, key_scope=access)
    bp = blueprint.id
    calls = {
        "see": lambda: share_service.get_share(session, actor=acting, blueprint_id=bp),
        "enable": lambda: share_service.enable_share(
            session, actor=acting, blueprint_id=bp, embeddable=True
        ),
        "rotate": lambda: share_service.rotate_key(session, actor=acting, blueprint_id=bp),
        "revoke": lambda: share_service.revoke_share(session, actor=acting, blueprint_id=bp),
    }
    results = {name: _share_outcome(call) for name, call in calls.items()}
    admin = role in ("owner", "administrator") and relation != "other-org"
    sees = admin or relation in ("creator", "read-team", "write-team")
    writes = access == "readwrite" and role != "viewer"
    if not sees:
        assert set(results.values()) == {"404"}, results
    elif not writes:
        assert set(results.values()) == {"403:read_only"}, results
    elif admin or relation == "creator":
        assert set(results.values()) == {"ok"}, results
    else:
        assert set(results.values()) == {"403:forbidden"}, results
