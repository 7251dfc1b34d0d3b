"""Copying the activity log's task moves into TaskMove, incrementally: each run reads only
the events after the last one copied. The copy is one INSERT ... SELECT per window of events,
done by the database (no rows pass through Python), and idempotent: a move already copied
(two overlapping runs) is skipped by the (workspace, event) unique constraint."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    DateTimeField,
    IntegerField,
    Model,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, NullIf, Substr

from headway.activity.models import Event, Verb
from headway.insights.models import ColumnsCopy, CopyMark, PlanChange, RoundStart, TaskMove
from headway.insights.selectors.moves import (
    COPY_VERSION,
    EpochSeconds,
    columns_blob,
    copied_up_to,
    log_state,
    move_events,
    plan_change_events,
    round_start_events,
)
from headway.workspaces.models import Workspace

#: Events newer than this are left for the next run: an event whose transaction commits
#: late gets a lower id than one already copied and would be passed over for good.
SETTLE = dt.timedelta(minutes=2)
WINDOW = 50_000  # event ids per transaction
#: The stored columns (ColumnsCopy) are written again at most this often: a new process
#: reads the moves copied since from TaskMove, so they need not follow every run.
COPY_EVERY = dt.timedelta(minutes=30)

_COLUMNS = ("workspace_id", "event_id", "task_id", "stage", "blocker", "at")


def _numeric_object_id() -> str:
    """SQL true when the event's object id is a task id (digits only), per database."""
    table, name = (connection.ops.quote_name(n) for n in (Event._meta.db_table, "object_id"))
    column = f"{table}.{name}"
    if connection.vendor == "postgresql":
        return f"{column} ~ '^[0-9]+$'"
    return f"{column} <> '' AND {column} NOT GLOB '*[^0-9]*'"


def _insert_window(workspace: Workspace, after: int, upto: int, now: dt.datetime) -> int:
    """Copies the moves of events after..upto in one statement; the number inserted."""
    moves = (
        move_events(workspace, after, upto)
        .extra(where=[_numeric_object_id()])
        .order_by()
        .annotate(
            m_task=Cast("object_id", BigIntegerField()),
            m_stage=Case(
                When(verb=Verb.CREATED, then=Value("not_started")),
                default=Coalesce(Substr(KT("changes__status__1"), 1, 20), Value("")),
            ),
            m_blocker=Cast(NullIf(KT("changes__blocked_on__1"), Value("")), BigIntegerField()),
            m_at=EpochSeconds("created_at"),
            m_made=Value(now, output_field=DateTimeField()),
        )
        .values_list(
            "workspace_id", "pk", "m_task", "m_stage", "m_blocker", "m_at", "m_made", "m_made"
        )
    )
    return _insert(TaskMove, _COLUMNS, moves)


def _insert(model: type[Model], columns: tuple[str, ...], rows: QuerySet[Any, Any]) -> int:
    """INSERT INTO model's table (columns, created_at, updated_at) the rows' SELECT, skipping
    events already copied; the number inserted."""
    select, params = rows.query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(c) for c in (*columns, "created_at", "updated_at"))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) {select} ON CONFLICT (workspace_id, event_id) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _insert_round_starts(workspace: Workspace, after: int, upto: int, now: dt.datetime) -> int:
    """Copies the approval rounds' starts among events after..upto (one statement)."""
    request = Cast(KT("changes__request__1"), BigIntegerField())
    rnd = Cast(KT("changes__round__1"), IntegerField())
    starts = (
        round_start_events(workspace, after, upto)
        .order_by()
        .annotate(r_request=request, r_round=rnd)
        .filter(r_request__gt=0, r_round__gt=0)
        .annotate(r_at=EpochSeconds("created_at"), r_made=Value(now, output_field=DateTimeField()))
        .values_list("workspace_id", "pk", "r_request", "r_round", "r_at", "r_made", "r_made")
    )
    columns = ("workspace_id", "event_id", "request_id", "round", "at")
    return _insert(RoundStart, columns, starts)


def _insert_plan_changes(workspace: Workspace, after: int, upto: int, now: dt.datetime) -> int:
    """Copies the plan changes among events after..upto (one statement): tasks added, edited
    other than a status move, or removed, and links added or removed (for their successor)."""
    task = Case(
        When(
            object_type="planning.dependency",
            then=Cast(NullIf(KT("changes__successor__1"), Value("")), BigIntegerField()),
        ),
        default=Cast("object_id", BigIntegerField()),
    )
    changes = (
        plan_change_events(workspace, after, upto)
        .extra(where=[_numeric_object_id()])
        .order_by()
        .annotate(c_task=task)
        .filter(c_task__isnull=False)
        .annotate(c_at=EpochSeconds("created_at"), c_made=Value(now, output_field=DateTimeField()))
        .values_list("workspace_id", "pk", "c_task", "c_at", "c_made", "c_made")
    )
    return _insert(PlanChange, ("workspace_id", "event_id", "task_id", "at"), changes)


def task_moves_copy(workspace: Workspace, now: dt.datetime | None = None) -> int:
    """Copies the moves (and the approval rounds' starts, RoundStart, and the plan changes,
    PlanChange) of the events made up to SETTLE ago, WINDOW events per transaction
    (a first copy of a long history holds SQLite's write lock for seconds at a time, not
    minutes); the number copied."""
    now = now or dt.datetime.now(dt.UTC)
    upto = (
        Event.objects.filter(workspace=workspace, created_at__lt=now - SETTLE)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    start = copied_up_to(workspace)
    copied = 0
    while upto is not None and start < upto:
        stop = min(start + WINDOW, upto)
        with transaction.atomic():
            copied += _insert_window(workspace, start, stop, now)
            _insert_round_starts(workspace, start, stop, now)
            _insert_plan_changes(workspace, start, stop, now)
            mark, _ = CopyMark.objects.get_or_create(workspace=workspace)
            # an overlapping run may be further on: the mark only moves forward
            CopyMark.objects.filter(pk=mark.pk, event_id__lt=stop).update(
                event_id=stop, updated_at=now
            )
        start = stop
    return copied


def columns_copy_store(
    workspace: Workspace, now: dt.datetime | None = None, *, force: bool = False
) -> bool:
    """Stores the workspace's kept columns (selectors.moves.columns_blob) as its ColumnsCopy
    when the copy mark moved since the stored one and that one is older than COPY_EVERY, or
    it was made under another copy mark or layout; whether it stored."""
    now = now or dt.datetime.now(dt.UTC)
    state = log_state(workspace)
    if not state.mark_row:
        return False  # nothing copied yet
    row = (
        ColumnsCopy.objects.filter(workspace=workspace)
        .values_list("mark_row", "mark", "version", "updated_at")
        .first()
    )
    if (
        not force
        and row is not None
        and (row[0], row[2]) == (state.mark_row, COPY_VERSION)
        and (row[1] >= state.mark or row[3] > now - COPY_EVERY)
    ):
        return False
    ColumnsCopy.objects.update_or_create(
        workspace=workspace,
        defaults={
            "mark_row": state.mark_row,
            "mark": state.mark,
            "newest": state.newest,
            "tasks": state.tasks,
            "version": COPY_VERSION,
            "data": columns_blob(workspace, state),
        },
    )
    return True
