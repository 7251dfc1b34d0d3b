"""The diagnosis API: flow metrics, where work waits, the crunch and the scorecard, shaped
for scripts (days as numbers, dates as ISO strings, people by id and name)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from headway.api.schemas import BoundedDate, Id
from headway.core.errors import Forbidden
from headway.core.http import WorkspaceRequest
from headway.insights.selectors.bottlenecks import Bottlenecks
from headway.insights.selectors.crunch import HALF_YEAR, crunch_for
from headway.insights.selectors.flow import (
    DEFAULT_DAYS,
    FlowResult,
    Period,
    period_for,
    stage_label,
)
from headway.insights.selectors.rollups import (
    Figures,
    bottleneck_figures,
    built_once,
    flow_figures,
    scorecard_figures,
    scorecard_period_figures,
)
from headway.insights.selectors.scorecard import default_start
from headway.workspaces import visibility
from headway.workspaces.models import Workspace

router = Router(tags=["insights"])
T = TypeVar("T")
A = TypeVar("A")


class PeriodQuery(Schema):
    start: BoundedDate | None = Field(
        None, alias="from", description="first day (default: 90 days before `to`)"
    )
    end: BoundedDate | None = Field(None, alias="to", description="last day (default: today)")
    campaign: Id | None = Field(
        None, description="only this campaign's tasks (flow, bottlenecks; the crunch ignores it)"
    )
    person: Id | None = Field(
        None,
        description="only the tasks this person owns (flow, bottlenecks: the approvals of those "
        "tasks, whoever approves them; the crunch ignores it)",
    )
    channel: Id | None = Field(
        None,
        description="only the tasks on this channel, or of campaigns running on it (flow, "
        "bottlenecks; the crunch ignores it)",
    )


class FlowPeriodOut(Schema):
    start: dt.date
    end: dt.date
    campaign: int | None
    person: int | None
    channel: int | None


class Percentiles(Schema):
    p50: float | None
    p85: float | None
    p95: float | None


class WeekOut(Schema):
    week: dt.date
    finished: int


class CumulativeDay(Schema):
    day: dt.date
    counts: dict[str, int]


class AgingOut(Schema):
    task_id: int
    title: str
    campaign: str
    age_days: float
    beyond_percentile: int | None


class DiagnosisOut(Schema):
    """What every diagnosis answer starts with: the period it covers, when it was computed."""

    period: FlowPeriodOut
    computed_at: dt.datetime | None = Field(
        None,
        description="when the background job computed the figures (the default period "
        "without filters); null when they were computed for this request",
    )
    behind: bool = Field(
        False,
        description="true when the stored figures predate the workspace's latest activity "
        "(the job recomputes them within minutes); figures computed for the request never are",
    )


class FlowOut(DiagnosisOut):
    tasks: int
    finished: int
    cycle_time_days: Percentiles
    lead_time_days: Percentiles
    throughput_per_week: list[WeekOut]
    cumulative_flow: list[CumulativeDay]
    work_in_progress: list[AgingOut]
    days_per_visit: dict[str, float]
    flow_efficiency: float | None


def _internal(request: WorkspaceRequest) -> None:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients do not see the team's flow and waiting times.")


def _period(
    request: WorkspaceRequest,
    q: PeriodQuery,
    days: int = DEFAULT_DAYS,
    filters: tuple[str, ...] = ("campaign", "person", "channel"),
) -> Period:
    """The period a diagnosis asks for, with the filters that diagnosis reads."""
    _internal(request)
    chosen = {name: getattr(q, name) for name in filters}
    return period_for(request.workspace, q.start, q.end, days=days, **chosen)


def _head(
    period: Period, computed_at: dt.datetime | None = None, behind: bool = False
) -> dict[str, Any]:
    return {
        "period": FlowPeriodOut(**dataclasses.asdict(period)),
        "computed_at": computed_at,
        "behind": behind,
    }


def _answer(
    request: WorkspaceRequest,
    q: PeriodQuery,
    figures_for: Callable[[Workspace, Period], Figures[T]],
    build: Callable[[dict[str, Any], T], A],
) -> A:
    """The answer for the period asked, built from its figures (once per stored computation:
    a thousand nested schema objects take longer than reading the figures)."""
    period = _period(request, q)
    figures = figures_for(request.workspace, period)
    head = _head(period, figures.computed_at, figures.behind)
    name = f"{build.__qualname__} behind={figures.behind}"
    return built_once(figures, lambda result: build(head, result), name)


def _pct(values: dict[int, float]) -> Percentiles:
    return Percentiles(p50=values.get(50), p85=values.get(85), p95=values.get(95))


@router.get(
    "/workspaces/{ws}/flow",
    response={200: FlowOut},
    summary="Flow metrics over a period: cumulative flow, cycle and lead time, throughput, aging",
)
def flow(request: WorkspaceRequest, ws: str, q: Query[PeriodQuery]) -> HttpResponse:
    # A year holds a day per cumulative row and thousands of aging tasks: the answer is made
    # as plain values in FlowOut's order and shape (2,200 schema objects took ~7 ms; the
    # tests check the answer equals FlowOut's), rendered as ninja renders an answer
    from headway.api.root import api  # the API including this router (imports it)

    answer = _answer(request, q, flow_figures, _flow_out)
    return api.create_response(request, answer, status=200)


def _pct_plain(values: dict[int, float]) -> dict[str, float | None]:
    return {"p50": values.get(50), "p85": values.get(85), "p95": values.get(95)}


def _flow_out(head: dict[str, Any], r: FlowResult) -> dict[str, Any]:
    """The flow answer as FlowOut dumps it (field for field, in its order)."""
    return {
        "period": head["period"].model_dump(),
        "computed_at": head["computed_at"],
        "behind": head["behind"],
        "tasks": r.tasks,
        "finished": r.finished,
        "cycle_time_days": _pct_plain(r.cycle),
        "lead_time_days": _pct_plain(r.lead_percentiles),
        "throughput_per_week": [{"week": d, "finished": n} for d, n in r.throughput],
        "cumulative_flow": [{"day": d, "counts": c} for d, c in r.cumulative],
        "work_in_progress": [
            {
                "task_id": a.task.id,
                "title": a.task.title,
                "campaign": a.task.campaign,
                "age_days": round(a.age, 2),
                "beyond_percentile": a.beyond,
            }
            for a in r.aging
        ],
        "days_per_visit": {stage_label(k): round(v, 2) for k, v in r.report.time_in_stage.items()},
        "flow_efficiency": r.report.flow_efficiency,
    }


class ApproverOut(Schema):
    person_id: int
    name: str
    waited_working_days: float
    median_per_step: float
    steps: int
    past_limit: int
    rounds_per_request: float
    requests_past_limit: list[int]


class StageOut(Schema):
    stage: str
    waited_working_days: float
    visits: int
    held_most_by_id: int | None
    held_most_by: str


class ContributorOut(Schema):
    person_id: int
    name: str
    handoff_working_days: float
    others_blocked_working_days: float
    finished_late: int
    finished: int


class RoundsOut(Schema):
    kind: str
    requests: int
    rounds_per_request: float
    most_rounds: int


class BottlenecksOut(DiagnosisOut):
    approvers: list[ApproverOut]
    stages: list[StageOut]
    contributors: list[ContributorOut]
    revision_rounds: list[RoundsOut]


@router.get(
    "/workspaces/{ws}/bottlenecks",
    response={200: BottlenecksOut},
    summary="Where work waits, in working days, ranked, each line naming one person",
)
def bottlenecks(request: WorkspaceRequest, ws: str, q: Query[PeriodQuery]) -> BottlenecksOut:
    return _answer(request, q, bottleneck_figures, _bottlenecks_out)


def _bottlenecks_out(head: dict[str, Any], b: Bottlenecks) -> BottlenecksOut:
    return BottlenecksOut(
        **head,
        approvers=[
            ApproverOut(
                person_id=a.person_id,
                name=a.person,
                waited_working_days=round(a.waited, 2),
                median_per_step=round(a.median, 2),
                steps=a.steps,
                past_limit=a.past_limit,
                rounds_per_request=round(a.rounds_per_request, 2),
                requests_past_limit=list(a.late_requests),
            )
            for a in b.approvers
        ],
        stages=[
            StageOut(
                stage=s.stage,
                waited_working_days=round(s.waited, 2),
                visits=s.visits,
                held_most_by_id=s.person_id,
                held_most_by=s.person,
            )
            for s in b.stages
        ],
        contributors=[
            ContributorOut(
                person_id=c.person_id,
                name=c.person,
                handoff_working_days=round(c.handoff, 2),
                others_blocked_working_days=round(c.blocking, 2),
                finished_late=c.late,
                finished=c.finished,
            )
            for c in b.contributors
        ],
        revision_rounds=[
            RoundsOut(
                kind=r.kind, requests=r.requests, rounds_per_request=r.rounds, most_rounds=r.most
            )
            for r in b.rounds
        ],
    )


class LaunchOut(Schema):
    campaign_id: int
    name: str
    launch: dt.date
    channels: list[str]
    tasks: int
    tasks_in_final_days: int
    task_share: float
    plan_changes: int
    changes_in_final_days: int
    change_share: float
    crunch: bool
    piled_up: list[str]


class ChannelCrunchOut(Schema):
    channel: str
    launches: int
    recent_crunches: int
    recurring: bool


class CrunchOut(DiagnosisOut):
    usual_task_share: float
    usual_change_share: float
    threshold: float
    recent_crunches: int
    recurring: bool
    channels: list[ChannelCrunchOut]
    launches: list[LaunchOut]


@router.get(
    "/workspaces/{ws}/crunch",
    response={200: CrunchOut},
    summary="The last-minute crunch per launch against the team's usual share, and where it recurs",
)
def crunch(request: WorkspaceRequest, ws: str, q: Query[PeriodQuery]) -> CrunchOut:
    # A year holds a few thousand launches: the answer's objects are made without
    # validation (model_construct) and the response schema validates them once on the way
    # out, instead of each being validated as it is built and then again (that was a third
    # of a year's answer).
    period = _period(request, q, days=HALF_YEAR, filters=())
    c = crunch_for(request.workspace, period)
    return CrunchOut.model_construct(
        **_head(period),
        usual_task_share=c.team.usual_task_share,
        usual_change_share=c.team.usual_change_share,
        threshold=c.team.threshold,
        recent_crunches=c.team.recent_crunches,
        recurring=c.team.recurring,
        channels=[
            ChannelCrunchOut.model_construct(
                channel=p.channel,
                launches=len(p.report.launches),
                recent_crunches=p.report.recent_crunches,
                recurring=p.report.recurring,
            )
            for p in c.channels
        ],
        launches=[
            LaunchOut.model_construct(
                campaign_id=x.campaign_id,
                name=x.name,
                launch=x.launch,
                channels=list(x.channels),
                tasks=x.figures.tasks,
                tasks_in_final_days=x.figures.tasks_in_window,
                task_share=x.figures.task_share,
                plan_changes=x.figures.changes,
                changes_in_final_days=x.figures.changes_in_window,
                change_share=x.figures.change_share,
                crunch=x.figures.crunch,
                piled_up=[t.title for t in x.piled],
            )
            for x in c.launches
        ],
    )


class MonthScore(Schema):
    month: dt.date
    score: int | None


class ScorecardGapOut(Schema):
    key: str
    name: str
    score: int | None = Field(description="0-100; null when it cannot be measured yet")
    evidence: str
    action: str
    months: list[MonthScore]


class ScorecardQuery(Schema):
    start: BoundedDate | None = Field(
        None,
        alias="from",
        description="first day: the months shown start with its month (default: the first "
        "day of the month six months before `to`'s)",
    )
    end: BoundedDate | None = Field(
        None,
        alias="to",
        description="last day (default and at the latest: today); the month scored is the last "
        "full month up to it, or the month so far when the period holds no full month",
    )


class ScorecardOut(Schema):
    month: dt.date = Field(description="the first day of the month scored")
    start: dt.date = Field(description="the first day of the first month shown")
    end: dt.date = Field(description="the last day counted")
    full_month: bool = Field(
        description="false when the period holds no full month and the month so far is scored"
    )
    computed_at: dt.datetime | None = Field(
        None, description="when the background job computed the scores; null: just now"
    )
    behind: bool = Field(
        False,
        description="true when the stored scores predate the workspace's latest activity "
        "(the job recomputes them within minutes)",
    )
    weakest: str | None
    gaps: list[ScorecardGapOut]


@router.get(
    "/workspaces/{ws}/scorecard",
    response={200: ScorecardOut},
    summary="The five structural gaps scored 0-100, with evidence and one action, month by month",
)
def scorecard(request: WorkspaceRequest, ws: str, q: Query[ScorecardQuery]) -> ScorecardOut:
    _internal(request)
    workspace = request.workspace
    today = workspace.today()
    default = (default_start(today), today)
    if (q.start or default[0], q.end or today) == default:
        figures = scorecard_figures(workspace)
    else:
        figures = scorecard_period_figures(workspace, q.end, q.start)
    card = figures.result
    return ScorecardOut(
        month=card.month,
        start=card.start or default[0],
        end=card.end or today,
        full_month=card.full,
        computed_at=figures.computed_at,
        behind=figures.behind,
        weakest=card.weakest.key if card.weakest else None,
        gaps=[
            ScorecardGapOut(
                key=g.key,
                name=g.name,
                score=g.score,
                evidence=g.evidence,
                action=g.action,
                months=[MonthScore(month=m, score=s) for m, s in g.trend],
            )
            for g in card.gaps
        ],
    )
