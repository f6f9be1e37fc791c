"""Cloudcraft's snapshot query parameters (plus ``groupBy``) as render options.

The API's snapshot endpoint and the web viewer read the same parameters the same way; a bad value
raises ``DiagramOptionsError`` or ``FilterError`` (both 400) naming the parameter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from cloudcanvas.diagram.filter import FilterError, parse_filter
from cloudcanvas.diagram.options import DiagramOptionsError, RenderOptions, group_by_levels

LOCATION = re.compile(r"^[a-z0-9]{2,40}$")
_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def parse_location(text: str) -> str | None:
    """An Azure short name (``eastus``), ``global``; ``all`` or empty means every location."""
    location = text.strip().lower()
    if location in ("", "all"):
        return None
    if not LOCATION.match(location):
        raise DiagramOptionsError(
            f"location {text!r} is not an Azure location short name such as eastus "
            "(lowercase, no spaces), global, or all.",
            code="invalid_option",
        )
    return location


def flag(params: Mapping[str, str], name: str, default: bool) -> bool:
    value = (params.get(name) or "").strip().lower()
    if not value:
        return default
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise DiagramOptionsError(
        f"{name} must be true or false; got {value!r}.", code="invalid_option"
    )


def _landscape(params: Mapping[str, str]) -> bool | None:
    """Landscape as asked; unset (or ``auto``) leaves it to the drawing's shape."""
    if (params.get("landscape") or "").strip().lower() in ("", "auto"):
        return None
    return flag(params, "landscape", False)


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    # float() accepts inf, nan and 1e400 (which overflows to inf); none of them is a size.
    if not math.isfinite(number):
        raise DiagramOptionsError(
            f"{name} must be a finite number; got {value[:40]!r}.", code="invalid_option"
        )
    return number


def _pixels(params: Mapping[str, str], name: str) -> int | None:
    value = _number(params, name)
    if value is not None and value != int(value):
        raise DiagramOptionsError(
            f"{name} must be a whole number of pixels.", code="invalid_option"
        )
    return None if value is None else int(value)


def options_from_query(params: Mapping[str, str]) -> RenderOptions:
    """The render options that a snapshot URL's query asks for."""
    # Leading blanks are kept: an error's position counts from what the user typed.
    raw = params.get("filter") or ""
    text = raw.rstrip() if raw.strip() else None
    if text:
        try:
            parse_filter(text)
        except FilterError as error:
            raise DiagramOptionsError(f"filter: {error.message}", code="invalid_filter") from None
    exclude = tuple(p.strip() for p in (params.get("exclude") or "").split(",") if p.strip())
    return RenderOptions(
        projection=(params.get("projection") or "isometric").lower(),
        theme=(params.get("theme") or "light").lower(),
        label=flag(params, "label", True),
        autoconnect=flag(params, "autoconnect", True),
        grid=flag(params, "grid", True),
        transparent=flag(params, "transparent", False),
        legend=flag(params, "legend", False),
        scale=_number(params, "scale") or 1.0,
        width=_pixels(params, "width"),
        height=_pixels(params, "height"),
        landscape=_landscape(params),
        paper_size=params.get("paperSize") or "Letter",
        group_by=group_by_levels(params.get("groupBy") or "infrastructure"),
        filter=text,
        exclude=exclude,
        level=(params.get("level") or "detail").strip().lower(),
    )
