import re

GUID = re.compile(r"^[0-9a-f-]{36}$")


def test_org_user_team_and_key_commands(cli):
    org_id = cli("org", "create", "Contoso", "--plan", "pro").stdout.strip()
    assert GUID.match(org_id)
    user = cli(
        "user",
        "create",
        "Ada@Example.com",
        "--org",
        "Contoso",
        "--role",
        "owner",
        stdin="s3cret-password\n",
    )
    assert "password" not in user.stdout  # it came from stdin, so nothing to print
    generated = cli("user", "create", "bob@example.com", "--org", "Contoso", "--role", "viewer")
    assert re.search(r"password: \S{12,}", generated.stdout)
    team_id = cli("team", "create", "Platform", "--org", "Contoso").stdout.strip()
    assert GUID.match(team_id)
    assert "Platform" in cli("team", "add", team_id, "ada@example.com").stdout
    key = cli("apikey", "create", "ada@example.com", "--access", "read").stdout
    assert re.fullmatch(r"[A-Za-z0-9_-]{44}\n", key), "the key, alone, on stdout"
    listing = cli("apikey", "list", "ada@example.com").stdout
    assert key[:6] in listing and key.strip() not in listing
    key_id = listing.split("\t")[0]
    assert "revoked" in cli("apikey", "revoke", key_id).stdout
    assert "\trevoked\t" in cli("apikey", "list", "ada@example.com").stdout


def test_bad_input_is_a_clear_error_and_a_nonzero_exit(cli):
    result = cli("org", "create", "X", "--plan", "gold", ok=False)
    assert result.returncode == 1 and "plan must be one of free, pro, enterprise" in result.stderr
    cli("org", "create", "Y", "--plan", "free")
    result = cli("user", "create", "a@b.io", "--org", "Y", "--role", "god", ok=False)
    assert result.returncode == 1 and "role must be one of" in result.stderr
    cli("user", "create", "a@b.io", "--org", "Y", "--role", "user", stdin="password-one\n")
    result = cli("user", "create", "a@b.io", "--org", "Y", stdin="password-two\n", ok=False)
    assert result.returncode == 1 and "exists already" in result.stderr
    result = cli("apikey", "create", "nobody@b.io", ok=False)
    assert result.returncode == 1 and "No user" in result.stderr
