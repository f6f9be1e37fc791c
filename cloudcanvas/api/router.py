"""The Cloudcraft-compatible API under ``/api``."""

from __future__ import annotations

from fastapi import APIRouter

from cloudcanvas.api import azure_accounts, blueprints, budgets, diagrams, estate, scans, users

router = APIRouter(prefix="/api")
router.include_router(users.router, tags=["user"])
router.include_router(azure_accounts.router, tags=["azure"])
router.include_router(scans.router, tags=["scans"])
router.include_router(budgets.router, tags=["budgets"])
router.include_router(diagrams.router, tags=["diagrams"])
router.include_router(estate.router, tags=["diagrams"])
router.include_router(blueprints.router, tags=["blueprints"])
