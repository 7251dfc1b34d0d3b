"""Flow metrics over a period: the tasks' status moves fetched from the activity log in a
fixed number of queries (values only), computed by headway.engine.flow."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q

from headway.core.errors import DomainError
from headway.engine.flow import FlowLog, FlowReport, flow_metrics, lead_times, weekly_totals
from headway.engine.waiting import StageLog
from headway.insights.selectors.moves import task_moves
from headway.planning.models import Dependency, Holiday, Task, TaskKind
from headway.workspaces.models import Workspace

EPOCH = dt.date(1970, 1, 1)
# The stages an item passes; "ready" is entered when its last predecessor is done while it
# has not started: from then on it waits on its owner to pick it up (the hand-off).
STAGES = ["not_started", "ready", "in_progress", "blocked", "in_review", "done"]
STAGE_LABELS = {
    "not_started": "Not started",
    "ready": "Ready, not started",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "in_review": "In review",
    "done": "Done",
}
WAITING = ("ready", "blocked", "in_review")
WORKING = ("in_progress",)
S = {name: k for k, name in enumerate(STAGES)}
DEFAULT_DAYS = 91  # a quarter
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    campaign: int | None = None
    person: int | None = None
    channel: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_for(
    workspace: Workspace,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    days: int = DEFAULT_DAYS,
    **filters: int | None,
) -> Period:
    """The period asked for, defaulting to the `days` up to today; refused when it ends
    before it starts or spans more than three years."""
    end = end or workspace.today()
    start = start or end - dt.timedelta(days=days - 1)
    if end < start:
        raise DomainError("The period ends before it starts: choose a later end.", field="to")
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError("Choose a period of at most three years.", field="from")
    return Period(start, end, **filters)


def day_number(moment: dt.datetime, offset: dt.timedelta) -> float:
    return (moment.timestamp() + offset.total_seconds()) / 86400.0


def to_date(day: float) -> dt.date:
    return EPOCH + dt.timedelta(days=int(np.floor(day)))


def busdaycalendar(workspace: Workspace) -> np.busdaycalendar:
    days = Holiday.objects.filter(workspace=workspace).values_list("date", flat=True)
    return np.busdaycalendar(weekmask="1111100", holidays=[np.datetime64(d) for d in days])


@dataclass
class TaskRow:
    id: int
    title: str
    campaign_id: int
    campaign: str
    owner_id: int | None
    due: dt.date | None
    done_at: dt.datetime | None
    approval_kind: str
    created_at: dt.datetime


@dataclass
class StatusLog:
    """The period's tasks and their moves, in item order (item n is tasks[n])."""

    tasks: list[TaskRow]
    flow: FlowLog
    stages: StageLog
    as_of: float
    offset: dt.timedelta
    first_day: int
    last_day: int
    done_days: dict[int, float] = field(default_factory=dict)  # item -> first done


def _tasks(workspace: Workspace, period: Period, end: dt.datetime) -> list[TaskRow]:
    start = dt.datetime.combine(period.start, dt.time(), workspace.tzinfo)
    q = Task.objects.filter(workspace=workspace, kind=TaskKind.TASK, created_at__lt=end).filter(
        Q(done_at__isnull=True) | Q(done_at__gte=start)
    )
    if period.campaign:
        q = q.filter(campaign_id=period.campaign)
    if period.person:
        q = q.filter(owner_id=period.person)
    if period.channel:
        q = q.filter(Q(channel_id=period.channel) | Q(campaign__channels=period.channel))
    rows = q.values_list(
        "pk",
        "title",
        "campaign_id",
        "campaign__name",
        "owner_id",
        "due_date",
        "done_at",
        "approval_kind",
        "created_at",
    ).distinct()
    return [TaskRow(*r) for r in rows.order_by("pk")]


def status_log(workspace: Workspace, period: Period, now: dt.datetime | None = None) -> StatusLog:
    """The tasks of the period (not finished before it, created before its end) with every
    move the log holds up to its end (headway.insights.selectors.moves): a fixed number of
    queries whatever the size of the history."""
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), workspace.tzinfo)
    now = now or dt.datetime.now(dt.UTC)
    offset = end.utcoffset() or dt.timedelta(0)
    tasks = _tasks(workspace, period, end)
    item_of = {t.id: n for n, t in enumerate(tasks)}
    owner = np.array([t.owner_id or -1 for t in tasks], dtype=np.int64)
    # nothing of the period's tasks happened before the first of them was created
    since = min((t.created_at for t in tasks), default=end) - dt.timedelta(minutes=1)
    items, stages, at, who = [], [], [], []
    for task, status, blocker, seconds_at in task_moves(workspace, since, end):
        n = item_of.get(task)
        stage = S.get(status, -1)
        if n is None or stage < 0:
            continue
        items.append(n)
        stages.append(stage)
        at.append(seconds_at)
        who.append(blocker)
    seconds = np.asarray(at, dtype=np.float64)
    days = (seconds + offset.total_seconds()) / 86400.0
    item_arr = np.asarray(items, dtype=np.int64)
    stage_arr = np.asarray(stages, dtype=np.int64)
    who_arr = np.asarray(who, dtype=np.int64)
    extra = _ready_entries(workspace, tasks, item_arr, stage_arr, days)
    if extra:
        e_items, e_days = zip(*extra, strict=True)
        item_arr = np.concatenate([item_arr, np.asarray(e_items, dtype=np.int64)])
        stage_arr = np.concatenate([stage_arr, np.full(len(extra), S["ready"], dtype=np.int64)])
        days = np.concatenate([days, np.asarray(e_days, dtype=np.float64)])
        who_arr = np.concatenate([who_arr, owner[list(e_items)]])
    as_of = min(day_number(end, offset), day_number(now, offset))
    done_first: dict[int, float] = {}
    for n, d in zip(
        item_arr[stage_arr == S["done"]].tolist(),
        days[stage_arr == S["done"]].tolist(),
        strict=True,
    ):
        done_first[n] = min(done_first.get(n, d), d)
    return StatusLog(
        tasks=tasks,
        flow=FlowLog(item_arr, stage_arr, days),
        stages=StageLog(item_arr, stage_arr, days, who_arr),
        as_of=as_of,
        offset=offset,
        first_day=(period.start - EPOCH).days,
        last_day=(period.end - EPOCH).days,
        done_days=done_first,
    )


def _ready_entries(
    workspace: Workspace,
    tasks: list[TaskRow],
    items: np.ndarray,
    stages: np.ndarray,
    days: np.ndarray,
) -> list[tuple[int, float]]:
    """(item, moment) a task became ready: its last predecessor done while it had not yet
    started. Predecessors outside the period's tasks count as done before it."""
    index = {t.id: n for n, t in enumerate(tasks)}
    preds: dict[int, list[int]] = defaultdict(list)
    links = Dependency.objects.filter(workspace=workspace, successor_id__in=index).values_list(
        "predecessor_id", "successor_id"
    )
    for p, s in links:
        preds[index[s]].append(index.get(p, -1))
    first: dict[tuple[int, int], float] = {}
    for n, st, d in zip(items.tolist(), stages.tolist(), days.tolist(), strict=True):
        key = (n, st)
        if d < first.get(key, np.inf):
            first[key] = d
    out = []
    for n, ps in preds.items():
        done = [first.get((p, S["done"])) for p in ps if p >= 0]
        if not done or any(d is None for d in done):
            continue
        created = first.get((n, S["not_started"]), -np.inf)
        ready = max([created, *[d for d in done if d is not None]])
        started = min(
            first.get((n, S["in_progress"]), np.inf),
            first.get((n, S["in_review"]), np.inf),
            first.get((n, S["done"]), np.inf),
        )
        if ready < started:
            out.append((n, ready))
    return out


@dataclass(frozen=True)
class AgingRow:
    task: TaskRow
    age: float
    beyond: int | None


@dataclass(frozen=True)
class FlowResult:
    period: Period
    report: FlowReport
    lead_percentiles: dict[int, float]
    throughput: list[tuple[dt.date, int]]
    cumulative: list[tuple[dt.date, dict[str, int]]]
    aging: list[AgingRow]
    finished: int
    tasks: int

    @property
    def cycle(self) -> dict[int, float]:
        return self.report.cycle_time_percentiles


def flow_for(workspace: Workspace, period: Period, now: dt.datetime | None = None) -> FlowResult:
    log = status_log(workspace, period, now)
    report = flow_metrics(
        log.flow,
        STAGES,
        "in_progress",
        "done",
        as_of=log.as_of,
        waiting=WAITING,
        working=WORKING,
    )
    leads = lead_times(log.flow, len(STAGES), S["not_started"], S["done"])
    lead_pct = {p: float(np.percentile(leads, p)) for p in (50, 85, 95)} if leads.size else {}
    weeks = weekly_totals(report.throughput_per_day, report.first_day, log.first_day, log.last_day)
    cumulative = []
    for k in range(max(log.first_day - report.first_day, 0), len(report.throughput_per_day)):
        day = report.first_day + k
        counts = {s: report.cumulative_flow[s][k] for s in STAGES if s != "ready"}
        cumulative.append((to_date(day), counts))
    aging = [
        AgingRow(log.tasks[a.item], a.age, a.beyond)
        for a in report.work_in_progress
        if a.item < len(log.tasks)
    ]
    finished = sum(1 for d in log.done_days.values() if d >= log.first_day)
    return FlowResult(
        period=period,
        report=report,
        lead_percentiles=lead_pct,
        throughput=[(to_date(d), n) for d, n in weeks],
        cumulative=cumulative,
        aging=aging,
        finished=finished,
        tasks=len(log.tasks),
    )


def filter_choices(workspace: Workspace) -> dict[str, list[tuple[int, str]]]:
    """Campaigns, people and channels to filter by (three queries)."""
    from headway.accounts.models import User
    from headway.planning.models import Campaign, Channel

    return {
        "campaign": list(
            Campaign.objects.filter(workspace=workspace)
            .order_by("-launch_date", "name")
            .values_list("pk", "name")
        ),
        "person": list(
            User.objects.filter(memberships__workspace=workspace)
            .order_by("name")
            .values_list("pk", "name")
        ),
        "channel": list(
            Channel.objects.filter(workspace=workspace).order_by("name").values_list("pk", "name")
        ),
    }


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)
