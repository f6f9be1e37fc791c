"""Teams page (User menu → Teams): teams by name with their members; owners and administrators
create, rename and delete teams and add and remove members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cloudcanvas.identity import members
from cloudcanvas.identity import repository as identity_repository
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.policy import Action, can
from cloudcanvas.web.deps import SessionDep, WebActorDep
from cloudcanvas.web.templating import render

router = APIRouter()
TEAMS_PATH = "/settings/teams"


@router.get(TEAMS_PATH)
def teams_page(request: Request, session: SessionDep, actor: WebActorDep) -> Response:
    """Teams and their members."""
    teams = identity_service.list_teams(session, actor=actor)
    context = {
        "teams": teams,
        "members": {team.id: identity_repository.team_members(session, team.id) for team in teams},
        "users": identity_repository.list_users(session, actor.organization_id),
        "may_manage": can(actor, Action.MANAGE_TEAMS),
    }
    return render(request, "teams.html", context)


@router.post(TEAMS_PATH)
def create_team(session: SessionDep, actor: WebActorDep, name: Annotated[str, Form()]) -> Response:
    """Create a team."""
    members.create_team(session, actor=actor, name=name)
    return RedirectResponse(TEAMS_PATH, status_code=303)


@router.post(TEAMS_PATH + "/{team_id}/rename")
def rename_team(
    session: SessionDep, actor: WebActorDep, team_id: str, name: Annotated[str, Form()]
) -> Response:
    """Rename a team."""
    members.rename_team(session, actor=actor, team_id=team_id, name=name)
    return RedirectResponse(TEAMS_PATH, status_code=303)


@router.post(TEAMS_PATH + "/{team_id}/delete")
def delete_team(session: SessionDep, actor: WebActorDep, team_id: str) -> Response:
    """Delete a team."""
    members.delete_team(session, actor=actor, team_id=team_id)
    return RedirectResponse(TEAMS_PATH, status_code=303)


@router.post(TEAMS_PATH + "/{team_id}/members")
def add_member(
    session: SessionDep,
    actor: WebActorDep,
    team_id: str,
    user_id: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    """Add a user of the organization to a team (by id, or by email as the old form sent it)."""
    if not user_id and email:
        user = identity_repository.get_user_by_email(session, email)
        user_id = user.id if user is not None else email
    members.add_member(session, actor=actor, team_id=team_id, user_id=user_id)
    return RedirectResponse(TEAMS_PATH, status_code=303)


@router.post(TEAMS_PATH + "/{team_id}/members/{user_id}/remove")
def remove_member(session: SessionDep, actor: WebActorDep, team_id: str, user_id: str) -> Response:
    """Take a user out of a team."""
    members.remove_member(session, actor=actor, team_id=team_id, user_id=user_id)
    return RedirectResponse(TEAMS_PATH, status_code=303)
