"""Background work for approvals: the sweep that sends reminders and escalations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from headway.approvals.services import approvals_sweep
from headway.core.tasks import retried_task


@retried_task()
def approvals_sweep_job(*, again: bool = True) -> str:
    """Sweeps once, then queues the next sweep (every APPROVAL_SWEEP_MINUTES)."""
    reminders, escalations = approvals_sweep(timezone.now())
    if again:
        minutes = getattr(settings, "APPROVAL_SWEEP_MINUTES", 5)
        approvals_sweep_job.using(run_after=timezone.now() + dt.timedelta(minutes=minutes)).enqueue(
            again=True
        )
    return f"{reminders} reminders, {escalations} escalations"
