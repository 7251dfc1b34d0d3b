"""The diagnostic scorecard month by month: the figures behind the five structural gaps
(defined workflows, centralized coordination, dependency visibility, structured approvals,
connected reporting), scored by headway.engine.scorecard, with the evidence and the one
action that would raise each. A fixed number of queries per month shown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from headway.activity.models import Event, Verb
from headway.engine.scorecard import MonthFigures, scores
from headway.insights.selectors.bottlenecks import approver_lines, rounds_lines
from headway.insights.selectors.flow import Period, day_number
from headway.planning.models import Campaign, Dependency, GoLiveCondition, Task, TaskKind
from headway.publishing.models import Cadence
from headway.results.models import ResultRow
from headway.results.reviews.models import Review, ReviewStatus
from headway.workspaces.models import Workspace

MONTHS = 6
GAPS = [
    ("workflows", "Defined workflows"),
    ("coordination", "Centralized coordination"),
    ("dependencies", "Dependency visibility"),
    ("approvals", "Structured approvals"),
    ("reporting", "Connected reporting"),
]


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
    month: dt.date
    gaps: list[Gap]
    weakest: Gap | None


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
    launching = Q(campaign__launch_date__gte=start, campaign__launch_date__lte=end)
    tasks = list(
        Task.objects.filter(launching, workspace=workspace, kind=TaskKind.TASK).values_list(
            "pk", "owner_id"
        )
    )
    ids = [t[0] for t in tasks]
    linked: set[int] = set()
    for a, b in Dependency.objects.filter(
        Q(successor__in=ids) | Q(predecessor__in=ids)
    ).values_list("predecessor_id", "successor_id"):
        linked |= {a, b}
    conditions: dict[int, list[bool]] = defaultdict(list)
    for cid, created, launch in GoLiveCondition.objects.filter(
        workspace=workspace, campaign__launch_date__gte=start, campaign__launch_date__lte=end
    ).values_list("campaign_id", "created_at", "campaign__launch_date"):
        if launch is not None:
            ahead = launch - dt.timedelta(days=14)
            conditions[cid].append(created.astimezone(tz).date() <= ahead)
    reviews = Event.objects.filter(
        workspace=workspace, object_type="planning.task", created_at__gte=lo, created_at__lt=hi
    ).filter(Q(verb=Verb.SENT_FOR_APPROVAL) | Q(verb=Verb.UPDATED, changes__status__1="in_review"))
    verbs = list(reviews.values_list("verb", flat=True))
    period = Period(start, end)
    approvers = approver_lines(workspace, period, now, {})
    rounds = rounds_lines(workspace, period)
    requests = sum(r.requests for r in rounds)
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
        reviews=len(verbs),
        reviews_through_chains=sum(1 for v in verbs if v == Verb.SENT_FOR_APPROVAL),
        steps_decided=sum(a.decided for a in approvers),
        steps_within_limit=sum(a.decided - a.decided_past_limit for a in approvers),
        rounds_per_request=(
            sum(r.rounds * r.requests for r in rounds) / requests if requests else None
        ),
    )


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "none"


def _explain(key: str, f: MonthFigures) -> tuple[str, str]:
    """The evidence for a gap's score this month, and the one action that would raise it."""
    if key == "workflows":
        return (
            f"{f.templated} of {f.campaigns} campaigns started from a template; "
            f"{f.channels_with_cadence} of {f.channels_used} channels in use have a cadence.",
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
            f"{f.linked} of {f.tasks} tasks linked into their plan's network; "
            f"{f.conditions_early} of {f.launches_with_conditions} launches with go-live "
            "conditions recorded them two weeks ahead.",
            "Link each task to the work it waits on, and record go-live conditions with the brief.",
        )
    if key == "approvals":
        rounds = f"{f.rounds_per_request:.1f}" if f.rounds_per_request is not None else "no"
        return (
            f"{f.reviews_through_chains} of {f.reviews} reviews went through an approval chain; "
            f"{_pct(f.steps_within_limit, f.steps_decided)} of {f.steps_decided} steps decided "
            f"within their limit; {rounds} rounds per request.",
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


def scorecard_for(workspace: Workspace, end: dt.date | None = None) -> Scorecard:
    """Scores for the last full month (the one before `end`'s), against the month before it;
    the trend runs over the six full months and the month so far."""
    end = end or workspace.today()
    tz = workspace.tzinfo
    now = day_number(dt.datetime.now(dt.UTC), dt.datetime.now(tz).utcoffset() or dt.timedelta(0))
    months = _months(end, MONTHS + 1)
    figures = [_figures(workspace, a, b, now) for a, b in months]
    per_month = [scores(f) for f in figures]
    gaps = []
    for key, name in GAPS:
        evidence, action = _explain(key, figures[-2])
        score, before = per_month[-2][key], per_month[-3][key]
        gaps.append(
            Gap(
                key,
                name,
                score,
                evidence,
                action,
                [(a, s[key]) for (a, _), s in zip(months, per_month, strict=True)],
                score - before if score is not None and before is not None else None,
            )
        )
    measured = [g for g in gaps if g.score is not None]
    weakest = min(measured, key=lambda g: g.score or 0) if measured else None
    return Scorecard(months[-2][0], gaps, weakest)
