"""Tasks' status moves for the flow figures: the ones the rollup job copied (TaskMove) and,
after the last one it copied, the activity log itself, so a reader always sees every move
whether or not the job has caught up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import FloatField, Func, Max, Q
from django.db.models.fields.json import KT

from headway.activity.models import Event, Verb
from headway.insights.models import TaskMove
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
    """The last activity event whose moves are copied (0: none)."""
    last = TaskMove.objects.filter(workspace=workspace).aggregate(m=Max("event_id"))["m"]
    return int(last or 0)


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
    q = Event.objects.filter(workspace=workspace, object_type="planning.task", pk__gt=after)
    if upto is not None:
        q = q.filter(pk__lte=upto)
    if since is not None:
        q = q.filter(created_at__gte=since)
    if end is not None:
        q = q.filter(created_at__lt=end)
    rows = (
        q.filter(Q(verb=Verb.CREATED) | Q(changes__has_key="status"))
        .order_by()
        .values_list(
            "pk",
            "object_id",
            "verb",
            KT("changes__status__1"),
            KT("changes__blocked_on__1"),
            EpochSeconds("created_at"),
        )
    )
    for pk, object_id, verb, status, blocker, at in rows.iterator(chunk_size=20000):
        if not object_id.isdigit():
            continue
        stage = "not_started" if verb == Verb.CREATED else (status or "")
        who = int(blocker) if blocker not in (None, "", "null") else -1
        yield pk, (int(object_id), stage, who, at)


def task_moves(workspace: Workspace, since: dt.datetime, end: dt.datetime) -> Iterator[Move]:
    """Every task creation and status change made in since..end: copied rows, then the log
    after the last copied event."""
    mark = copied_up_to(workspace)
    if mark:
        copied = TaskMove.objects.filter(
            workspace=workspace, at__gte=since.timestamp(), at__lt=end.timestamp()
        ).order_by()
        for task, stage, blocker, at in copied.values_list(
            "task_id", "stage", "blocker", "at"
        ).iterator(chunk_size=20000):
            yield task, stage, -1 if blocker is None else blocker, at
    for _, move in event_moves(workspace, after=mark, since=since, end=end):
        yield move
