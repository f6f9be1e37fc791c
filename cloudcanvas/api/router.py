"""The Cloudcraft-compatible API under ``/api``."""

from __future__ import annotations

from fastapi import APIRouter

from cloudcanvas.api import users

router = APIRouter(prefix="/api")
router.include_router(users.router, tags=["user"])
