from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from headway.activity.models import Event, Verb
from headway.conftest import Team, client_for
from headway.core.tasks import retried_task, retry_delay

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[int] = []


@retried_task(max_attempts=3)
def flaky_job(*, workspace_id: int, fail_times: int) -> str:
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise RuntimeError(f"upstream refused (call {len(CALLS)})")
    return "done"


def _run_due_jobs() -> None:
    call_command("worker", "--batch")


def _make_due() -> None:
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_retry_delay_doubles(settings) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


def test_a_failed_job_is_retried_with_backoff_and_shown_to_admins(team: Team) -> None:
    CALLS.clear()
    flaky_job.enqueue(workspace_id=team.workspace.pk, fail_times=1)
    before = timezone.now()
    _run_due_jobs()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "upstream refused" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after >= before + dt.timedelta(seconds=25)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    event = Event.objects.get(workspace=team.workspace, verb=Verb.TASK_FAILED)
    assert event.changes["attempt"] == [None, 1]
    page = client_for(team.admin).get(f"/w/{team.workspace.slug}/background/").content.decode()
    assert "RuntimeError: upstream refused (call 1)" in page
    _make_due()
    _run_due_jobs()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_a_job_gives_up_after_its_last_attempt(team: Team) -> None:
    CALLS.clear()
    flaky_job.enqueue(workspace_id=team.workspace.pk, fail_times=10)
    for _ in range(4):
        _make_due()
        _run_due_jobs()
    assert len(CALLS) == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    last = Event.objects.filter(verb=Verb.TASK_FAILED).order_by("-created_at", "-id").first()
    assert last is not None and last.changes["retry_at"] == [None, None]
