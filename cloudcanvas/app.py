"""The ASGI application: the API under /api and the web UI, sharing one database and settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException

from cloudcanvas.api import errors as api_errors
from cloudcanvas.api import openapi
from cloudcanvas.api.guard import RequestGuard
from cloudcanvas.api.keycache import KeyCache, KeyUses
from cloudcanvas.api.ratelimit import make_rate_limiter
from cloudcanvas.api.rootpath import RootApiMiddleware
from cloudcanvas.api.router import router as api_router
from cloudcanvas.config import Settings
from cloudcanvas.errors import AppError, DatabaseUnavailable
from cloudcanvas.http.redact import redact, redact_access_log
from cloudcanvas.inventory.rendering import SnapshotCaches
from cloudcanvas.jobs.queue import make_queue
from cloudcanvas.jobs.scheduler import Scheduler
from cloudcanvas.store.database import Database, engine_limits
from cloudcanvas.store.faults import is_database_unavailable
from cloudcanvas.web import errors as web_errors
from cloudcanvas.web.headers import SecurityHeaders
from cloudcanvas.web.login_throttle import LoginThrottle
from cloudcanvas.web.routes import router as web_router
from cloudcanvas.web.static import mount_static

log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def create_app(
    settings: Settings, *, database: Database | None = None, schedule: bool = True
) -> FastAPI:
    """Build the application; the caller has applied migrations."""
    db = database or Database.connect(settings.resolved_database_url, engine_limits(settings))
    app = FastAPI(
        title="cloudcanvas",
        description="Live diagrams of Azure subscriptions; Cloudcraft-compatible developer API.",
        version="0.1.0",
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=_lifespan(owns_database=database is None),
    )
    _set_state(app, settings, db, schedule)
    redact_access_log()  # a share link's key is in its path: never in the access log
    _add_middleware(app, settings)
    app.include_router(api_router)
    app.include_router(web_router)
    openapi.install(app)
    mount_static(app)
    _add_error_handlers(app)
    return app


def _set_state(app: FastAPI, settings: Settings, db: Database, schedule: bool) -> None:
    """What the routes and the lifespan share: settings, database, queue, limits, caches."""
    state = app.state
    state.settings, state.db = settings, db
    state.queue = make_queue(settings, db)
    state.scheduler = Scheduler(db, settings, state.queue) if schedule else None
    limit, period = settings.rate_limit
    state.limiter = make_rate_limiter(limit, period, settings.redis_url)
    state.key_cache = KeyCache(settings.api_key_cache_seconds)
    state.key_uses = KeyUses(db)
    state.login_throttle = LoginThrottle(
        settings.login_rate_limit_parsed, settings.login_address_rate_limit_parsed
    )
    state.snapshot_caches = SnapshotCaches()  # this app's decoded snapshots and drawings


def _lifespan(*, owns_database: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = app.state
        if state.scheduler is not None:
            state.scheduler.start()
        state.key_uses.start()
        yield
        if state.scheduler is not None:
            state.scheduler.stop()
        state.key_uses.stop()
        state.queue.close()
        if owns_database:
            state.db.dispose()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost last: headers on every answer, then the guard, then compression."""
    app.add_middleware(GZipMiddleware, minimum_size=32_768, compresslevel=5)
    app.add_middleware(
        RequestGuard,
        render=render_error,
        max_concurrent=settings.max_concurrent_requests,
        body_timeout=settings.request_body_timeout_seconds,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(RootApiMiddleware)  # outermost: the rest sees /api/... paths


async def render_error(request: Request, error: AppError) -> Response:
    """An ``AppError`` as the API's JSON or as the web UI's page, with ``Retry-After`` if any."""
    if _is_api(request):
        return api_errors.error_response(error)
    response = web_errors.error_page(request, error)
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> Response:
        return await render_error(request, exc)

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

    @app.exception_handler(sa_exc.SQLAlchemyError)
    async def database_error(request: Request, exc: sa_exc.SQLAlchemyError) -> Response:
        if not is_database_unavailable(exc):
            return await unexpected(request, exc)
        # The driver's text ("QueuePool limit ...", host names) stays in the log.
        path = redact(request.url.path)
        log.warning("database unavailable on %s %s: %s", request.method, path, exc)
        return await render_error(request, DatabaseUnavailable())

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, redact(request.url.path))
        error = AppError("Something went wrong on our side; it was logged.", code="internal_error")
        if _is_api(request):
            return JSONResponse(error.to_dict(), status_code=500)
        return web_errors.error_page(request, error, 500)
