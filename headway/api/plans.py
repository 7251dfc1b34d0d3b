import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from headway.core.bounds import INT64_MAX
from headway.core.errors import DomainError
from headway.engine.montecarlo import Distribution, simulate
from headway.engine.network_spec import PlanSpec
from headway.engine.planfile import Plan, PlanError, analyze, plan_of

router = Router(tags=["plans"])


class ForecastQuery(Schema):
    trials: int = Field(10_000, ge=1, le=100_000)
    seed: int = Field(0, ge=0, le=INT64_MAX)
    distribution: Literal["pert", "triangular"] = "pert"
    shared_factor: float = Field(0.0, ge=0, le=2)


class TaskAnalysisOut(Schema):
    early_start: float
    early_finish: float
    late_start: float
    late_finish: float
    total_float: float
    free_float: float
    critical: bool
    explanation: str
    # Only when the plan has a start date.
    start_date: dt.date | None = None
    finish_date: dt.date | None = None


class PertOut(Schema):
    expected_duration: float
    std_dev: float
    p_finish_by: float | None


class BackwardOut(Schema):
    latest_start: dt.date
    launch: dt.date
    feasible: bool
    short_by_working_days: int


class AnalysisOut(Schema):
    """Keys the plan gives no ground for are absent, not null: `pert` needs a three-point
    estimate, `finish_date` a start date, `backward` a launch date."""

    duration: float
    critical_path: list[str]
    tasks: dict[str, TaskAnalysisOut]
    pert: PertOut | None = None
    finish_date: dt.date | None = None
    backward: BackwardOut | None = None


class ForecastOut(Schema):
    trials: int
    p_finish_by: float | None
    percentiles: dict[str, float]
    criticality: dict[str, float]


def _plan(payload: PlanSpec) -> Plan:
    try:
        return plan_of(payload)
    except PlanError as exc:
        raise DomainError(str(exc), field=exc.where or None) from None


@router.post(
    "/plans/analyze",
    response=AnalysisOut,
    exclude_unset=True,
    summary="Critical path, floats, explanations and PERT of a plan",
)
def plans_analyze(request: HttpRequest, payload: PlanSpec) -> AnalysisOut:
    try:
        return AnalysisOut.model_validate(analyze(_plan(payload)))
    except PlanError as exc:
        raise DomainError(str(exc), field="tasks") from None


@router.post(
    "/plans/forecast", response=ForecastOut, summary="Monte Carlo forecast of a plan's finish"
)
def plans_forecast(
    request: HttpRequest, payload: PlanSpec, options: Query[ForecastQuery]
) -> ForecastOut:
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
    return ForecastOut(
        trials=result.trials,
        p_finish_by=result.p_finish_by,
        percentiles={str(k): v for k, v in result.percentiles.items()},
        criticality=result.criticality,
    )
