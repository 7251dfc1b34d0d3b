"""Background work for the weekly check-in: the agenda emailed to the managers before it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from headway.core.tasks import retried_task
from headway.insights.services.checkins import checkins_send_agendas

AGENDA_SWEEP_MINUTES = 30


@retried_task()
def checkin_agendas_job(*, again: bool = True) -> str:
    """Sends the agendas of the check-ins starting soon, then queues the next sweep."""
    sent = checkins_send_agendas(timezone.now())
    if again:
        checkin_agendas_job.using(
            run_after=timezone.now() + dt.timedelta(minutes=AGENDA_SWEEP_MINUTES)
        ).enqueue(again=True)
    return f"{sent} agenda{'s' if sent != 1 else ''} sent"
