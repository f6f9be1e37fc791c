"""A credential check's result as every caller shows it: the API's check endpoint, the errors of
a failed connect (their ``detail``) and the web wizard all serialize it through these shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudcanvas.wire import Wire

if TYPE_CHECKING:  # credentials raises the errors that carry these shapes
    from cloudcanvas.azure.credentials import CheckResult, StageResult, SubscriptionInfo


class StageOut(Wire):
    stage: str
    ok: bool
    code: str | None
    message: str
    field: str | None = None

    @classmethod
    def of(cls, stage: StageResult) -> StageOut:
        return cls(
            stage=stage.stage.value,
            ok=stage.ok,
            code=stage.code,
            message=stage.message,
            field=stage.field,
        )


class SubscriptionOut(Wire):
    subscription_id: str
    display_name: str
    state: str

    @classmethod
    def of(cls, subscription: SubscriptionInfo) -> SubscriptionOut:
        return cls(
            subscription_id=subscription.id,
            display_name=subscription.display_name,
            state=subscription.state,
        )


class CheckOut(Wire):
    """What was checked, stage by stage; never the secret."""

    ok: bool
    code: str | None
    message: str
    stages: list[StageOut]
    warnings: list[str]
    can_write: bool
    subscriptions: list[SubscriptionOut]

    @classmethod
    def of(cls, result: CheckResult) -> CheckOut:
        return cls(
            ok=result.ok,
            code=result.code,
            message=result.message,
            stages=[StageOut.of(s) for s in result.stages],
            warnings=list(result.warnings),
            can_write=result.can_write,
            subscriptions=[SubscriptionOut.of(s) for s in result.subscriptions],
        )
