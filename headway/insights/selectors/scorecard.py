"""The diagnostic scorecard month by month: the figures behind the five structural gaps
(defined workflows, centralized coordination, dependency visibility, structured approvals,
connected reporting), scored by headway.engine.scorecard, with the evidence and the one
action that would raise each. A fixed number of queries per month shown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q

from headway.activity.models import Event, Verb
from headway.core.errors import DomainError
from headway.engine.scorecard import MonthFigures, scores
from headway.insights.selectors.bottlenecks import (
    ApproverLine,
    RoundsLine,
    approver_lines,
    rounds_lines,
)
from headway.insights.selectors.flow import Period, day_number
from headway.planning.launches import went_out as launched_day
from headway.planning.models import Campaign, Dependency, GoLiveCondition, Task, TaskKind
from headway.publishing.models import Cadence
from headway.results.models import ResultRow
from headway.results.reviews.models import Review, ReviewStatus
from headway.workspaces.models import Workspace

MONTHS = 6
MAX_MONTHS = 24  # the most months one scorecard shows (each is a handful of queries)
GAPS = [
    ("workflows", "Defined workflows"),
    ("coordination", "Centralized coordination"),
    ("dependencies", "Dependency visibility"),
    ("approvals", "Structured approvals"),
    ("reporting", "Connected reporting"),
]
#: What a gap's month lacked when it could not be scored, and what to do so it can be: said
#: instead of evidence and advice built on zeros ("0 of 0 campaigns").
NOT_MEASURED = {
    "workflows": (
        "No campaign was started this month.",
        "Start the next campaign from a template, so its tasks and owners come planned.",
    ),
    "coordination": (
        "No campaign with tasks launches this month, so no task could be checked for an owner.",
        "Plan the tasks of a campaign launching this month, each with one owner.",
    ),
    "dependencies": (
        "No campaign with tasks launches this month, so no plan's links could be checked.",
        "Link each task to the work it waits on as you plan the next launch.",
    ),
    "approvals": (
        "No work went to review and no approval step was decided this month.",
        "Send work for approval through an approval chain, so its steps and limits count.",
    ),
    "reporting": (
        "No campaign launched and no post-campaign review fell due this month.",
        "Launch a campaign, then import its results and hold its post-campaign review.",
    ),
}


@dataclass(frozen=True)
class Gap:
    key: str
    name: str
    score: int | None
    evidence: str
    action: str
    trend: list[tuple[dt.date, int | None]]  # oldest month first, the month so far last
    change: int | None  # on the month before


@dataclass(frozen=True)
class Scorecard:
    month: dt.date  # the month scored: the period's last full month
    gaps: list[Gap]
    weakest: Gap | None
    # the period shown (None in scorecards stored before periods could be chosen)
    start: dt.date | None = None
    end: dt.date | None = None
    month_end: dt.date | None = None  # the scored month's last day counted
    full: bool = True  # False when the period holds no full month: the month so far is scored


@dataclass(frozen=True)
class ApprovalTotals:
    """A period's approvals, as the scorecard scores them and where work waits totals them:
    steps decided in the period (on tasks) and how many within their limit, and the approval
    requests sent in the period (tasks and content pieces) with their rounds."""

    decided: int
    within: int
    requests: int
    rounds_per_request: float | None


def approval_totals(approvers: list[ApproverLine], rounds: list[RoundsLine]) -> ApprovalTotals:
    requests = sum(r.requests for r in rounds)
    return ApprovalTotals(
        decided=sum(a.decided for a in approvers),
        within=sum(a.decided - a.decided_past_limit for a in approvers),
        requests=requests,
        rounds_per_request=(
            sum(r.rounds * r.requests for r in rounds) / requests if requests else None
        ),
    )


def _months(end: dt.date, n: int) -> list[tuple[dt.date, dt.date]]:
    first = end.replace(day=1)
    out = []
    for _ in range(n):
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        out.append((first, min(nxt - dt.timedelta(days=1), end)))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def _figures(workspace: Workspace, start: dt.date, end: dt.date, now: float) -> MonthFigures:
    tz = workspace.tzinfo
    lo = dt.datetime.combine(start, dt.time(), tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    made = list(
        Campaign.objects.filter(
            workspace=workspace, created_at__gte=lo, created_at__lt=hi
        ).values_list("pk", "template_name")
    )
    used = set(
        Campaign.channels.through.objects.filter(campaign_id__in=[c[0] for c in made]).values_list(
            "channel_id", flat=True
        )
    )
    cadenced = set(Cadence.objects.filter(workspace=workspace).values_list("channel_id", flat=True))
    # a campaign launches in the month it went out (planning.launches), not on its brief's
    # date, which may differ; one not launched yet, or with no launch recorded, on its brief's
    went_out = launched_day("campaign__")
    launching = Q(went_out__gte=start, went_out__lte=end)
    tasks = list(
        Task.objects.annotate(went_out=went_out)
        .filter(launching, workspace=workspace, kind=TaskKind.TASK)
        .values_list("pk", "owner_id")
    )
    ids = [t[0] for t in tasks]
    linked: set[int] = set()
    for a, b in Dependency.objects.filter(
        Q(successor__in=ids) | Q(predecessor__in=ids)
    ).values_list("predecessor_id", "successor_id"):
        linked |= {a, b}
    conditions: dict[int, list[bool]] = defaultdict(list)
    for cid, created, launch in (
        GoLiveCondition.objects.annotate(went_out=went_out)
        .filter(launching, workspace=workspace)
        .values_list("campaign_id", "created_at", "went_out")
    ):
        if launch is not None:
            ahead = launch - dt.timedelta(days=14)
            conditions[cid].append(created.astimezone(tz).date() <= ahead)
    # reviews: the approval requests sent in the month, and tasks moved to review by hand
    by_hand = Event.objects.filter(
        workspace=workspace,
        object_type="planning.task",
        created_at__gte=lo,
        created_at__lt=hi,
        verb=Verb.UPDATED,
        changes__status__1="in_review",
    ).count()
    period = Period(start, end)
    approvals = approval_totals(
        approver_lines(workspace, period, now, {}), rounds_lines(workspace, period)
    )
    # connected reporting: every launch opens a review, so the month's launches are the
    # reviews launched in it; results are any imported row matched to the campaign
    launched = set(
        Review.objects.filter(
            workspace=workspace, launched_on__gte=start, launched_on__lte=end
        ).values_list("campaign_id", flat=True)
    )
    with_results = set(
        ResultRow.objects.filter(workspace=workspace, campaign_id__in=launched)
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    due = list(
        Review.objects.filter(
            workspace=workspace, due_date__gte=start, due_date__lte=end
        ).values_list("status", flat=True)
    )
    return MonthFigures(
        launches=len(launched),
        launches_with_results=len(with_results),
        reviews_due=len(due),
        reviews_completed=sum(1 for s in due if s == ReviewStatus.COMPLETED),
        campaigns=len(made),
        templated=sum(1 for _, t in made if t),
        channels_used=len(used),
        channels_with_cadence=len(used & cadenced),
        tasks=len(tasks),
        owned=sum(1 for _, o in tasks if o),
        linked=sum(1 for pk, _ in tasks if pk in linked),
        launches_with_conditions=len(conditions),
        conditions_early=sum(1 for v in conditions.values() if all(v)),
        reviews=approvals.requests + by_hand,
        reviews_through_chains=approvals.requests,
        steps_decided=approvals.decided,
        steps_within_limit=approvals.within,
        rounds_per_request=approvals.rounds_per_request,
    )


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "none"


def _explain(key: str, f: MonthFigures) -> tuple[str, str]:
    """The evidence for a gap's score this month, and the one action that would raise it."""
    if key == "workflows":
        return (
            f"{f.templated} of {f.campaigns} campaigns started from a template"
            + (
                f"; {f.channels_with_cadence} of {f.channels_used} channels in use have a cadence."
                if f.channels_used
                else "; they named no channel, so no cadence could be checked."
            ),
            "Save the campaign you run most often as a template and start the next one from it.",
        )
    if key == "coordination":
        return (
            f"{f.owned} of {f.tasks} tasks of this month's launches had one owner "
            f"({f.tasks - f.owned} unowned).",
            "Give every unowned task one owner before its campaign starts.",
        )
    if key == "dependencies":
        return (
            f"{f.linked} of {f.tasks} tasks linked into their plan's network"
            + (
                f"; {f.conditions_early} of {f.launches_with_conditions} launches with go-live "
                "conditions recorded them two weeks ahead."
                if f.launches_with_conditions
                else "; no launch this month recorded go-live conditions."
            ),
            "Link each task to the work it waits on, and record go-live conditions with the brief.",
        )
    if key == "approvals":
        by_hand = f.reviews - f.reviews_through_chains
        requests = f.reviews_through_chains
        return (
            (
                f"{requests} of {f.reviews} reviews went through an approval chain"
                if f.reviews
                else "No work went to review this month"
            )
            + (f" ({by_hand} moved to review by hand without one)" if by_hand else "")
            + (
                f"; the {requests} request{'' if requests == 1 else 's'} took "
                f"{f.rounds_per_request:.1f} rounds each on average. "
                if f.rounds_per_request is not None
                else ". "
            )
            + (
                f"{f.steps_within_limit} of the {f.steps_decided} approval steps decided this "
                f"month were within their limit ({_pct(f.steps_within_limit, f.steps_decided)})."
                if f.steps_decided
                else "No approval step was decided this month."
            ),
            "Name a backup approver for routine work so steps are decided within their limit.",
        )
    if not f.launches and not f.reviews_due:
        return (
            "Nothing to measure this month: no campaign launched and no post-campaign review "
            "fell due.",
            "Import each launched campaign's results and hold a post-campaign review.",
        )
    return (
        f"{f.launches_with_results} of {f.launches} campaigns launched this month have imported "
        f"results; {f.reviews_completed} of {f.reviews_due} post-campaign reviews due this "
        "month were completed.",
        "Import each launched campaign's results and hold its post-campaign review when due.",
    )


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def months_back(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months before `day`'s."""
    first = day.replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def default_start(end: dt.date) -> dt.date:
    """The default period's first day: the first of the month six months before `end`'s."""
    return months_back(end, MONTHS)


def _period_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


#: Figures of whole months, by (first day, last day): what the background job stores so a
#: period's page reads its past months instead of computing each (~0.3 s a month on a log of
#: a million events).
MonthTable = Mapping[tuple[dt.date, dt.date], MonthFigures]


def past_months_figures(
    workspace: Workspace, today: dt.date | None = None
) -> dict[tuple[dt.date, dt.date], MonthFigures]:
    """The figures of the MAX_MONTHS whole months before today's month (the job stores them)."""
    today = today or workspace.today()
    tz = workspace.tzinfo
    now = day_number(dt.datetime.now(dt.UTC), dt.datetime.now(tz).utcoffset() or dt.timedelta(0))
    last = today.replace(day=1) - dt.timedelta(days=1)
    return {(a, b): _figures(workspace, a, b, now) for a, b in _months(last, MAX_MONTHS + 1)}


def scorecard_for(
    workspace: Workspace,
    end: dt.date | None = None,
    *,
    start: dt.date | None = None,
    known: MonthTable | None = None,
) -> Scorecard:
    """Scores for the period's last full month (one whose last day is in the period and has
    passed), against the month before it; the trend runs over every month the period
    touches, the last one up to the period's end. Without a period: the six full months
    before `end`'s month (today's by default) and the month so far. `known` gives whole
    months' figures already computed (the job's); the others are computed now."""
    today = workspace.today()
    end = min(end or today, today)
    start = start or default_start(end)
    if start > end:
        raise DomainError("The period ends before it starts: choose a later end.", field="to")
    count = _period_months(start, end)
    if count > MAX_MONTHS:
        raise DomainError(
            f"Choose a period of at most {MAX_MONTHS} months for the scorecard.", field="from"
        )
    tz = workspace.tzinfo
    now = day_number(dt.datetime.now(dt.UTC), dt.datetime.now(tz).utcoffset() or dt.timedelta(0))
    months = _months(end, count)
    full = [i for i, (_, b) in enumerate(months) if b == month_end(b) and b < today]
    scored = full[-1] if full else len(months) - 1
    known = known or {}

    def month_figures(a: dt.date, b: dt.date) -> MonthFigures:
        kept = known.get((a, b))
        return kept if kept is not None else _figures(workspace, a, b, now)

    figures = [month_figures(a, b) for a, b in months]
    per_month = [scores(f) for f in figures]
    if scored > 0:
        before = per_month[scored - 1]
    else:  # the period starts with the month scored: the month before it is read for the change
        a, _ = months[0]
        prior = (a - dt.timedelta(days=1)).replace(day=1)
        before = scores(month_figures(prior, a - dt.timedelta(days=1)))
    gaps = []
    for key, name in GAPS:
        score, previous = per_month[scored][key], before[key]
        evidence, action = (
            _explain(key, figures[scored]) if score is not None else NOT_MEASURED[key]
        )
        gaps.append(
            Gap(
                key,
                name,
                score,
                evidence,
                action,
                [(a, s[key]) for (a, _), s in zip(months, per_month, strict=True)],
                score - previous if score is not None and previous is not None else None,
            )
        )
    measured = [g for g in gaps if g.score is not None]
    weakest = min(measured, key=lambda g: g.score or 0) if measured else None
    month, last = months[scored]
    return Scorecard(month, gaps, weakest, months[0][0], end, last, bool(full))
