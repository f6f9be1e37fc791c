"""Every page of the web UI."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from cloudcanvas.web import (
    account_import,
    account_pages,
    account_wizard,
    auth,
    blueprint_editor,
    blueprints,
    cost,
    settings_pages,
    share,
    teams,
    users,
)
from cloudcanvas.web.deps import WebActorDep
from cloudcanvas.web.scan_pages import router as scan_pages_router
from cloudcanvas.web.static import STATIC
from cloudcanvas.web.viewer import router as viewer_router
from cloudcanvas.web.viewer_legend import router as viewer_legend_router

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(settings_pages.router)
router.include_router(account_import.router)
router.include_router(account_wizard.router)
router.include_router(account_pages.router)
router.include_router(viewer_router)
router.include_router(scan_pages_router)
router.include_router(viewer_legend_router)
router.include_router(cost.router)
router.include_router(blueprints.router)
router.include_router(share.router)
router.include_router(teams.router)
router.include_router(users.router)
router.include_router(blueprint_editor.router)


@router.get("/")
def home(request: Request, actor: WebActorDep) -> Response:
    """The start page: the Azure accounts."""
    return RedirectResponse("/azure/accounts", status_code=303)


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it on every page; the icon is an SVG, which they all draw."""
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml", headers=headers)
