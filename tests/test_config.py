import re
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from cloudcanvas.config import Settings

DOCS = Path(__file__).parent.parent / "docs" / "configuration.md"
DESIGN_NAMES = [
    "DATABASE_URL",
    "DATA_DIR",
    "SECRET_KEY",
    "JOBS_BACKEND",
    "REDIS_URL",
    "SNAPSHOT_MAX_AGE",
    "API_RATE_LIMIT",
    "AZURE_CLOUD",
    "AZURE_AUTHORITY_HOST",
    "AZURE_RESOURCE_MANAGER",
    "AZURE_CA_BUNDLE",
]


def test_every_setting_is_documented():
    documented = set(re.findall(r"`CLOUDCANVAS_([A-Z_]+)`", DOCS.read_text()))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "undocumented settings"
    assert documented - fields == set(), "documented settings that do not exist"


def test_the_design_names_exist():
    fields = {name.upper() for name in Settings.model_fields}
    assert set(DESIGN_NAMES) <= fields


def test_master_key_file_is_made_with_mode_0600(tmp_path):
    settings = Settings(data_dir=tmp_path / "d")
    key = settings.master_key()
    path = tmp_path / "d" / "master.key"
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(data_dir=tmp_path / "d").master_key() == key  # kept across restarts


def test_secret_key_setting_wins_over_the_file(tmp_path):
    a = Settings(data_dir=tmp_path, secret_key="one").master_key()
    b = Settings(data_dir=tmp_path, secret_key="two").master_key()
    assert a != b
    assert not (tmp_path / "master.key").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("api_rate_limit", "lots", "20/10s"),
        ("snapshot_max_age", "soon", "15m"),
        ("azure_authority_host", "http://127.0.0.1:1", "https://"),
    ],
)
def test_bad_values_say_how_to_write_them(field, value, message):
    with pytest.raises(ValidationError) as info:
        Settings(**{field: value})
    assert message in str(info.value)


def test_rate_and_durations_parse():
    settings = Settings(api_rate_limit="5/2m", snapshot_max_age="90s")
    assert settings.rate_limit == (5, 120)
    assert settings.snapshot_max_age_delta.total_seconds() == 90


def test_custom_azure_endpoints():
    settings = Settings(
        azure_authority_host="https://127.0.0.1:8443/",
        azure_resource_manager="https://127.0.0.1:8443",
    )
    assert settings.custom_azure_endpoints
    assert settings.authority_host == "https://127.0.0.1:8443"
    assert Settings(azure_cloud="china").resource_manager == "https://management.chinacloudapi.cn"
