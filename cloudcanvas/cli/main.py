"""The ``cloudcanvas`` command line: the operator's tools."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cloudcanvas.cli import demo, ops
from cloudcanvas.cli.prices import prices_app
from cloudcanvas.cli.session import command_session
from cloudcanvas.cli.simulator import simulator
from cloudcanvas.config import get_settings
from cloudcanvas.errors import NotFound
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity import service as identity_service
from cloudcanvas.store.migrate import upgrade

app = typer.Typer(help="cloudcanvas: live diagrams of Azure subscriptions.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
team_app = typer.Typer(help="Teams.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(team_app, name="team")
app.add_typer(apikey_app, name="apikey")


@app.command()
def migrate() -> None:
    """Apply the database migrations."""
    settings = get_settings()
    upgrade(settings.resolved_database_url)
    typer.echo("database is up to date")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and the web UI (applies migrations first)."""
    import uvicorn

    from cloudcanvas.app import create_app

    settings = get_settings()
    upgrade(settings.resolved_database_url)
    settings.master_key()  # make the key file now, not on the first request
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=True)


@org_app.command("create")
def org_create(
    name: str,
    plan: Annotated[str, typer.Option(help="free, pro or enterprise.")] = "pro",
) -> None:
    """Create an organization; prints its id."""
    with command_session() as session:
        organization = identity_service.create_organization(session, name=name, plan=plan)
        typer.echo(organization.id)


@user_app.command("create")
def user_create(
    email: str,
    org: Annotated[str, typer.Option("--org", help="Organization name.")],
    role: Annotated[str, typer.Option(help="owner, administrator, user or viewer.")] = "user",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create a user; the password comes from stdin, or is generated and printed."""
    import secrets

    password = "" if sys.stdin.isatty() else sys.stdin.readline().strip()
    generated = not password
    password = password or secrets.token_urlsafe(12)
    with command_session() as session:
        organization = identity_service.get_organization(session, org)
        user = identity_service.create_user(
            session, organization=organization, email=email, password=password, role=role, name=name
        )
        typer.echo(user.id)
        if generated:
            typer.echo(f"password: {password}")


@team_app.command("create")
def team_create(name: str, org: Annotated[str, typer.Option("--org")]) -> None:
    """Create a team; prints its id."""
    with command_session() as session:
        organization = identity_service.get_organization(session, org)
        typer.echo(identity_service.create_team(session, organization=organization, name=name).id)


@team_app.command("add")
def team_add(team_id: str, email: str) -> None:
    """Add a user to a team."""
    with command_session() as session:
        team = identity_service.get_team(session, team_id)
        user = identity_repository.get_user_by_email(session, email)
        if user is None:
            raise NotFound(f"No user with the email {email}.")
        identity_service.add_team_member(session, team=team, user=user)
        typer.echo(f"{user.email} is in team {team.name}")


@apikey_app.command("create")
def apikey_create(
    email: str,
    access: Annotated[str, typer.Option(help="read or readwrite.")] = "readwrite",
    name: Annotated[str, typer.Option(help="A name to recognise the key by.")] = "",
) -> None:
    """Mint an API key for a user; prints the key, alone, on stdout."""
    with command_session() as session:
        user = identity_repository.get_user_by_email(session, email)
        if user is None:
            raise NotFound(f"No user with the email {email}.")
        _, plain = identity_service.create_api_key(session, user=user, access=access, name=name)
    typer.echo(plain)


@apikey_app.command("list")
def apikey_list(email: str) -> None:
    """List a user's keys (their prefixes, never the keys)."""
    with command_session() as session:
        user = identity_repository.get_user_by_email(session, email)
        if user is None:
            raise NotFound(f"No user with the email {email}.")
        for key in identity_service.list_api_keys(session, user=user):
            state = "revoked" if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.prefix}…\t{key.access}\t{state}\t{key.name}")


@apikey_app.command("revoke")
def apikey_revoke(key_id: str) -> None:
    """Revoke a key by its id."""
    with command_session() as session:
        identity_service.revoke_api_key(session, key_id=key_id)
        typer.echo(f"revoked {key_id}")


# The commands that live in modules of their own, listed after those above in --help.
app.command()(ops.worker)
app.command()(ops.scan)
app.command(name="simulator")(simulator)
app.command()(demo.demo)
app.add_typer(ops.keys_app, name="keys")
app.add_typer(prices_app, name="prices")


def main() -> None:
    app()
