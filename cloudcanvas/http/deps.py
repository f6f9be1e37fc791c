"""The dependencies every route needs, API or page: the settings and one session per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from cloudcanvas.config import Settings
from cloudcanvas.store.database import Database


def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def get_database(request: Request) -> Database:
    return cast(Database, request.app.state.db)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; committed when the route returns, rolled back when it raises."""
    with get_database(request).session() as session:
        yield session


# scope="function": commit before the response goes out, so that whoever reads next (a redirect,
# a worker given the job) sees what this request wrote.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
