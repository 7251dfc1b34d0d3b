"""How each campaign was executed, from Headway's own data: how late it launched against its
plan, how long its approvals waited and on whom, its revision rounds, the working days its
tasks spent blocked, and the tasks finished in its final two working days.

A fixed number of queries whatever the number of campaigns; the working-day arithmetic is
headway.engine.waiting's (approval waits, blocked spans) and headway.engine.crunch's (the
final window), over the workspace calendar its plans are dated with (its working days and
holidays: planning.scheduling.calendar_for, engine.calendar.BusinessDays).

The planned launch, the launch and the working days late are the campaign's launch record
(headway.planning.launches), the one definition every page shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Event, Verb
from headway.approvals.models import (
    ApprovalRequest,
    ApprovalStep,
    Decision,
    LimitUnit,
    RequestStatus,
)
from headway.engine.calendar import BusinessDays
from headway.engine.crunch import WINDOW_DAYS, in_window
from headway.engine.waiting import (
    HOURS_PER_WORKING_DAY,
    DecisionRow,
    StageLog,
    stage_intervals,
    step_waits,
    working_days_between,
)
from headway.planning.models import Campaign, Task, TaskKind
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Workspace

EPOCH = dt.date(1970, 1, 1)
#: What the work of an approval chain is called in a sentence ("its creative waited ...").
WORK_WORDS = {
    "content_draft": "copy",
    "design_asset": "creative",
    "budget_change": "budget change",
    "messaging": "messaging",
    "legal": "legal review",
}
_BLOCKED, _OTHER = 1, 0


@dataclass(frozen=True)
class ApprovalWait:
    """Working days one approver kept a campaign's work waiting (decided and still open)."""

    person_id: int
    person: str
    working_days: float
    steps: int
    work: str  # what waited longest on them, in words ("creative")


@dataclass(frozen=True)
class ExecutionFacts:
    campaign_id: int
    planned_launch: dt.date | None
    launched_on: dt.date | None
    late_days: int  # working days after the planned launch (negative: early; 0 unlaunched)
    approvals: tuple[ApprovalWait, ...] = ()  # most waiting first
    approval_requests: int = 0
    revision_rounds: int = 0  # rounds after the first, over the campaign's requests
    blocked_days: float = 0.0  # working days, summed over its tasks
    tasks_done: int = 0  # finished by launch
    tasks_in_final_window: int = 0  # of those, finished in the final two working days
    window_days: int = WINDOW_DAYS
    sentences: tuple[str, ...] = field(default=())

    @property
    def approval_days(self) -> float:
        return sum(a.working_days for a in self.approvals)

    @property
    def slowest_approval(self) -> ApprovalWait | None:
        return self.approvals[0] if self.approvals else None

    @property
    def final_window_share(self) -> float:
        return self.tasks_in_final_window / self.tasks_done if self.tasks_done else 0.0


def _days(n: float) -> str:
    whole = round(n)
    if abs(n - whole) < 0.05:
        return f"{whole} working day{'' if whole == 1 else 's'}"
    return f"{n:.1f} working days"


def describe(facts: ExecutionFacts) -> tuple[str, ...]:
    """The facts worth saying, as sentence parts ("launched 9 working days late")."""
    out: list[str] = []
    if facts.launched_on is not None and facts.planned_launch is not None:
        if facts.late_days > 0:
            out.append(f"launched {_days(facts.late_days)} late")
        elif facts.late_days < 0:
            out.append(f"launched {_days(-facts.late_days)} early")
        else:
            out.append("launched on its planned date")
    slow = facts.slowest_approval
    if slow is not None and slow.working_days >= 0.5:
        out.append(
            f"its {slow.work} waited {_days(slow.working_days)} for {slow.person}'s approval"
        )
    if facts.revision_rounds:
        n = facts.revision_rounds
        out.append(f"{n} revision round{'' if n == 1 else 's'}")
    if facts.blocked_days >= 0.5:
        out.append(f"tasks blocked for {_days(facts.blocked_days)}")
    if facts.tasks_in_final_window:
        out.append(
            f"{facts.tasks_in_final_window} of {facts.tasks_done} tasks finished in the final "
            f"{facts.window_days} working days before launch"
        )
    return tuple(out)


def _calendar(workspace: Workspace) -> BusinessDays:
    """The workspace's working calendar, the one its plans are dated with (its working days
    and holidays: planning.scheduling.calendar_for), so these figures agree with the rest of
    the product."""
    return BusinessDays(calendar_for(workspace.pk))


def _moment(at: dt.datetime, offset_of: dt.tzinfo) -> float:
    """Days since 1970-01-01 in the workspace's local time (see headway.engine.waiting)."""
    local = at.astimezone(offset_of)
    offset = local.utcoffset() or dt.timedelta(0)
    return (at.timestamp() + offset.total_seconds()) / 86400.0


def _limit_days(limit: int, unit: str) -> float:
    return float(limit) if unit == LimitUnit.DAYS else limit / HOURS_PER_WORKING_DAY


def _approvals(
    workspace: Workspace,
    ids: list[int],
    as_of: dict[int, float],
    now: float,
    cal: np.busdaycalendar,
) -> tuple[dict[int, list[tuple[int, float, str]]], dict[int, int], dict[int, int]]:
    """Per campaign: (approver, working days, kind of work) for each step decided or still
    waiting, the number of requests, and the revision rounds."""
    tz = workspace.tzinfo
    requests = list(
        ApprovalRequest.objects.filter(workspace=workspace)
        .filter(Q(task__campaign_id__in=ids) | Q(piece__campaign_id__in=ids))
        .values_list(
            "pk",
            "task_id",
            "piece_id",
            "task__campaign_id",
            "piece__campaign_id",
            "chain_id",
            "chain__kind",
            "round",
            "status",
            "step",
            "waiting_since",
        )
    )
    waits: dict[int, list[tuple[int, float, str]]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    rounds: dict[int, int] = defaultdict(int)
    if not requests:
        return waits, counts, rounds
    campaign_of = {r[0]: (r[3] or r[4]) for r in requests}
    chain_of = {r[0]: r[5] for r in requests}
    kind_of = {r[0]: r[6] for r in requests}
    chains = {r[5] for r in requests}
    for r in requests:
        counts[campaign_of[r[0]]] += 1
        rounds[campaign_of[r[0]]] += max(r[7] - 1, 0)
    limits_by_chain = {
        (c, p): _limit_days(limit, unit)
        for c, p, limit, unit in ApprovalStep.objects.filter(chain_id__in=chains).values_list(
            "chain_id", "position", "limit", "limit_unit"
        )
    }
    named: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, p, u in ApprovalStep.approvers.through.objects.filter(
        approvalstep__chain_id__in=chains
    ).values_list("approvalstep__chain_id", "approvalstep__position", "user_id"):
        named[(c, p)].append(u)
    decisions = [
        DecisionRow(req, rnd, st, who, _moment(at, tz))
        for req, rnd, st, who, at in Decision.objects.filter(
            request_id__in=list(campaign_of), approver__isnull=False
        ).values_list("request_id", "round", "step", "approver_id", "created_at")
    ]
    subjects = Q()
    tasks = [str(r[1]) for r in requests if r[1]]
    pieces = [str(r[2]) for r in requests if r[2]]
    if tasks:
        subjects |= Q(object_type="planning.task", object_id__in=tasks)
    if pieces:
        subjects |= Q(object_type="publishing.contentpiece", object_id__in=pieces)
    starts: dict[tuple[int, int], float] = {}
    for req, rnd, at in (
        Event.objects.filter(
            workspace=workspace, verb__in=[Verb.SENT_FOR_APPROVAL, Verb.RESUBMITTED]
        )
        .filter(subjects)
        .values_list(KT("changes__request__1"), KT("changes__round__1"), "created_at")
    ):
        if req and rnd:
            starts[(int(req), int(rnd))] = _moment(at, tz)
    limits = {
        (d.request, d.step): limits_by_chain.get((chain_of[d.request], d.step), np.inf)
        for d in decisions
    }
    for approver, request, waited, _past in step_waits(starts, decisions, limits, cal):
        waits[campaign_of[request]].append((approver, waited, kind_of[request]))
    pending = [
        (r[0], r[5], r[9], _moment(r[10], tz))
        for r in requests
        if r[8] == RequestStatus.PENDING and named[(r[5], r[9])]
    ]
    if pending:
        ends = [min(as_of.get(campaign_of[p[0]], now), now) for p in pending]
        open_waits = working_days_between([p[3] for p in pending], ends, cal)
        for (req, chain, step, _since), waited in zip(pending, open_waits.tolist(), strict=True):
            people = named[(chain, step)]
            for person in people:
                waits[campaign_of[req]].append((person, waited / len(people), kind_of[req]))
    return waits, counts, rounds


def _tasks(
    workspace: Workspace,
    ids: list[int],
    as_of: dict[int, float],
    now: float,
    cal: np.busdaycalendar,
) -> tuple[dict[int, float], dict[int, list[int]]]:
    """Per campaign: working days its tasks spent blocked (up to launch, or now), and the days
    its tasks were finished."""
    tz = workspace.tzinfo
    rows = list(
        Task.objects.filter(campaign_id__in=ids, kind=TaskKind.TASK).values_list(
            "pk", "campaign_id", "done_at"
        )
    )
    done: dict[int, list[int]] = defaultdict(list)
    blocked: dict[int, float] = defaultdict(float)
    for _pk, cid, done_at in rows:
        if done_at is not None:
            done[cid].append((done_at.astimezone(tz).date() - EPOCH).days)
    if not rows:
        return blocked, done
    campaign_of = {str(pk): cid for pk, cid, _d in rows}
    item_of = {str(pk): n for n, (pk, _c, _d) in enumerate(rows)}
    items, stages, entered = [], [], []
    for object_id, status, at in (
        Event.objects.filter(
            workspace=workspace,
            object_type="planning.task",
            object_id__in=list(item_of),
            changes__has_key="status",
        )
        .order_by("created_at", "id")
        .values_list("object_id", KT("changes__status__1"), "created_at")
    ):
        items.append(item_of[object_id])
        stages.append(_BLOCKED if status == "blocked" else _OTHER)
        entered.append(_moment(at, tz))
    if not items:
        return blocked, done
    item_arr = np.asarray(items, dtype=np.int64)
    log = StageLog(
        item_arr,
        np.asarray(stages, dtype=np.int64),
        np.asarray(entered, dtype=np.float64),
        np.full(item_arr.shape, -1, dtype=np.int64),
    )
    # Each task's blocked spans end at its next move, or at its campaign's launch (or now).
    spans = stage_intervals(log, now, cal)
    cid_of_item = {n: campaign_of[pk] for pk, n in item_of.items()}
    order = np.lexsort((log.entered, log.items))  # as stage_intervals orders the visits
    for item, stage, start, days in zip(
        spans.items.tolist(),
        spans.stages.tolist(),
        log.entered[order].tolist(),
        spans.working_days.tolist(),
        strict=True,
    ):
        if stage != _BLOCKED:
            continue
        cid = cid_of_item[item]
        cap = as_of.get(cid)
        if cap is not None:
            # only the part before launch counts
            days = min(days, float(working_days_between([start], [cap], cal)[0]))
        blocked[cid] += max(days, 0.0)
    return blocked, done


def campaign_execution_facts(
    workspace: Workspace, campaign_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, ExecutionFacts]:
    """Execution facts for each of the workspace's campaigns named (others are ignored),
    in a fixed number of queries."""
    wanted = sorted({int(pk) for pk in campaign_ids})
    if not wanted:
        return {}
    plans = {
        pk: (planned or launch_date, launched_at, launched_on, late)
        for pk, launch_date, planned, launched_at, launched_on, late in Campaign.objects.filter(
            workspace=workspace, pk__in=wanted
        ).values_list(
            "pk",
            "launch_date",
            "planned_launch",
            "launched_at",
            "launched_on",
            "launch_late_days",
        )
    }
    if not plans:
        return {}
    ids = list(plans)
    tz = workspace.tzinfo
    cal = _calendar(workspace).numpy
    now_moment = _moment(now or timezone.now(), tz)
    launch_at = {pk: _moment(p[1], tz) for pk, p in plans.items() if p[1] is not None}
    waits, counts, rounds = _approvals(workspace, ids, launch_at, now_moment, cal)
    blocked, done = _tasks(workspace, ids, launch_at, now_moment, cal)
    people = {p for rows in waits.values() for p, _w, _k in rows}
    names = dict(User.objects.filter(pk__in=people).values_list("pk", "name")) if people else {}
    out: dict[int, ExecutionFacts] = {}
    for pk in ids:
        planned, _at, launched_on, late_days = plans[pk]
        late = late_days if launched_on is not None and late_days is not None else 0
        finished: list[int] = []
        in_final = 0
        if launched_on is not None:
            launch_day = (launched_on - EPOCH).days
            finished = [d for d in done.get(pk, []) if d <= launch_day]
            in_final = in_window(finished, launch_day, cal)
        facts = ExecutionFacts(
            campaign_id=pk,
            planned_launch=planned,
            launched_on=launched_on,
            late_days=late,
            approvals=_per_approver(waits.get(pk, []), names),
            approval_requests=counts.get(pk, 0),
            revision_rounds=rounds.get(pk, 0),
            blocked_days=round(blocked.get(pk, 0.0), 2),
            tasks_done=len(finished),
            tasks_in_final_window=in_final,
        )
        out[pk] = _with_sentences(facts)
    return out


def _per_approver(
    rows: list[tuple[int, float, str]], names: dict[int, str]
) -> tuple[ApprovalWait, ...]:
    total: dict[int, float] = defaultdict(float)
    steps: dict[int, int] = defaultdict(int)
    by_kind: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for person, waited, kind in rows:
        total[person] += waited
        steps[person] += 1
        by_kind[person][kind] += waited
    out = [
        ApprovalWait(
            person_id=p,
            person=names.get(p, "someone"),
            working_days=round(w, 2),
            steps=steps[p],
            work=WORK_WORDS.get(max(by_kind[p].items(), key=lambda kv: kv[1])[0], "work"),
        )
        for p, w in total.items()
    ]
    return tuple(sorted(out, key=lambda a: (-a.working_days, a.person)))


def _with_sentences(facts: ExecutionFacts) -> ExecutionFacts:
    return ExecutionFacts(
        **{k: getattr(facts, k) for k in facts.__dataclass_fields__ if k != "sentences"},
        sentences=describe(facts),
    )
