"""A secret shown once after post/redirect/get: a new API key, a new user's initial password.

The POST puts it in a cookie for the one page that shows it (HttpOnly, SameSite=Strict, Secure
when the server's cookies are, a minute at most); that page's GET reads it and deletes it, so a
reload shows the page without it and never creates anything again.
"""

from __future__ import annotations

from fastapi import Request, Response

from cloudcanvas.config import Settings

MAX_AGE_SECONDS = 60


def show_once(response: Response, settings: Settings, *, name: str, value: str, path: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=MAX_AGE_SECONDS,
        path=path,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )


def shown_once(request: Request, name: str) -> str:
    """The value this page shows, if the POST just made one."""
    return request.cookies.get(name, "")


def forget(response: Response, *, name: str, path: str) -> None:
    """The page that showed the value deletes it: a reload does not show it again."""
    response.delete_cookie(name, path=path)
