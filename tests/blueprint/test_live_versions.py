"""A live refresh that changes a blueprint keeps a version (reason "live"); one that changes
nothing keeps none."""

from cloudcanvas.blueprint import live, service
from cloudcanvas.blueprint.schemas import BlueprintWrite
from tests.blueprint.test_live import _snapshot
from tests.factories import actor, connect_account, make_org, make_user
from tests.inventory.topology import RG, row, topology_rows


def test_a_live_change_is_a_version(session, azure_settings):
    owner = make_user(session, make_org(session), role="owner")
    account = connect_account(session, azure_settings, owner)
    acting = actor(session, owner)
    rows = topology_rows()
    _snapshot(session, account, rows)
    data = {"name": "Live", "liveAccount": {"id": account.id}, "liveOptions": {}, "nodes": []}
    bp = service.create_blueprint(session, actor=acting, write=BlueprintWrite(data=data))

    def reasons():
        return [v.reason for v in service.list_versions(session, actor=acting, blueprint_id=bp.id)]

    assert reasons() == ["create"]
    assert live.refresh_live_blueprints(session, account_id=account.id) == 1
    assert reasons() == ["live", "create"]
    latest = service.list_versions(session, actor=acting, blueprint_id=bp.id)[0]
    assert bp.current_version_id == latest.id and latest.user_id is None
    assert live.refresh_live_blueprints(session, account_id=account.id) == 0  # nothing changed
    assert reasons() == ["live", "create"]
    more = [*rows, row(f"{RG}/providers/Microsoft.Cache/Redis/cache9", "Microsoft.Cache/Redis")]
    _snapshot(session, account, more)
    assert live.refresh_live_blueprints(session, account_id=account.id) == 1
    assert reasons() == ["live", "live", "create"]
    version = service.get_version(
        session, actor=acting, blueprint_id=bp.id, version_id=bp.current_version_id
    )
    assert "cache9" in {n["name"] for n in version.data["nodes"]}
