"""Tasks' status moves for the flow figures: the ones the rollup job copied (TaskMove) and,
after the last one it copied, the activity log itself, so a reader always sees every move
whether or not the job has caught up."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from headway.activity.models import Event, Verb
from headway.insights.models import CopyMark, PlanChange, RoundStart, TaskMove
from headway.workspaces.models import Workspace

#: (task id, stage name, blocker id or -1, seconds since 1970)
Move = tuple[int, str, int, float]


class EpochSeconds(Func):
    """A timestamp column read as seconds since 1970 (to the millisecond), so a million rows
    arrive as floats instead of timezone-aware datetimes built one by one."""

    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0, 3)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
        return self.as_sql(compiler, connection, template=template, **extra)


def copied_up_to(workspace: Workspace) -> int:
    """The last activity event the job has read into TaskMove and RoundStart (0: none)."""
    mark = CopyMark.objects.filter(workspace=workspace).values_list("event_id", flat=True)
    return int(mark.first() or 0)


def _after(events: QuerySet[Event], after: int, upto: int | None) -> QuerySet[Event]:
    events = events.filter(pk__gt=after)
    return events if upto is None else events.filter(pk__lte=upto)


def move_events(workspace: Workspace, after: int, upto: int | None = None) -> QuerySet[Event]:
    """The log's task moves (a task's creation or a change of its status) among events
    after..upto: what TaskMove copies and what readers take from the log after the copy."""
    return _after(
        Event.objects.filter(workspace=workspace, object_type="planning.task").filter(
            Q(verb=Verb.CREATED) | Q(changes__has_key="status")
        ),
        after,
        upto,
    )


def round_start_events(
    workspace: Workspace, after: int, upto: int | None = None
) -> QuerySet[Event]:
    """The log's approval rounds' starts among events after..upto (RoundStart's source)."""
    starts = Event.objects.filter(
        workspace=workspace, verb__in=[Verb.SENT_FOR_APPROVAL, Verb.RESUBMITTED]
    )
    return _after(starts, after, upto)


def plan_change_events(
    workspace: Workspace, after: int, upto: int | None = None
) -> QuerySet[Event]:
    """The log's plan changes among events after..upto (PlanChange's source): tasks added,
    edited other than a status move, or removed, and links added or removed."""
    changes = Event.objects.filter(
        workspace=workspace,
        object_type__in=["planning.task", "planning.dependency"],
        verb__in=[Verb.CREATED, Verb.UPDATED, Verb.DELETED],
    ).exclude(Q(object_type="planning.task") & Q(changes__has_key="status"))
    return _after(changes, after, upto)


def event_moves(
    workspace: Workspace,
    *,
    after: int = 0,
    upto: int | None = None,
    since: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> Iterator[tuple[int, Move]]:
    """(event id, move) for the log's task creations and status changes after event `after`
    (up to event `upto`), created in since..end when given."""
    q = move_events(workspace, after, upto)
    if since is not None:
        q = q.filter(created_at__gte=since)
    if end is not None:
        q = q.filter(created_at__lt=end)
    rows = q.order_by().values_list(
        "pk",
        "object_id",
        "verb",
        KT("changes__status__1"),
        KT("changes__blocked_on__1"),
        EpochSeconds("created_at"),
    )
    for pk, object_id, verb, status, blocker, at in rows.iterator(chunk_size=20000):
        if not object_id.isdigit():
            continue
        stage = "not_started" if verb == Verb.CREATED else (status or "")
        who = int(blocker) if blocker not in (None, "", "null") else -1
        yield pk, (int(object_id), stage, who, at)


# -- the moves as columns, kept in memory ------------------------------------------------------

#: the stages of the flow figures, by index (selectors.flow.STAGES, kept here so the columns
#: store a small integer per move); a status outside them is -1 and never read
STAGE_CODES = ("not_started", "ready", "in_progress", "blocked", "in_review", "done")


@dataclass(frozen=True)
class MoveColumns:
    """Moves: task id, stage index (STAGE_CODES, -1 other), blocker id (-1
    none) and seconds since 1970; `mark` is the last copied event they include."""

    task: npt.NDArray[np.int64]
    stage: npt.NDArray[np.int8]
    blocker: npt.NDArray[np.int64]
    at: npt.NDArray[np.float64]
    mark: int

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.task, self.stage, self.blocker, self.at))

    @cached_property
    def runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(task, first move, number of moves) of each run of moves of one task: each task's
        moves when the moves are ordered by task (the copied ones)."""
        cut = np.ones(self.task.size, dtype=bool)
        cut[1:] = self.task[1:] != self.task[:-1]
        first = np.flatnonzero(cut)
        return self.task[first], first, np.diff(np.append(first, self.task.size))


def _columns(rows: Sequence[tuple[int, int, int, float]]) -> tuple[np.ndarray, ...]:
    # one float array first (ids are exact as floats far beyond any id a table reaches),
    # then the columns: a million tuples unzipped in Python take seconds
    table = np.array(rows, dtype=np.float64).reshape(-1, 4)
    return (
        table[:, 0].astype(np.int64),
        table[:, 1].astype(np.int8),
        table[:, 2].astype(np.int64),
        np.ascontiguousarray(table[:, 3]),
    )


def _copied_rows(workspace: Workspace, after: int, upto: int) -> list[tuple[int, int, int, float]]:
    """The copied moves of events after..upto, in event order, as (task, stage index,
    blocker, at) (one query, plain values)."""
    code = Case(
        *[When(stage=name, then=Value(k)) for k, name in enumerate(STAGE_CODES)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = (
        TaskMove.objects.filter(workspace=workspace, event_id__gt=after, event_id__lte=upto)
        .order_by("event_id")
        .values_list("task_id", code, Coalesce("blocker", Value(-1)), "at")
    )
    return plain_rows(rows)


def plain_rows(rows: QuerySet[Any, Any]) -> list[Any]:
    """The query's rows as the database driver returns them: numbers need no conversion,
    and a first read of a long history is a million rows (Django's per-row work would take
    longer than the read)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: no query to run
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


#: what this process has read of the copies, per workspace: (mark row, columns)
_COPIED: dict[int, tuple[int, MoveColumns]] = {}
_ROUNDS: dict[int, tuple[int, RoundColumns]] = {}


@dataclass(frozen=True)
class LogState:
    """What the kept columns check before each use, read in one query: the workspace's
    newest activity event, its number of tasks, and the copy mark (its row, 0: none, and the
    last event copied)."""

    newest: int
    tasks: int
    mark_row: int
    mark: int

    @property
    def copied_all(self) -> bool:
        """Whether the log holds nothing after the copy (no query for it is needed)."""
        return self.newest <= self.mark


def log_state(workspace: Workspace) -> LogState:
    """The workspace's LogState (one query)."""
    from headway.planning.models import Task

    newest = Event.objects.filter(workspace=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    tasks = (
        Task.objects.filter(workspace=OuterRef("pk"))
        .order_by()
        .values("workspace")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mark = CopyMark.objects.filter(workspace=OuterRef("pk")).order_by("pk")
    row = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            newest=Subquery(newest),
            n_tasks=Subquery(tasks),
            mark_row=Subquery(mark.values("pk")[:1]),
            mark=Subquery(mark.values("event_id")[:1]),
        )
        .values_list("newest", "n_tasks", "mark_row", "mark")
        .first()
    )
    return LogState(*(int(x or 0) for x in row)) if row else LogState(0, 0, 0, 0)


def _mark(workspace: Workspace, state: LogState | None = None) -> tuple[int, int]:
    if state is not None:
        return state.mark_row, state.mark
    row = CopyMark.objects.filter(workspace=workspace).values_list("pk", "event_id").first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def copied_columns(workspace: Workspace, state: LogState | None = None) -> MoveColumns:
    """Every copied move of the workspace as columns: read whole once per process, then only
    the rows the job copied since (one indexed query when there are none)."""
    row, mark = _mark(workspace, state)
    _load_copy(workspace, state)
    kept = _COPIED.get(workspace.pk)
    have = kept[1] if kept is not None and kept[0] == row and kept[1].mark <= mark else None
    if have is None:
        have = _moves(_columns([]), 0)
    if have.mark < mark:
        more = _columns(_copied_rows(workspace, have.mark, mark))
        joined = [np.concatenate([old, new]) for old, new in zip(_fields(have), more, strict=True)]
        # ordered by task, then time; moves at the same moment keep the log's order
        order = np.lexsort((joined[3], joined[0]))
        have = _moves([column[order] for column in joined], mark)
    _COPIED[workspace.pk] = (row, have)
    return have


def _moves(parts: Sequence[np.ndarray], mark: int) -> MoveColumns:
    task, stage, blocker, at = parts
    return MoveColumns(task, stage, blocker, at, mark)


def _fields(c: MoveColumns) -> tuple[np.ndarray, ...]:
    return (c.task, c.stage, c.blocker, c.at)


def all_moves(
    workspace: Workspace, *, direct: bool = False, state: LogState | None = None
) -> tuple[MoveColumns, MoveColumns]:
    """Every move of the workspace's tasks: the copied ones (kept in memory, ordered by task
    then time) and the log's after the last event copied (in event order); with `direct`,
    none copied and all read from the log."""
    copied = _moves(_columns([]), 0) if direct else copied_columns(workspace, state)
    index = {name: k for k, name in enumerate(STAGE_CODES)}
    nothing_after = not direct and state is not None and state.copied_all
    tail = [] if nothing_after else sorted(event_moves(workspace, after=copied.mark))
    more = _columns([(t, index.get(s, -1), b, a) for _, (t, s, b, a) in tail])
    return copied, _moves(more, copied.mark)


@dataclass(frozen=True)
class RoundColumns:
    """Approval rounds' starts in event order: request, round, seconds since 1970."""

    request: npt.NDArray[np.int64]
    round: npt.NDArray[np.int64]
    at: npt.NDArray[np.float64]
    mark: int


def _round_rows(
    workspace: Workspace, after: int, upto: int | None, *, log: bool
) -> list[tuple[int, int, float]]:
    if not log:
        copied = RoundStart.objects.filter(workspace=workspace, event_id__gt=after)
        if upto is not None:
            copied = copied.filter(event_id__lte=upto)
        return list(copied.order_by("event_id").values_list("request_id", "round", "at"))
    events = round_start_events(workspace, after)
    out = []
    for req, rnd, at in (
        events.order_by("pk")
        .values_list(KT("changes__request__1"), KT("changes__round__1"), EpochSeconds("created_at"))
        .iterator(chunk_size=20_000)
    ):
        known = req not in (None, "", "null") and rnd not in (None, "", "null")
        if known and int(req) > 0 and int(rnd) > 0:
            out.append((int(req), int(rnd), float(at)))
    return out


def _round_columns(rows: Sequence[tuple[int, int, float]], mark: int) -> RoundColumns:
    return RoundColumns(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.float64),
        mark,
    )


def round_starts(
    workspace: Workspace, *, direct: bool = False, state: LogState | None = None
) -> RoundColumns:
    """Every approval round's start, in event order: the copied ones (kept in memory, read
    again only after the job copied more) and the log's after the last event copied; with
    `direct`, all read from the log."""
    if direct:
        return _round_columns(_round_rows(workspace, 0, None, log=True), 0)
    row, mark = _mark(workspace, state)
    _load_copy(workspace, state)
    kept = _ROUNDS.get(workspace.pk)
    have = kept[1] if kept is not None and kept[0] == row and kept[1].mark <= mark else None
    if have is None:
        have = _round_columns([], 0)
    if have.mark < mark:
        more = _round_columns(_round_rows(workspace, have.mark, mark, log=False), mark)
        have = RoundColumns(
            np.concatenate([have.request, more.request]),
            np.concatenate([have.round, more.round]),
            np.concatenate([have.at, more.at]),
            mark,
        )
    _ROUNDS[workspace.pk] = (row, have)
    if state is not None and state.copied_all:
        return have
    tail = _round_rows(workspace, mark, None, log=True)
    if not tail:
        return have
    more = _round_columns(tail, mark)
    return RoundColumns(
        np.concatenate([have.request, more.request]),
        np.concatenate([have.round, more.round]),
        np.concatenate([have.at, more.at]),
        mark,
    )


#: the plan changes read by this process: ((mark row, time zone), (mark, task ids, local days,
#: seconds since 1970))
_CHANGES: dict[int, tuple[tuple[int, str], tuple[int, np.ndarray, np.ndarray, np.ndarray]]] = {}


def local_days(seconds: npt.NDArray[np.float64], tz: dt.tzinfo) -> npt.NDArray[np.int64]:
    """Each moment's calendar day (days since 1970) in time zone `tz`, as
    moment.astimezone(tz).date() says: the offset is read per hour from the zone's table of
    hours (offsets change on the hour or the quarter hour: the quarters of an hour whose
    offset changes are looked up one by one)."""
    if not seconds.size:
        return np.zeros(0, dtype=np.int64)

    def offsets(buckets: np.ndarray, width: int) -> np.ndarray:
        keys, slot = np.unique(buckets, return_inverse=True)
        found = np.array(
            [
                (dt.datetime.fromtimestamp(int(k) * width, tz).utcoffset() or dt.timedelta(0))
                // dt.timedelta(seconds=1)
                for k in keys.tolist()
            ],
            dtype=np.int64,
        )
        return found[slot]

    whole = np.floor(seconds).astype(np.int64)
    hour = whole // 3600
    here, there = _hour_offsets(hour, tz), _hour_offsets(hour + 1, tz)
    shift = here.copy()
    changing = np.flatnonzero(here != there)
    if changing.size:
        shift[changing] = offsets(whole[changing] // 900, 900)
    return (whole + shift) // 86400


#: per time zone: the first hour (since 1970) of a table of each hour's UTC offset in seconds
_HOUR_OFFSETS: dict[str, tuple[int, npt.NDArray[np.int64]]] = {}
_HOURS_MARGIN = 24 * 60  # hours added on each side when a table is built or widened
_HOURS_SPAN_MAX = 24 * 366 * 30  # hours further apart are looked up one by one


def _hour_offsets(hours: npt.NDArray[np.int64], tz: dt.tzinfo) -> npt.NDArray[np.int64]:
    """The UTC offset in seconds at the start of each hour (hours since 1970) in `tz`, read
    from a table of the zone's hours built once per process (then widened as needed)
    instead of asking the zone for every distinct hour of each request."""

    def offset(hour: int) -> int:
        moment = dt.datetime.fromtimestamp(hour * 3600, tz)
        return (moment.utcoffset() or dt.timedelta(0)) // dt.timedelta(seconds=1)

    lo, hi = int(hours.min()), int(hours.max())
    if hi - lo > _HOURS_SPAN_MAX:
        keys, slot = np.unique(hours, return_inverse=True)
        return np.array([offset(k) for k in keys.tolist()], dtype=np.int64)[slot]
    key = str(tz)
    have = _HOUR_OFFSETS.get(key)
    if have is None or lo < have[0] or hi >= have[0] + have[1].size:
        if have is not None:
            lo, hi = min(lo, have[0]), max(hi, have[0] + have[1].size - 1)
        lo, hi = lo - _HOURS_MARGIN, hi + _HOURS_MARGIN
        have = (lo, np.array([offset(k) for k in range(lo, hi + 1)], dtype=np.int64))
        _HOUR_OFFSETS[key] = have
    return have[1][hours - have[0]]


def plan_changes(
    workspace: Workspace, *, direct: bool = False, state: LogState | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(task ids, local days) of every plan change: the copied ones (kept in memory) and the
    log's after the last event copied; with `direct`, all read from the log."""
    tz = workspace.tzinfo
    row, mark = (0, 0) if direct else _mark(workspace, state)
    key = (row, str(tz))
    if not direct:
        _load_copy(workspace, state)
    kept = _CHANGES.get(workspace.pk)
    none = np.zeros(0, np.int64)
    if direct or kept is None or kept[0] != key or kept[1][0] > mark:
        have: tuple[int, np.ndarray, np.ndarray, np.ndarray] = (0, none, none, none + 0.0)
    else:
        have = kept[1]
    if have[0] < mark:
        rows = PlanChange.objects.filter(
            workspace=workspace, event_id__gt=have[0], event_id__lte=mark
        ).values_list("task_id", "at")
        got = np.array(plain_rows(rows), dtype=np.float64).reshape(-1, 2)
        have = (
            mark,
            np.concatenate([have[1], got[:, 0].astype(np.int64)]),
            np.concatenate([have[2], local_days(got[:, 1], tz)]),
            np.concatenate([have[3], got[:, 1]]),
        )
    if not direct:
        _CHANGES[workspace.pk] = (key, have)
    nothing_after = not direct and state is not None and state.copied_all
    tail = [] if nothing_after else _logged_changes(workspace, have[0])
    if not tail:
        return have[1], have[2]
    tasks = np.array([t for t, _ in tail], dtype=np.int64)
    days = np.array([(at.astimezone(tz).date() - dt.date(1970, 1, 1)).days for _, at in tail])
    return np.concatenate([have[1], tasks]), np.concatenate([have[2], days.astype(np.int64)])


def _logged_changes(workspace: Workspace, after: int) -> list[tuple[int, dt.datetime]]:
    """The plan changes in the log after event `after`: (task id, moment)."""
    events = (
        plan_change_events(workspace, after)
        .order_by("pk")
        .values_list("object_type", "object_id", "changes", "created_at")
    )
    out = []
    for kind, object_id, changes, created in events.iterator(chunk_size=5000):
        if kind == "planning.dependency":
            successor = (changes or {}).get("successor") or [None, None]
            object_id = str(successor[-1])
        if object_id.isdigit():
            out.append((int(object_id), created))
    return out


def forget_columns() -> None:
    """Drops the columns kept in memory (tests whose database is rolled back between them)."""
    _COPIED.clear()
    _ROUNDS.clear()
    _CHANGES.clear()
    _TASKS.clear()
    _LINKS.clear()
    _LOADED.clear()
    _DECISIONS.clear()


# -- the tasks and their links as columns, kept in memory --------------------------------------


class EpochMicros(Func):
    """A timestamp column read as whole microseconds since 1970 (exact, unlike julianday's
    milliseconds), so tasks' times compare exactly with a period's bounds."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; the whole seconds are read from
        # the first 19 characters (strftime rounds a time 0.9995 s past a second up to it)
        template = (
            "(CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s || '.000000', 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)


class EpochDays(Func):
    """A date column read as whole days since 1970 (no date object made per row)."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(%(expressions)s - DATE '1970-01-01')"
        return self.as_sql(compiler, connection, template=template, **extra)


EPOCH_MOMENT = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def moment(micros_since_1970: int | None) -> dt.datetime | None:
    """A moment read as EpochMicros, as the aware UTC datetime Django would give."""
    if micros_since_1970 is None:
        return None
    return EPOCH_MOMENT + dt.timedelta(microseconds=micros_since_1970)


def micros(moment: dt.datetime) -> int:
    """A moment as whole microseconds since 1970."""
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class TaskColumns:
    """The workspace's tasks and milestones ordered by id: whether a task (not a milestone),
    campaign, owner (-1), channel (-1), due day since 1970 (nan), created and done in
    microseconds since 1970 (done -1)."""

    ids: npt.NDArray[np.int64]
    task: npt.NDArray[np.bool_]
    campaign: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int64]
    channel: npt.NDArray[np.int64]
    due: npt.NDArray[np.float64]
    created: npt.NDArray[np.int64]
    done: npt.NDArray[np.int64]


_TASKS: dict[int, tuple[tuple[int, int], TaskColumns]] = {}  # (newest event, tasks) read
_LINKS: dict[int, tuple[int, tuple[np.ndarray, np.ndarray]]] = {}


def _newest_event(workspace: Workspace) -> int:
    last = Event.objects.filter(workspace=workspace).order_by("-pk").values_list("pk", flat=True)
    return int(last.first() or 0)


def _task_rows(workspace: Workspace, ids: Sequence[int] | None) -> TaskColumns:
    from headway.planning.models import Task, TaskKind

    tasks = Task.objects.filter(workspace=workspace)
    if ids is not None:
        tasks = tasks.filter(pk__in=list(ids))
    is_task = Case(When(kind=TaskKind.TASK, then=Value(1)), default=Value(0))
    rows = plain_rows(
        tasks.order_by("pk").values_list(
            "pk",
            is_task,
            "campaign_id",
            Coalesce("owner_id", Value(-1)),
            Coalesce("channel_id", Value(-1)),
            EpochDays("due_date"),
            EpochMicros("created_at"),
            Coalesce(EpochMicros("done_at"), Value(-1)),
        )
    )
    # microseconds since 1970 are beyond a float's exact integers: read apart from the rest
    small = np.array([r[:6] for r in rows], dtype=np.float64).reshape(-1, 6)
    times = np.array([r[6:] for r in rows], dtype=np.int64).reshape(-1, 2)
    return TaskColumns(
        ids=small[:, 0].astype(np.int64),
        task=small[:, 1] > 0,
        campaign=small[:, 2].astype(np.int64),
        owner=small[:, 3].astype(np.int64),
        channel=small[:, 4].astype(np.int64),
        due=np.ascontiguousarray(small[:, 5]),  # nan: none
        created=np.ascontiguousarray(times[:, 0]),
        done=np.ascontiguousarray(times[:, 1]),
    )


def _merged(old: TaskColumns, ids: Sequence[int], new: TaskColumns) -> TaskColumns:
    """`old` with the tasks `ids` replaced by their rows in `new` (absent there: removed)."""
    names = [f.name for f in fields(TaskColumns)]
    keep = ~np.isin(old.ids, np.asarray(list(ids), dtype=np.int64))
    joined = {n: np.concatenate([getattr(old, n)[keep], getattr(new, n)]) for n in names}
    order = np.argsort(joined["ids"], kind="stable")
    return TaskColumns(**{n: joined[n][order] for n in names})


def task_columns(workspace: Workspace, state: LogState | None = None) -> TaskColumns:
    """The workspace's tasks as columns, kept in memory: every change to a task is logged,
    so after new activity only the tasks the new events name are read again (the whole set
    when their number no longer adds up, e.g. after a removal that logged nothing)."""
    from headway.planning.models import Task

    if state is None:
        newest = _newest_event(workspace)
        count = Task.objects.filter(workspace=workspace).count()
    else:
        newest, count = state.newest, state.tasks
    _load_copy(workspace, state)
    kept = _TASKS.get(workspace.pk)
    if kept is not None and kept[0] == (newest, count):
        return kept[1]
    cols = None
    if kept is not None and kept[0][0] < newest:
        named = (
            Event.objects.filter(
                workspace=workspace, pk__gt=kept[0][0], object_type="planning.task"
            )
            .values_list("object_id", flat=True)
            .distinct()
        )
        ids = [int(x) for x in named if x.isdigit()]
        cols = _merged(kept[1], ids, _task_rows(workspace, ids)) if ids else kept[1]
        if cols.ids.size != count:
            cols = None
    if cols is None:
        cols = _task_rows(workspace, None)
    _TASKS[workspace.pk] = ((newest, count), cols)
    return cols


def dependency_columns(
    workspace: Workspace, state: LogState | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(predecessor ids, successor ids) of the workspace's links, kept in memory and read
    again when the log has a link added or removed since."""
    from headway.planning.models import Dependency

    newest = _newest_event(workspace) if state is None else state.newest
    _load_copy(workspace, state)
    kept = _LINKS.get(workspace.pk)
    if kept is not None:
        if kept[0] == newest:
            return kept[1]
        changed = Event.objects.filter(
            workspace=workspace, pk__gt=kept[0], object_type="planning.dependency"
        )
        if not changed.exists():
            _LINKS[workspace.pk] = (newest, kept[1])
            return kept[1]
    links = Dependency.objects.filter(workspace=workspace)
    pairs = np.array(list(links.values_list("predecessor_id", "successor_id")), dtype=np.int64)
    pred, succ = (pairs[:, 0], pairs[:, 1]) if pairs.size else (pairs, pairs)
    _LINKS[workspace.pk] = (newest, (pred, succ))
    return pred, succ


def campaigns_on_channel(workspace: Workspace, channel: int) -> npt.NDArray[np.int64]:
    """The workspace's campaigns running on `channel` (one query)."""
    from headway.planning.models import Campaign

    ids = Campaign.channels.through.objects.filter(
        channel_id=channel, campaign__workspace=workspace
    ).values_list("campaign_id", flat=True)
    return np.array(list(ids), dtype=np.int64)


# -- the kept columns as one stored row -------------------------------------------------------

#: the layout of ColumnsCopy.data: raise it when the arrays stored change
COPY_VERSION = 1
_LOADED: set[int] = set()  # workspaces whose stored copy this process has looked for


def columns_blob(workspace: Workspace, state: LogState) -> bytes:
    """The workspace's kept columns as of `state` (the copied moves, rounds' starts and plan
    changes up to the copy mark, the tasks and links as of its newest event), as one npz
    file for ColumnsCopy (written by the rollup job)."""
    moves = copied_columns(workspace, state)
    round_starts(workspace, state=state)
    plan_changes(workspace, state=state)
    rounds = _ROUNDS[workspace.pk][1]
    changes = _CHANGES[workspace.pk][1]
    tasks = task_columns(workspace, state)
    pred, succ = dependency_columns(workspace, state)
    arrays = {
        "m_task": moves.task,
        "m_stage": moves.stage,
        "m_blocker": moves.blocker,
        "m_at": moves.at,
        "r_request": rounds.request,
        "r_round": rounds.round,
        "r_at": rounds.at,
        "c_task": changes[1],
        "c_at": changes[3],
        "l_pred": pred,
        "l_succ": succ,
        **{f"t_{f.name}": getattr(tasks, f.name) for f in fields(TaskColumns)},
    }
    out = io.BytesIO()
    np.savez(out, **{name: _narrow(a) for name, a in arrays.items()})  # type: ignore[arg-type]
    return out.getvalue()


def _narrow(a: np.ndarray) -> np.ndarray:
    """Ids stored in 32 bits when they fit (read back as 64: the row is a third smaller)."""
    small = np.iinfo(np.int32)
    if a.dtype == np.int64 and (not a.size or (a.min() >= small.min and a.max() <= small.max)):
        return a.astype(np.int32)
    return a


def _copy_row(workspace: Workspace) -> list[Any]:
    """The workspace's stored columns row (mark row, mark, newest, tasks, data), if any; on
    PostgreSQL the data is sent in binary (as text it is hex, twice the size)."""
    from headway.insights.models import ColumnsCopy

    rows = ColumnsCopy.objects.filter(workspace=workspace, version=COPY_VERSION).values_list(
        "mark_row", "mark", "newest", "tasks", "data"
    )
    if connection.vendor != "postgresql":
        return plain_rows(rows)
    import psycopg

    sql, params = rows.query.sql_with_params()
    connection.ensure_connection()
    # Django's cursors bind on the client, which cannot ask for binary results
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return list(cursor.fetchall())


def _load_copy(workspace: Workspace, state: LogState | None) -> None:
    """Once per process and workspace: the kept columns from the row the rollup job stored
    (one query), when it was copied under the current copy mark; what changed since is then
    read as for columns this process kept itself."""
    if workspace.pk in _LOADED:
        return
    _LOADED.add(workspace.pk)
    state = state or log_state(workspace)
    row = _copy_row(workspace)
    if not row:
        return
    mark_row, mark, newest, count, data = row[0]
    if mark_row != state.mark_row or mark > state.mark or newest > state.newest:
        return  # the copies were made again since, or the log is not the one it read
    a: dict[str, np.ndarray] = {}
    with np.load(io.BytesIO(bytes(data))) as npz:
        for name in npz.files:
            column = npz[name]
            a[name] = column.astype(np.int64) if column.dtype == np.int32 else column
    pk = workspace.pk
    _COPIED.setdefault(
        pk, (mark_row, MoveColumns(a["m_task"], a["m_stage"], a["m_blocker"], a["m_at"], mark))
    )
    _ROUNDS.setdefault(pk, (mark_row, RoundColumns(a["r_request"], a["r_round"], a["r_at"], mark)))
    tz = workspace.tzinfo
    days = local_days(a["c_at"], tz)
    _CHANGES.setdefault(pk, ((mark_row, str(tz)), (mark, a["c_task"], days, a["c_at"])))
    tasks = TaskColumns(**{f.name: a[f"t_{f.name}"] for f in fields(TaskColumns)})
    _TASKS.setdefault(pk, ((newest, count), tasks))
    _LINKS.setdefault(pk, (newest, (a["l_pred"], a["l_succ"])))


# -- the approval decisions as columns, kept in memory -----------------------------------------

#: per workspace: (what they were checked against, decisions' times in microseconds, rows)
_DECISIONS: dict[int, tuple[tuple[Any, ...], np.ndarray, np.ndarray]] = {}

#: the columns of decision_rows' rows
DECISION_COLUMNS = (
    "request_id",
    "round",
    "step",
    "approver_id",
    "created_at",
    "request__chain_id",
    "request__round",
    "request__waiting_since",
    "request__created_at",
)


def decision_query(decisions: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """The decisions' rows as decision_rows gives them (DECISION_COLUMNS, moments as seconds
    since 1970, no approver as -1), then their time in microseconds and id."""
    return decisions.order_by().values_list(
        "request_id",
        "round",
        "step",
        Coalesce("approver_id", Value(-1)),
        EpochSeconds("created_at"),
        "request__chain_id",
        "request__round",
        EpochSeconds("request__waiting_since"),
        EpochSeconds("request__created_at"),
        EpochMicros("created_at"),
        "pk",
    )


def ordered_decisions(rows: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """decision_query's rows in the decisions' order (time, then id): (times in
    microseconds, the rows' first nine columns as floats)."""
    table = np.array(rows, dtype=np.float64).reshape(-1, 11)
    order = np.lexsort((table[:, 10], table[:, 9]))
    at = np.array([rows[k][9] for k in order.tolist()], dtype=np.int64)
    return at, np.ascontiguousarray(table[order, :9])


def _decisions_key(workspace: Workspace, state: LogState) -> tuple[Any, ...]:
    """What the kept decisions are checked against (one query): the newest event (every
    decision and request change is logged) and, for a change that logged nothing, how many
    decisions name an approver (a decision removed, or its approver), the last decision
    and the requests' last change (a request saved)."""
    from headway.approvals.models import ApprovalRequest, Decision

    decisions = (
        Decision.objects.filter(request__workspace=OuterRef("pk"))
        .order_by()
        .values("request__workspace")
    )
    requests = (
        ApprovalRequest.objects.filter(workspace=OuterRef("pk")).order_by().values("workspace")
    )

    def one(rows: QuerySet[Any, Any], value: Any) -> Subquery:
        return Subquery(rows.annotate(v=value).values("v"))

    row = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            d_who=one(decisions, Count("approver_id")),
            d_last=one(decisions, Max("pk")),
            r_changed=one(requests, Max("updated_at")),
        )
        .values_list("d_who", "d_last", "r_changed")
        .first()
    )
    d_who, d_last, r_changed = row or (0, 0, None)
    return (state.newest, int(d_who or 0), int(d_last or 0), r_changed)


def decision_rows(
    workspace: Workspace, state: LogState | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every approval decision on a task of the workspace, in order (time, then id), kept in
    memory while nothing changed: (times in microseconds, rows of DECISION_COLUMNS as floats:
    moments in seconds since 1970, no approver -1)."""
    from headway.approvals.models import Decision

    state = state or log_state(workspace)
    key = _decisions_key(workspace, state)
    kept = _DECISIONS.get(workspace.pk)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    decisions = Decision.objects.filter(request__workspace=workspace, request__task__isnull=False)
    at, rows = ordered_decisions(plain_rows(decision_query(decisions)))
    _DECISIONS[workspace.pk] = (key, at, rows)
    return at, rows
