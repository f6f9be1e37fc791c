import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from cloudcanvas.store.engine import make_engine, normalize_url
from cloudcanvas.store.migrate import alembic_config, upgrade


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_migrations_build_every_table_and_go_back_down(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {
        "organizations",
        "users",
        "teams",
        "api_keys",
        "azure_accounts",
        "scans",
        "snapshots",
        "audit_events",
    } <= tables
    command.downgrade(alembic_config(url), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_postgres_urls_use_psycopg3():
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_failed_statement_names_no_parameter(tmp_path):
    """Error messages go to the log; the values they were given (a share key) must not."""
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE shares (id TEXT PRIMARY KEY, key TEXT)"))
        conn.execute(text("INSERT INTO shares VALUES ('s1', :key)"), {"key": "first-secret"})
        with pytest.raises(IntegrityError) as failed:
            conn.execute(text("INSERT INTO shares VALUES ('s1', :key)"), {"key": "second-secret"})
    engine.dispose()
    assert "INSERT INTO shares" in str(failed.value)  # the statement stays, to debug with
    assert "second-secret" not in str(failed.value) and "hidden" in str(failed.value)
