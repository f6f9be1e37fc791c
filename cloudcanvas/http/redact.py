"""Secrets that travel in URLs, kept out of log lines.

A share link carries its key in the path (``/share/<id>/<key>``), and uvicorn's access log prints
the path of every request, as do our own error lines. The key becomes ``[redacted]``; the id
stays, so a line still says which link was opened. Our routes take no secret in a query string,
but a client may still send one there (``?key=``, ``?token=``): such values are redacted too.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"

# A path starts the text or follows a space or a quote (`GET /share/...`, `"GET /share/..."`), so
# that the API's own `/api/blueprint/<id>/share/rotate` is not mistaken for a link.
_SHARE_KEY = re.compile(r"""(?<![^\s"'])(/share/[^/?#\s"']+/)[^/?#\s"']+""")
_SECRET_PARAMETER = re.compile(
    r"""([?&](?:key|api_?key|token|access_token|secret|client_secret|password|sig)=)"""
    r"""[^&#\s"']+""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """The text with every share key and secret query value replaced by ``[redacted]``."""
    text = _SHARE_KEY.sub(rf"\g<1>{REDACTED}", text)
    return _SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Redacts a record's message and its string arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_access_log() -> None:
    """Put the filter on uvicorn's access logger, once per process.

    On the logger, not on a handler: it then holds whatever handlers the server's logging
    configuration gives that logger (``logging.config.dictConfig`` keeps a logger's filters).
    """
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
