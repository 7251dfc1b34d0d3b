import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from headway.core.errors import DomainError
from headway.engine.montecarlo import Distribution, simulate
from headway.engine.planfile import Plan, PlanError, analyze, parse_plan

router = Router(tags=["plans"])


class LinkIn(Schema):
    task: str
    type: Literal["FS", "SS", "FF", "SF"] = "FS"
    lag: float = 0


class TaskIn(Schema):
    id: str
    duration: float | None = Field(None, ge=0)
    estimate: list[float] | None = Field(None, min_length=3, max_length=3)
    after: list[str | LinkIn] = []
    kind: str = ""


class CalendarIn(Schema):
    weekend: list[str] = ["sat", "sun"]
    holidays: list[dt.date] = []


class PlanIn(Schema):
    tasks: list[TaskIn] = Field(..., max_length=20_000)
    finish_by: float | None = None
    start: dt.date | None = None
    launch: dt.date | None = None
    calendar: CalendarIn | None = None


class ForecastQuery(Schema):
    trials: int = Field(10_000, ge=1, le=100_000)
    seed: int = 0
    distribution: Literal["pert", "triangular"] = "pert"
    shared_factor: float = Field(0.0, ge=0, le=2)


def _plan(payload: PlanIn) -> Plan:
    data = payload.model_dump(mode="json", exclude_none=True)
    try:
        return parse_plan(data)
    except PlanError as exc:
        raise DomainError(str(exc), field=exc.where or None) from None


@router.post("/plans/analyze", summary="Critical path, floats, explanations and PERT of a plan")
def plans_analyze(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    try:
        return analyze(_plan(payload))
    except PlanError as exc:
        raise DomainError(str(exc), field="tasks") from None


@router.post("/plans/forecast", summary="Monte Carlo forecast of a plan's finish")
def plans_forecast(
    request: HttpRequest, payload: PlanIn, options: Query[ForecastQuery]
) -> dict[str, Any]:
    plan = _plan(payload)
    try:
        result = simulate(
            plan.network,
            trials=options.trials,
            seed=options.seed,
            distribution=Distribution(options.distribution),
            finish_by=plan.finish_by,
            shared_factor=options.shared_factor,
        )
    except ValueError as exc:
        raise DomainError(str(exc), field="tasks") from None
    return {
        "trials": result.trials,
        "p_finish_by": result.p_finish_by,
        "percentiles": {str(k): v for k, v in result.percentiles.items()},
        "criticality": result.criticality,
    }
