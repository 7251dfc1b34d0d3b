"""Copying the activity log's task moves into TaskMove, incrementally: each run reads only
the events after the last one copied."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from headway.activity.models import Event
from headway.insights.models import TaskMove
from headway.insights.selectors.moves import copied_up_to, event_moves
from headway.workspaces.models import Workspace

#: Events newer than this are left for the next run: an event whose transaction commits
#: late gets a lower id than one already copied and would be passed over for good.
SETTLE = dt.timedelta(minutes=2)
_BATCH = 5000
WINDOW = 50_000  # event ids per transaction


def task_moves_copy(workspace: Workspace, now: dt.datetime | None = None) -> int:
    """Copies the moves of the events made up to SETTLE ago, WINDOW events per transaction
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
        rows = [
            TaskMove(
                workspace=workspace,
                event_id=pk,
                task_id=task,
                stage=stage[:20],
                blocker=None if blocker < 0 else blocker,
                at=at,
            )
            for pk, (task, stage, blocker, at) in event_moves(workspace, after=start, upto=stop)
        ]
        with transaction.atomic():
            TaskMove.objects.bulk_create(rows, batch_size=_BATCH)
        copied += len(rows)
        start = stop
    return copied
