"""Where work waits over a period, in working days, each line naming one person: approvers
(from decisions and the rounds' starts in the log), stages, contributors (hand-off delay,
blocked time held by the blocker, work finished after its due date) and revision rounds by
kind of work. A fixed number of queries; the attribution is headway.engine.waiting's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Q, Sum

from headway.accounts.models import User
from headway.approvals.models import (
    ApprovalRequest,
    ApprovalStep,
    Decision,
    LimitUnit,
    RequestStatus,
    WorkKind,
)
from headway.engine.approver_columns import DecisionColumns, RoundStarts, approver_waits_columns
from headway.engine.flow_intervals import held_totals, late_counts, ordered_stage_intervals
from headway.engine.waiting import HOURS_PER_WORKING_DAY, PendingStep
from headway.insights.selectors.flow import (
    STAGE_LABELS,
    WAITING,
    Period,
    S,
    busdaycalendar,
    day_number,
    status_log,
)
from headway.insights.selectors.moves import (
    EpochSeconds,
    LogState,
    decision_query,
    decision_rows,
    micros,
    ordered_decisions,
    plain_rows,
    round_starts,
)
from headway.planning.models import Campaign
from headway.workspaces.models import Workspace

MIN_RECORD = 3  # finished tasks before a share of late work ranks a person


@dataclass(frozen=True)
class ApproverLine:
    person_id: int
    person: str
    waited: float
    median: float
    steps: int
    past_limit: int
    rounds_per_request: float
    late_requests: tuple[int, ...]
    decided: int = 0
    decided_past_limit: int = 0
    held_past_limit: int = 0  # steps still waiting on them past their limit


@dataclass(frozen=True)
class StageLine:
    stage: str
    label: str
    waited: float
    visits: int
    person_id: int | None  # who held most of it
    person: str
    held: float


@dataclass(frozen=True)
class ContributorLine:
    person_id: int
    person: str
    handoff: float  # working days successors waited, ready, for them to start
    blocking: float  # working days others' tasks were blocked on them
    late: int
    finished: int

    @property
    def late_share(self) -> float:
        return self.late / self.finished if self.finished else 0.0

    @property
    def total(self) -> float:
        return self.handoff + self.blocking


@dataclass(frozen=True)
class RoundsLine:
    kind: str
    requests: int
    rounds: float  # per request
    most: int


@dataclass(frozen=True)
class Bottlenecks:
    period: Period
    approvers: list[ApproverLine]
    stages: list[StageLine]
    contributors: list[ContributorLine]
    rounds: list[RoundsLine]


def _bounds(workspace: Workspace, period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = workspace.tzinfo
    start = dt.datetime.combine(period.start, dt.time(), tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tz)
    return start, end


def _work_filter(period: Period, task: str) -> Q:
    """The period's campaign, person (the task's owner) and channel (the task's, or its
    campaign's) filters on approval requests, as the flow's filters select tasks; `task` is
    the path to the request's task."""
    q = Q()
    if period.campaign:
        q &= Q(**{f"{task}campaign_id": period.campaign})
    if period.person:
        q &= Q(**{f"{task}owner_id": period.person})
    if period.channel:
        on_channel = Campaign.channels.through.objects.filter(channel_id=period.channel)
        q &= Q(**{f"{task}channel_id": period.channel}) | Q(
            **{f"{task}campaign_id__in": on_channel.values("campaign_id")}
        )
    return q


def _limit_days(limit: int, unit: str) -> float:
    return float(limit) if unit == LimitUnit.DAYS else limit / HOURS_PER_WORKING_DAY


def approver_lines(
    workspace: Workspace,
    period: Period,
    as_of: float,
    names: dict[int, str],
    *,
    direct: bool = False,
    calendar: np.busdaycalendar | None = None,
    state: LogState | None = None,
) -> list[ApproverLine]:
    """Steps decided in the period, and steps still waiting at its end, per approver. The
    rounds' starts are the copied ones kept in memory (with `direct`, read from the log);
    the period's decisions are read as plain columns and attributed by
    engine.approver_columns (tens of thousands in a year of a large workspace)."""
    start, end = _bounds(workspace, period)
    offset = end.utcoffset() or dt.timedelta(0)
    shift = offset.total_seconds()
    requests = ApprovalRequest.objects.filter(workspace=workspace, task__isnull=False)
    decided_in_period = Decision.objects.filter(
        request__workspace=workspace,
        request__task__isnull=False,
        created_at__gte=start,
        created_at__lt=end,
        approver__isnull=False,
    )
    requests = requests.filter(_work_filter(period, "task__"))
    decided_in_period = decided_in_period.filter(_work_filter(period, "request__task__"))
    # the decisions with their requests' chain, round and start, as numbers in their order
    # (time, then id): for the whole workspace, the ones kept in memory (selectors.moves'
    # decision_rows) masked to the period; with filters or `direct`, read for this call (a
    # join: only the requests decided in the period are read)
    if direct or period.campaign or period.person or period.channel:
        times, table = ordered_decisions(plain_rows(decision_query(decided_in_period)))
    else:
        times, table = decision_rows(workspace, state)
        inside = (times >= micros(start)) & (times < micros(end)) & (table[:, 3] >= 0)
        table = table[inside]
    dec = table
    pending_rows = requests.filter(status=RequestStatus.PENDING).values_list(
        "pk", "chain_id", "step", EpochSeconds("waiting_since")
    )
    # the workspace's steps with their limits and the people they name (one query)
    limits_by_chain: dict[tuple[int, int], float] = {}
    named: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, p, allowed, unit, user in ApprovalStep.objects.filter(
        chain__workspace=workspace
    ).values_list("chain_id", "position", "limit", "limit_unit", "approvers"):
        limits_by_chain[(c, p)] = _limit_days(allowed, unit)
        if user is not None:
            named[(c, p)].append(user)
    request, rnd, step, approver = (dec[:, k].astype(np.int64) for k in range(4))
    chain = dec[:, 5].astype(np.int64)
    limit = np.full(request.size, np.inf)
    for (c, p), days in limits_by_chain.items():
        limit[(chain == c) & (step == p)] = days
    decisions = DecisionColumns(request, rnd, step, approver, (dec[:, 4] + shift) / 86400.0, limit)
    # a round starts after its request was made: the starts are read from the earliest
    # request decided in the period on, not from the beginning
    since = (
        float(np.minimum(dec[:, 7], dec[:, 8]).min()) if dec.shape[0] else end.timestamp()
    ) - 60.0
    rounds_started = round_starts(workspace, direct=direct, state=state)
    keep = np.flatnonzero((rounds_started.at >= since) & (rounds_started.at < end.timestamp()))
    starts = RoundStarts(
        rounds_started.request[keep],
        rounds_started.round[keep],
        (rounds_started.at[keep] + shift) / 86400.0,
    )
    pending = [
        PendingStep(
            pk,
            max((waiting + shift) / 86400.0, day_number(start, offset)),
            tuple(named[(chain_id, position)]),
            limits_by_chain.get((chain_id, position), np.inf),
        )
        for pk, chain_id, position, waiting in pending_rows
        if waiting < end.timestamp() and named[(chain_id, position)]
    ]
    # of the decided requests, the rounds counted
    rounds = dict(zip(request.tolist(), dec[:, 6].astype(np.int64).tolist(), strict=True))
    cal = calendar if calendar is not None else busdaycalendar(workspace)
    waits = approver_waits_columns(starts, decisions, pending, rounds, as_of, cal)
    return [
        ApproverLine(
            w.approver,
            names.get(w.approver, "someone"),
            w.waited,
            w.median,
            w.steps,
            w.past_limit,
            w.rounds_per_request,
            w.requests,
            w.steps - sum(1 for p in pending if w.approver in p.approvers),
            w.steps_past_limit,
            w.held_past_limit,
        )
        for w in waits
    ]


def rounds_lines(workspace: Workspace, period: Period) -> list[RoundsLine]:
    """Rounds per request by kind of work, for requests sent in the period."""
    start, end = _bounds(workspace, period)
    q = ApprovalRequest.objects.filter(
        workspace=workspace, created_at__gte=start, created_at__lt=end
    )
    q = q.filter(_work_filter(period, "task__"))
    # counted by the database: the mean of whole numbers is their sum over their count
    per = (
        q.order_by()
        .values_list("chain__kind")
        .annotate(n=Count("pk"), total=Sum("round"), most=Max("round"))
    )
    labels = dict(WorkKind.choices)
    out = [RoundsLine(labels.get(k, k), n, total / n, most) for k, n, total, most in per]
    return sorted(out, key=lambda x: (-x.rounds, x.kind))


def bottlenecks_for(
    workspace: Workspace, period: Period, now: dt.datetime | None = None, *, direct: bool = False
) -> Bottlenecks:
    log = status_log(workspace, period, now, direct=direct)
    cal = busdaycalendar(workspace)
    names = dict(User.objects.filter(memberships__workspace=workspace).values_list("pk", "name"))
    spans = ordered_stage_intervals(log.stages, log.as_of, cal, since=float(log.first_day))
    stages = []
    held_in = {stage: held_totals(spans, S[stage]) for stage in WAITING}
    for stage in WAITING:
        k = S[stage]
        mask = spans.stages == k
        held = held_in[stage]
        top = max(held.items(), key=lambda x: x[1]) if held else None
        stages.append(
            StageLine(
                stage,
                STAGE_LABELS[stage],
                float(spans.working_days[mask].sum()),
                int(mask.sum()),
                top[0] if top else None,
                names.get(top[0], "") if top else "",
                top[1] if top else 0.0,
            )
        )
    approvers = approver_lines(
        workspace, period, log.as_of, names, direct=direct, calendar=cal, state=log.state
    )
    review = next(s for s in stages if s.stage == "in_review")
    if approvers:
        stages[stages.index(review)] = StageLine(
            review.stage,
            review.label,
            review.waited,
            review.visits,
            approvers[0].person_id,
            approvers[0].person,
            approvers[0].waited,
        )
    stages.sort(key=lambda s: -s.waited)
    handoff, blocking = held_in["ready"], held_in["blocked"]
    done = log.done_days
    rows = (log.owners > 0) & ~np.isnan(log.due_days) & np.isfinite(done)
    rows &= done >= log.first_day
    late = late_counts(log.owners[rows], log.due_days[rows], done[rows])
    people = set(handoff) | set(blocking) | set(late)
    contributors = [
        ContributorLine(
            p,
            names.get(p, "someone"),
            handoff.get(p, 0.0),
            blocking.get(p, 0.0),
            *late.get(p, (0, 0)),
        )
        for p in people
        if p in names
    ]
    # the most often late first (a late hand-off delays everything after it); a share of one
    # or two tasks says little, so those come after the people with a record
    contributors.sort(key=lambda c: (c.finished < MIN_RECORD, -c.late_share, -c.total, c.person))
    return Bottlenecks(period, approvers, stages, contributors, rounds_lines(workspace, period))


@dataclass(frozen=True)
class NamedRequest:
    pk: int
    title: str
    campaign: str
    chain: str
    round: int
    status: str


def requests_named(workspace: Workspace, ids: tuple[int, ...]) -> list[NamedRequest]:
    """The approval requests `ids` of the workspace, with what they approve (one query)."""
    rows = (
        ApprovalRequest.objects.filter(workspace=workspace, pk__in=ids)
        .order_by("-waiting_since")
        .values_list("pk", "task__title", "task__campaign__name", "chain__name", "round", "status")
    )
    labels = dict(RequestStatus.choices)
    return [
        NamedRequest(pk, title or "", campaign or "", chain, rnd, labels.get(status, status))
        for pk, title, campaign, chain, rnd, status in rows
    ]
