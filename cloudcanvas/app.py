"""The ASGI application: the API under /api and the web UI, sharing one database and settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from cloudcanvas.api import errors as api_errors
from cloudcanvas.api.limits import BodyLimitMiddleware
from cloudcanvas.api.ratelimit import make_rate_limiter
from cloudcanvas.api.rootpath import RootApiMiddleware
from cloudcanvas.api.router import router as api_router
from cloudcanvas.config import Settings
from cloudcanvas.errors import AppError
from cloudcanvas.jobs.queue import make_queue
from cloudcanvas.jobs.scheduler import Scheduler
from cloudcanvas.store.database import Database
from cloudcanvas.web import errors as web_errors
from cloudcanvas.web.routes import router as web_router
from cloudcanvas.web.static import mount_static

log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def create_app(
    settings: Settings, *, database: Database | None = None, schedule: bool = True
) -> FastAPI:
    """Build the application; the caller has applied migrations."""
    db = database or Database.connect(settings.resolved_database_url)

    queue = make_queue(settings, db)
    scheduler = Scheduler(db, settings, queue) if schedule else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        yield
        if scheduler is not None:
            scheduler.stop()
        queue.close()
        if database is None:
            db.dispose()

    app = FastAPI(
        title="cloudcanvas",
        description="Live diagrams of Azure subscriptions; Cloudcraft-compatible developer API.",
        version="0.1.0",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.queue = queue
    limit, period = settings.rate_limit
    app.state.limiter = make_rate_limiter(limit, period, settings.redis_url)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=32_768, compresslevel=5)
    app.add_middleware(RootApiMiddleware)  # outermost: the rest sees /api/... paths
    app.include_router(api_router)
    app.include_router(web_router)
    mount_static(app)

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        if _is_api(request):
            return api_errors.error_response(exc)
        return web_errors.error_page(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return await api_errors.handle_validation(request, exc)
        message = api_errors.describe_validation(list(exc.errors()))
        return web_errors.error_page(request, AppError(message, code="invalid_request"), 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            return await api_errors.handle_http(request, exc)
        return web_errors.error_page(request, AppError(str(exc.detail)), exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        error = AppError("Something went wrong on our side; it was logged.", code="internal_error")
        if _is_api(request):
            return JSONResponse(error.to_dict(), status_code=500)
        return web_errors.error_page(request, error, 500)

    return app
