"""Errors of the Azure checks, as the API and the web pages render them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudcanvas import errors
from cloudcanvas.azure.schemas import StageOut

UNAVAILABLE_MESSAGE = "Azure did not answer; nothing is wrong with your credentials; try again."

if TYPE_CHECKING:
    from cloudcanvas.azure.credentials import CheckResult


def _stages(result: CheckResult | None) -> list[dict[str, object]]:
    if result is None:
        return []
    return [StageOut.of(s).wire() for s in result.stages]


class AzureCheckFailed(errors.BadRequest):
    """A credential check failed on one stage; ``code`` is that stage's code."""

    def __init__(self, result: CheckResult) -> None:
        failed = result.failed
        super().__init__(
            failed.message if failed else "The credential check failed.",
            code=(failed.code if failed else None) or "invalid_request",
            detail={"stages": _stages(result), "field": failed.field if failed else None},
        )
        self.result = result


class AzureUnavailable(errors.ServiceUnavailable):
    """Azure did not answer (unreachable, throttled, 5xx, timeout): nothing is wrong with the input."""

    code = "azure_unavailable"

    def __init__(self, message: str | None = None, *, result: CheckResult | None = None) -> None:
        super().__init__(message or UNAVAILABLE_MESSAGE, detail={"stages": _stages(result)})
        self.result = result
