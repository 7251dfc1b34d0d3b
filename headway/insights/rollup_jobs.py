"""Background work for the diagnosis pages: every few minutes, each workspace's new task
moves are copied (and its kept columns stored as one row, ColumnsCopy, when due), and each
workspace with activity newer than its stored figures (or a new day, which moves the default
period) has its flow, where-work-waits and scorecard figures recomputed and stored."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from headway.core.tasks import retried_task
from headway.insights.services.rollups import diagnosis_rollups_refresh
from headway.workspaces.models import Workspace


@retried_task()
def diagnosis_rollups_job(*, again: bool = True) -> str:
    """Refreshes the stored diagnosis figures that are out of date, then queues the next run
    (every DIAGNOSIS_ROLLUP_MINUTES, default 10)."""
    now = timezone.now()
    refreshed = sum(len(diagnosis_rollups_refresh(w, now)) for w in Workspace.objects.all())
    if again:
        minutes = getattr(settings, "DIAGNOSIS_ROLLUP_MINUTES", 10)
        diagnosis_rollups_job.using(run_after=now + dt.timedelta(minutes=minutes)).enqueue(
            again=True
        )
    return f"{refreshed} diagnosis page{'s' if refreshed != 1 else ''} recomputed"
