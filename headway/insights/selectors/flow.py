"""Flow metrics over a period: the tasks' status moves from the columns each process keeps
in memory (headway.insights.selectors.moves: the rollup job's copies, topped up from the
log), masked to the period and its filters, computed by headway.engine.flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Q

from headway.core.errors import DomainError
from headway.engine.flow import FlowLog, FlowReport, flow_metrics, lead_times, weekly_totals
from headway.engine.waiting import StageLog
from headway.insights.selectors.moves import (
    EpochDays,
    EpochMicros,
    LogState,
    MoveColumns,
    all_moves,
    campaigns_on_channel,
    dependency_columns,
    log_state,
    micros,
    moment,
    plain_rows,
    task_columns,
)
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
    """The period's tasks (item n is task_ids[n], ordered by id) and their moves."""

    task_ids: npt.NDArray[np.int64]
    owners: npt.NDArray[np.int64]  # -1: unowned
    due_days: npt.NDArray[np.float64]  # days since 1970, nan: no due date
    flow: FlowLog
    stages: StageLog
    as_of: float
    offset: dt.timedelta
    first_day: int
    last_day: int
    first: npt.NDArray[np.float64]  # each item's first entry into each stage, inf: never
    state: LogState | None = None  # what the kept columns were checked against (not direct)

    def __len__(self) -> int:
        return int(self.task_ids.size)

    @property
    def done_days(self) -> npt.NDArray[np.float64]:
        """Each item's first move to done (inf: not done)."""
        return self.first[:, S["done"]]


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
    return [TaskRow(*r) for r in q.values_list(*_ROW).distinct().order_by("pk")]


_ROW = (
    "pk",
    "title",
    "campaign_id",
    "campaign__name",
    "owner_id",
    "due_date",
    "done_at",
    "approval_kind",
    "created_at",
)


def task_rows(workspace: Workspace, ids: Sequence[int]) -> dict[int, TaskRow]:
    """The named tasks with their titles and campaigns, by id (one query)."""
    rows = Task.objects.filter(workspace=workspace, pk__in=list(ids)).values_list(
        "pk",
        "title",
        "campaign_id",
        "campaign__name",
        "owner_id",
        EpochDays("due_date"),
        EpochMicros("done_at"),
        "approval_kind",
        EpochMicros("created_at"),
    )
    # the database's plain values, made into dates and moments here (a year's work in
    # progress is thousands of rows: Django's per-value conversion took longer)
    return {
        r[0]: TaskRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            None if r[5] is None else EPOCH + dt.timedelta(days=r[5]),
            moment(r[6]),
            r[7],
            moment(r[8]),  # type: ignore[arg-type]
        )
        for r in plain_rows(rows)
    }


def _period_tasks(
    workspace: Workspace, period: Period, end: dt.datetime, state: LogState | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ids, owners, due days, creation seconds) of the period's tasks, ordered by id: those
    created before its end and not finished before its start, with its filters; from the
    task columns kept in memory (selectors.moves.task_columns)."""
    cols = task_columns(workspace, state)
    start = dt.datetime.combine(period.start, dt.time(), workspace.tzinfo)
    keep = (
        cols.task & (cols.created < micros(end)) & ((cols.done < 0) | (cols.done >= micros(start)))
    )
    if period.campaign:
        keep &= cols.campaign == period.campaign
    if period.person:
        keep &= cols.owner == period.person
    if period.channel:
        keep &= (cols.channel == period.channel) | np.isin(
            cols.campaign, campaigns_on_channel(workspace, period.channel)
        )
    return cols.ids[keep], cols.owner[keep], cols.due[keep], cols.created[keep] / 1e6


def status_log(
    workspace: Workspace,
    period: Period,
    now: dt.datetime | None = None,
    *,
    direct: bool = False,
    state: LogState | None = None,
) -> StatusLog:
    """The tasks of the period (not finished before it, created before its end) with every
    move the log holds up to its end: from the columns kept in memory (the copied moves and
    the log after them, headway.insights.selectors.moves), or with `direct` read from the log
    and the tasks table for this call (what the tests compare the kept columns with).
    `state` is the workspace's log_state when the caller has read it (else read here)."""
    if not direct and state is None:
        state = log_state(workspace)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), workspace.tzinfo)
    now = now or dt.datetime.now(dt.UTC)
    offset = end.utcoffset() or dt.timedelta(0)
    if direct:
        rows = _tasks(workspace, period, end)
        ids = np.array([t.id for t in rows], dtype=np.int64)
        owner = np.array([t.owner_id or -1 for t in rows], dtype=np.int64)
        due = np.array(
            [np.nan if t.due is None else float((t.due - EPOCH).days) for t in rows],
            dtype=np.float64,
        )
        made = np.array([t.created_at.timestamp() for t in rows], dtype=np.float64)
    else:
        ids, owner, due, made = _period_tasks(workspace, period, end, state)
    # nothing of the period's tasks happened before the first of them was created
    since = (float(made.min()) if made.size else end.timestamp()) - 60.0
    copied, tail = all_moves(workspace, direct=direct, state=state)
    base = _ours(copied, ids, since, end.timestamp(), by_task=True)
    extra = _ours(tail, ids, since, end.timestamp())
    shift = offset.total_seconds()
    days = (base[2] + shift) / 86400.0
    e_days = (extra[2] + shift) / 86400.0
    n = ids.size
    first = np.full((n, len(STAGES)), np.inf)
    # through the flat view: numpy's ufunc.at is about twice as fast on one index as on two
    flat = first.reshape(-1)
    np.minimum.at(flat, base[0] * len(STAGES) + base[1], days)
    np.minimum.at(flat, extra[0] * len(STAGES) + extra[1], e_days)
    r_items, r_days = _ready_entries(workspace, ids, first, direct=direct, state=state)
    np.minimum.at(first, (r_items, np.full(r_items.size, S["ready"])), r_days)
    # the log ordered by item, then time (stably: the copied moves, then the log's after
    # them, then the moments tasks became ready): the copied moves are in that order
    # already, the others are put in their places
    x_items = np.concatenate([extra[0], r_items])
    x_stages = np.concatenate([extra[1], np.full(r_items.size, S["ready"], dtype=np.int64)])
    x_days = np.concatenate([e_days, r_days])
    x_who = np.concatenate([extra[3], owner[r_items]])
    order = np.lexsort((x_days, x_items))
    x_items, x_stages, x_days, x_who = (a[order] for a in (x_items, x_stages, x_days, x_who))
    at = np.searchsorted(base[0] + 1j * days, x_items + 1j * x_days, side="right")
    item_arr = np.insert(base[0], at, x_items)
    stage_arr = np.insert(base[1], at, x_stages)
    days = np.insert(days, at, x_days)
    who_arr = np.insert(base[3], at, x_who)
    as_of = min(day_number(end, offset), day_number(now, offset))
    return StatusLog(
        task_ids=ids,
        owners=owner,
        due_days=due,
        flow=FlowLog(item_arr, stage_arr, days),
        stages=StageLog(item_arr, stage_arr, days, who_arr),
        as_of=as_of,
        offset=offset,
        first_day=(period.start - EPOCH).days,
        last_day=(period.end - EPOCH).days,
        first=first,
        state=state,
    )


def _ours(
    moves: MoveColumns, ids: np.ndarray, since: float, end: float, *, by_task: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(items, stages, seconds, blockers) of the moves of the tasks `ids` (sorted) made in
    since..end, in the moves' order. `by_task`: the moves are ordered by task, so each
    task's run of moves is looked up once (the copied moves: close to a million)."""
    if by_task:
        task, _first, length = moves.runs
        pos = np.minimum(np.searchsorted(ids, task), max(ids.size - 1, 0))
        ours = ids[pos] == task if ids.size else np.zeros(task.size, dtype=bool)
        keep = np.repeat(ours, length) & (moves.at >= since) & (moves.at < end)
        keep &= moves.stage >= 0
        return (
            np.repeat(pos, length)[keep],
            moves.stage[keep].astype(np.int64),
            moves.at[keep],
            moves.blocker[keep],
        )
    keep = (moves.at >= since) & (moves.at < end) & (moves.stage >= 0)
    task = moves.task[keep]
    pos = np.minimum(np.searchsorted(ids, task), max(ids.size - 1, 0))
    ours = ids[pos] == task if ids.size else np.zeros(task.size, dtype=bool)
    return (
        pos[ours],
        moves.stage[keep][ours].astype(np.int64),
        moves.at[keep][ours],
        moves.blocker[keep][ours],
    )


def _ready_entries(
    workspace: Workspace,
    ids: np.ndarray,
    first: np.ndarray,
    *,
    direct: bool = False,
    state: LogState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(items, moments) a task became ready: its last predecessor done while it had not yet
    started (`first`: each item's first entry into each stage). Only predecessors among the
    period's tasks count; a task none of whose predecessors is among them, or one of whose
    predecessors is not done, is never ready."""
    if direct:
        links = Dependency.objects.filter(workspace=workspace, successor_id__in=ids.tolist())
        pairs = np.array(list(links.values_list("predecessor_id", "successor_id")), np.int64)
        pred, succ = (pairs[:, 0], pairs[:, 1]) if pairs.size else (pairs, pairs)
    else:
        pred, succ = dependency_columns(workspace, state)
    none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if not ids.size or not pred.size:
        return none
    p_pos = np.minimum(np.searchsorted(ids, pred), ids.size - 1)
    s_pos = np.minimum(np.searchsorted(ids, succ), ids.size - 1)
    inside = (ids[p_pos] == pred) & (ids[s_pos] == succ)
    p_pos, s_pos = p_pos[inside], s_pos[inside]
    done = first[p_pos, S["done"]]
    n = ids.size
    has_pred = np.bincount(s_pos, minlength=n) > 0
    undone = np.bincount(s_pos, weights=~np.isfinite(done), minlength=n) > 0
    last_done = np.full(n, -np.inf)
    np.maximum.at(last_done, s_pos, np.where(np.isfinite(done), done, -np.inf))
    created = first[:, S["not_started"]]
    ready = np.maximum(np.where(np.isfinite(created), created, -np.inf), last_done)
    started = first[:, [S["in_progress"], S["in_review"], S["done"]]].min(axis=1)
    out = np.flatnonzero(has_pred & ~undone & (ready < started))
    return out.astype(np.int64), ready[out]


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


def flow_for(
    workspace: Workspace, period: Period, now: dt.datetime | None = None, *, direct: bool = False
) -> FlowResult:
    log = status_log(workspace, period, now, direct=direct)
    n_items = int(log.flow.items.max()) + 1 if log.flow.items.size else 0
    first = log.first[:n_items]
    report = flow_metrics(
        log.flow,
        STAGES,
        "in_progress",
        "done",
        as_of=log.as_of,
        waiting=WAITING,
        working=WORKING,
        first=first,
        ordered=True,
    )
    leads = lead_times(log.flow, len(STAGES), S["not_started"], S["done"], first)
    lead_pct = {p: float(np.percentile(leads, p)) for p in (50, 85, 95)} if leads.size else {}
    weeks = weekly_totals(report.throughput_per_day, report.first_day, log.first_day, log.last_day)
    cumulative = []
    for k in range(max(log.first_day - report.first_day, 0), len(report.throughput_per_day)):
        day = report.first_day + k
        counts = {s: report.cumulative_flow[s][k] for s in STAGES if s != "ready"}
        cumulative.append((to_date(day), counts))
    wip = [a for a in report.work_in_progress if a.item < len(log)]
    rows = task_rows(workspace, [int(log.task_ids[a.item]) for a in wip])
    aging = [AgingRow(rows[int(log.task_ids[a.item])], a.age, a.beyond) for a in wip]
    finished = int(np.count_nonzero(np.isfinite(log.done_days) & (log.done_days >= log.first_day)))
    return FlowResult(
        period=period,
        report=report,
        lead_percentiles=lead_pct,
        throughput=[(to_date(d), n) for d, n in weeks],
        cumulative=cumulative,
        aging=aging,
        finished=finished,
        tasks=len(log),
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
