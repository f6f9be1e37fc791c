"""The schedule: expired secrets, scans that lost their worker, and per-account scans."""

from datetime import timedelta

from sqlalchemy import select

from cloudcanvas.accounts import service as account_service
from cloudcanvas.inventory import service as inventory_service
from cloudcanvas.store.base import utcnow
from cloudcanvas.store.models import Scan
from tests.factories import connect_account


def connect(session, azure_settings, **changes):
    return connect_account(session, azure_settings, **changes)


def test_a_scan_whose_worker_died_runs_again_then_fails(session, azure_settings):
    account = connect(session, azure_settings)
    scan, created = inventory_service.start_scan(session, account=account, actor=None)
    assert created
    scan.status, scan.attempts = "running", 1
    scan.heartbeat_at = utcnow() - timedelta(minutes=10)
    session.flush()
    assert scan.id in inventory_service.recover_stale_scans(session)
    assert scan.status == "queued" and scan.active is True
    scan.status, scan.attempts = "running", 3
    scan.heartbeat_at = utcnow() - timedelta(minutes=10)
    session.flush()
    assert scan.id not in inventory_service.recover_stale_scans(session)
    assert scan.status == "failed" and scan.active is None and scan.error_code == "worker_lost"


def test_one_active_scan_per_account(session, azure_settings):
    account = connect(session, azure_settings)
    first, created = inventory_service.start_scan(session, account=account, actor=None)
    second, created_again = inventory_service.start_scan(session, account=account, actor=None)
    assert created and not created_again and first.id == second.id
    active = session.scalars(
        select(Scan).where(Scan.account_id == account.id, Scan.active.is_(True))
    )
    assert len(active.all()) == 1


def test_due_accounts_are_scanned_on_their_schedule(session, azure_settings):
    account = connect(session, azure_settings)
    started = inventory_service.start_due_scans(session, interval=timedelta(hours=1))
    scan_ids = {s.id for s in session.scalars(select(Scan).where(Scan.account_id == account.id))}
    assert set(started) & scan_ids
    assert account.next_scan_at is not None and account.next_scan_at > utcnow()
    again = inventory_service.start_due_scans(session, interval=timedelta(hours=1))
    assert not set(again) & scan_ids  # not due again until the interval passed


def test_expiry_job_stops_scans(session, azure_settings):
    account = connect(
        session, azure_settings, secretExpiresAt=(utcnow() - timedelta(hours=1)).isoformat()
    )
    account_service.mark_expired_secrets(session)
    assert account.status == "secret_expired"
    import pytest

    from cloudcanvas.inventory.errors import ScanBlocked

    with pytest.raises(ScanBlocked) as info:
        inventory_service.start_scan(session, account=account, actor=None)
    assert info.value.code == "secret_expired"
