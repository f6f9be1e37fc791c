"""Settings: one ``Settings`` object, built once by ``get_settings()`` and passed in.

Every field is documented in ``docs/configuration.md``; a test fails when one is not.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*(s|m|h)?\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}

AZURE_CLOUDS: dict[str, tuple[str, str]] = {
    "public": ("https://login.microsoftonline.com", "https://management.azure.com"),
    "china": ("https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn"),
    "usgovernment": ("https://login.microsoftonline.us", "https://management.usgovcloudapi.net"),
}


def parse_duration(text: str) -> timedelta:
    """``15m``, ``90s``, ``2h``, ``1d`` or plain seconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration: write it as 90s, 15m, 2h or 1d")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def parse_rate(text: str) -> tuple[int, int]:
    """``20/10s`` → (20 requests, 10 seconds)."""
    match = _RATE.match(text)
    if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        raise ValueError(f"{text!r} is not a rate limit: write it as 20/10s (requests/period)")
    return int(match.group(1)), int(match.group(2)) * _UNIT_SECONDS[match.group(3)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLOUDCANVAS_", extra="ignore")

    data_dir: Path = Field(default=Path(".cloudcanvas"))
    database_url: str | None = None
    secret_key: SecretStr | None = None
    secret_key_previous: SecretStr | None = None
    jobs_backend: Literal["inline", "celery"] = "inline"
    redis_url: str | None = None
    snapshot_max_age: str = "15m"
    snapshot_wait_seconds: float = 120.0
    api_rate_limit: str = "20/10s"
    azure_cloud: Literal["public", "china", "usgovernment"] = "public"
    azure_authority_host: str | None = None
    azure_resource_manager: str | None = None
    azure_ca_bundle: Path | None = None
    azure_timeout_seconds: float = 30.0
    scan_interval: str = "0"
    support_url: str = "mailto:support@example.com"
    secure_cookies: bool = False
    log_level: str = "INFO"
    database_pool_size: int = Field(default=50, ge=1)
    database_pool_timeout_seconds: float = Field(default=3.0, gt=0)
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    database_statement_timeout_seconds: float = Field(default=30.0, gt=0)
    database_busy_timeout_seconds: float = Field(default=10.0, gt=0)
    max_concurrent_requests: int = Field(default=8, ge=1)
    request_body_timeout_seconds: float = Field(default=10.0, gt=0)
    api_key_cache_seconds: float = Field(default=5.0, ge=0)
    login_rate_limit: str = "5/5m"
    login_address_rate_limit: str = "30/5m"
    azure_prices_url: str = "https://prices.azure.com/api/retail/prices"
    prices_refresh_interval: str = "1d"
    blueprint_version_retention_days: int = Field(default=90, ge=1, le=3650)

    @field_validator("azure_prices_url")
    @classmethod
    def _check_prices_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} must be an http(s):// URL of the Azure Retail Prices API")
        return value

    @property
    def prices_refresh_delta(self) -> timedelta:
        return parse_duration(self.prices_refresh_interval)

    @field_validator("snapshot_max_age", "scan_interval", "prices_refresh_interval")
    @classmethod
    def _check_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("api_rate_limit", "login_rate_limit", "login_address_rate_limit")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("azure_authority_host", "azure_resource_manager")
    @classmethod
    def _check_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(
                f"{value!r} must be an https:// URL (the Azure SDK refuses plain http)"
            )
        return value.rstrip("/") if value else value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'cloudcanvas.db').resolve()}"

    @property
    def snapshot_max_age_delta(self) -> timedelta:
        return parse_duration(self.snapshot_max_age)

    @property
    def scan_interval_delta(self) -> timedelta:
        return parse_duration(self.scan_interval)

    @property
    def rate_limit(self) -> tuple[int, int]:
        return parse_rate(self.api_rate_limit)

    @property
    def login_rate_limit_parsed(self) -> tuple[int, int]:
        return parse_rate(self.login_rate_limit)

    @property
    def login_address_rate_limit_parsed(self) -> tuple[int, int]:
        return parse_rate(self.login_address_rate_limit)

    @property
    def authority_host(self) -> str:
        return self.azure_authority_host or AZURE_CLOUDS[self.azure_cloud][0]

    @property
    def resource_manager(self) -> str:
        return self.azure_resource_manager or AZURE_CLOUDS[self.azure_cloud][1]

    @property
    def custom_azure_endpoints(self) -> bool:
        """A simulator or Azure Stack: instance discovery off, scope from the ARM URL."""
        return self.azure_authority_host is not None

    @property
    def key_file(self) -> Path:
        return self.data_dir / "master.key"

    def master_keys(self) -> list[str]:
        """The master keys, current first: from the settings, or from a 0600 key file.

        The key file is made on first use; ``cloudcanvas keys rotate`` puts a new key on its first
        line and keeps the older ones below until no secret uses them.
        """
        if self.secret_key is not None:
            previous = (
                self.secret_key_previous.get_secret_value() if self.secret_key_previous else ""
            )
            keys = [self.secret_key.get_secret_value()]
            return keys + [k.strip() for k in previous.split(",") if k.strip()]
        path = self.key_file
        if not path.exists():
            write_key_file(path, [secrets.token_urlsafe(32)])
        return [line.strip() for line in path.read_text().splitlines() if line.strip()]

    def master_key(self) -> bytes:
        """The current 32-byte master key."""
        return derive_key(self.master_keys()[0])


def write_key_file(path: Path, keys: list[str]) -> None:
    """Write the key file atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(keys) + "\n")
    os.replace(temporary, path)


def derive_key(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
