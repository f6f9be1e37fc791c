"""Identity errors."""

from __future__ import annotations

from cloudcanvas.errors import BadRequest, Conflict, NotAuthenticated


class InvalidApiKey(NotAuthenticated):
    code = "invalid_api_key"


class InvalidLogin(NotAuthenticated):
    code = "invalid_login"


class DuplicateEmail(Conflict):
    code = "duplicate_email"


class DuplicateName(Conflict):
    code = "duplicate_name"


class InvalidValue(BadRequest):
    code = "invalid_request"
