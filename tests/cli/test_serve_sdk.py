"""The official cloudcraftco SDK, unchanged, against ``cloudcanvas serve``."""

import pytest
from cloudcraftco.cloudcraft import Cloudcraft
from cloudcraftco.error import CloudcraftUnauthorized


def test_sdk_reads_the_user_profile(cli, served, monkeypatch):
    cli("org", "create", "SDK Org", "--plan", "pro")
    cli(
        "user",
        "create",
        "sdk@example.com",
        "--org",
        "SDK Org",
        "--role",
        "owner",
        stdin="sdk-password-1\n",
    )
    key = cli("apikey", "create", "sdk@example.com").stdout.strip()
    port = served.rsplit(":", 1)[1]
    monkeypatch.setenv("CLOUDCRAFT_PROTOCOL", "http")
    monkeypatch.setenv("CLOUDCRAFT_HOST", "localhost")
    monkeypatch.setenv("CLOUDCRAFT_PORT", port)
    profile = Cloudcraft({"api_key": key}).read_user_profile()
    assert profile["email"] == "sdk@example.com"
    with pytest.raises(CloudcraftUnauthorized):
        Cloudcraft({"api_key": "x" * 44}).read_user_profile()
