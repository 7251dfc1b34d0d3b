"""Reads of the background job queue (django-tasks' database backend) for the operators' page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, DateTimeField, F, Max, Min, Q, QuerySet, When
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

# A job due this long ago and not started means no worker is taking jobs.
STALLED_AFTER = dt.timedelta(minutes=1)
ROWS_SHOWN = 100

JOB_LABELS = {
    "headway.core.tasks.send_email_job": "Email",
    "headway.approvals.tasks.approvals_sweep_job": "Approval reminders and escalations",
    "headway.insights.health_jobs.campaign_health_job": "Campaign health",
    "headway.insights.health_jobs.health_sweep_job": "Open campaigns health, overdue escalations",
    "headway.insights.checkin_jobs.checkin_agendas_job": "Check-in agendas to managers",
    "headway.insights.rollup_jobs.diagnosis_rollups_job": "Flow, where work waits, scorecard",
}


@dataclass(frozen=True)
class JobRow:
    label: str
    detail: str
    status: str  # "running", "waiting" (due now) or "scheduled" (due later)
    since: dt.datetime  # started, due, or to run at
    attempt: int


@dataclass(frozen=True)
class QueueState:
    running: int
    waiting: int
    scheduled: int
    oldest_wait: dt.timedelta | None  # how long the longest-waiting due job has waited
    rows: list[JobRow]
    stalled: bool  # some job, in any workspace, is overdue: no worker seems to run
    last_started: dt.datetime | None  # when any worker last started a job

    @property
    def oldest_wait_words(self) -> str:
        return duration_words(self.oldest_wait) if self.oldest_wait is not None else ""


def duration_words(delta: dt.timedelta) -> str:
    """A wait in the largest sensible units: "40 seconds", "12 minutes", "3 hours 5 minutes"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 90:
        return _plural(seconds, "second")
    minutes = seconds // 60
    if minutes < 90:
        return _plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _plural(hours, "hour") + (f" {_plural(minutes, 'minute')}" if minutes else "")
    return _plural(hours // 24, "day")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _with_due(qs: QuerySet[DBTaskResult]) -> QuerySet[DBTaskResult]:
    # A job queued to run at once carries the far-future date as its run_after.
    return qs.annotate(
        due_at=Case(
            When(run_after=get_date_max(), then=F("enqueued_at")),
            default=F("run_after"),
            output_field=DateTimeField(),
        )
    )


def _for_workspace(workspace_id: int) -> QuerySet[DBTaskResult]:
    """The workspace's jobs, and the jobs that serve every workspace (they name none)."""
    return DBTaskResult.objects.filter(
        Q(args_kwargs__kwargs__workspace_id=workspace_id)
        | ~Q(args_kwargs__kwargs__has_key="workspace_id")
    )


def queue_state(workspace_id: int, now: dt.datetime) -> QueueState:
    """Queued and running jobs of one workspace, and whether a worker seems to be running."""
    open_jobs = _with_due(
        _for_workspace(workspace_id).filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
    )
    ready = Q(status=TaskResultStatus.READY)
    counts = open_jobs.aggregate(
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        waiting=Count("pk", filter=ready & Q(due_at__lte=now)),
        scheduled=Count("pk", filter=ready & Q(due_at__gt=now)),
        oldest=Min("due_at", filter=ready & Q(due_at__lte=now)),
    )
    everywhere = _with_due(DBTaskResult.objects.all()).aggregate(
        overdue=Count("pk", filter=ready & Q(due_at__lte=now - STALLED_AFTER)),
        last_started=Max("started_at"),
    )
    rows = [
        _row(job, now)
        # RUNNING sorts after READY, so descending lists running jobs first.
        for job in open_jobs.order_by(F("status").desc(), F("due_at").asc())[:ROWS_SHOWN]
    ]
    return QueueState(
        running=counts["running"],
        waiting=counts["waiting"],
        scheduled=counts["scheduled"],
        oldest_wait=now - counts["oldest"] if counts["oldest"] else None,
        rows=rows,
        stalled=everywhere["overdue"] > 0,
        last_started=everywhere["last_started"],
    )


def _row(job: DBTaskResult, now: dt.datetime) -> JobRow:
    kwargs = (job.args_kwargs or {}).get("kwargs", {})
    due = job.enqueued_at if job.run_after == get_date_max() else job.run_after
    if job.status == TaskResultStatus.RUNNING:
        status, since = "running", job.started_at or due
    else:
        status, since = ("waiting" if due <= now else "scheduled"), due
    detail = str(kwargs.get("subject", ""))[:120]
    if kwargs.get("to"):
        detail += f" → {len(kwargs['to'])} recipient{'s' if len(kwargs['to']) != 1 else ''}"
    return JobRow(
        label=JOB_LABELS.get(job.task_path, job.task_path.rsplit(".", 1)[-1]),
        detail=detail,
        status=status,
        since=since,
        attempt=int(kwargs.get("attempt", 1)),
    )
