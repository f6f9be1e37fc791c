"""Cost errors."""

from __future__ import annotations

from cloudcanvas.errors import ServiceUnavailable


class PricesUnavailable(ServiceUnavailable):
    """The Retail Prices API could not be read and no prices are cached for what is asked."""

    code = "prices_unavailable"
