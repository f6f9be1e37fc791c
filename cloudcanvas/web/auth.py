"""Login and logout."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, cast
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cloudcanvas.accounts import audit
from cloudcanvas.config import Settings
from cloudcanvas.errors import AppError, Forbidden, RateLimited
from cloudcanvas.identity import service as identity_service
from cloudcanvas.identity.service import SESSION_LIFETIME
from cloudcanvas.web.deps import SESSION_COOKIE, SessionDep, SettingsDep
from cloudcanvas.web.login_throttle import LoginThrottle
from cloudcanvas.web.templating import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "cloudcanvas_login_csrf"


def _safe_next(target: str) -> str:
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, settings: SettingsDep, next: str = "/") -> Response:  # noqa: A002
    """The login form."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"next": _safe_next(next), "login_csrf": token})
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies
    )
    return response


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    """Check the password and start a session."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_error(request, settings, email, next, "The login form expired; try again.")
    throttle = login_throttle(request)
    address = request.client.host if request.client else "unknown"
    try:
        throttle.check(email, address)
    except RateLimited as refused:
        response = _login_error(request, settings, email, next, refused.message, status=429)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    try:
        user = identity_service.authenticate_password(session, email=email, password=password)
    except AppError as error:
        if throttle.failed(email, address):
            audit.record_login_throttled(session, email=email, address=address)
        return _login_error(request, settings, email, next, error.message)
    throttle.succeeded(email)
    _, cookie = identity_service.start_web_session(session, user=user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def login_throttle(request: Request) -> LoginThrottle:
    return cast(LoginThrottle, request.app.state.login_throttle)


def _login_error(
    request: Request, settings: Settings, email: str, next_: str, message: str, status: int = 400
) -> Response:
    token = secrets.token_urlsafe(24)
    context = {"next": _safe_next(next_), "login_csrf": token, "email": email, "error": message}
    response = render(request, "login.html", context, status_code=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies
    )
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    """End the session on the server; the form must carry the session's CSRF token, so that
    another site cannot log the user out."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    form = await request.form()
    web_session = identity_service.resolve_web_session(session, cookie) if cookie else None
    if web_session is not None:
        if not hmac.compare_digest(str(form.get("csrf_token", "")), web_session.csrf_token):
            raise Forbidden(
                "The logout form expired or did not come from this site; reload and try again.",
                code="csrf_failed",
            )
        identity_service.end_web_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
