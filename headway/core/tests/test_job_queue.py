"""The background work page shows queued and running jobs, and says when no worker runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from headway.approvals.tasks import approvals_sweep_job
from headway.conftest import Team, client_for
from headway.core.job_queue import duration_words, queue_state
from headway.core.tasks import send_email_job

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _email(team: Team, subject: str) -> None:
    send_email_job.enqueue(
        subject=subject, body="…", to=["a@example.com"], workspace_id=team.workspace.pk
    )


def _page(team: Team) -> str:
    response = client_for(team.admin).get(f"/w/{team.workspace.slug}/background/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_queued_jobs_are_listed_with_counts_and_the_oldest_wait(
    team: Team, other_team: Team
) -> None:
    # given: two emails of this workspace, one of another, and the sweep due in five minutes
    with time_machine.travel(T0, tick=False):
        _email(team, "Approval needed: Spring banner")
        _email(other_team, "Approval needed: Beta secret")
        approvals_sweep_job.using(run_after=T0 + dt.timedelta(minutes=5)).enqueue(again=True)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        _email(team, "Approval needed: Autumn banner")
    # when: an admin looks three minutes after the first was queued
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        page = _page(team)
        state = queue_state(team.workspace.pk, timezone.now())
    # then
    assert (state.waiting, state.scheduled, state.running) == (2, 1, 0)
    assert state.oldest_wait == dt.timedelta(minutes=3)
    assert "Spring banner" in page and "Autumn banner" in page and "oldest 3 minutes" in page
    assert "Beta secret" not in page
    assert "Approval reminders and escalations" in page and "runs at" in page
    assert "No worker seems to be running" in page and "headway worker" in page


@pytest.mark.django_db
def test_a_running_job_is_shown_as_running(team: Team) -> None:
    _email(team, "Approval needed: Now")
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    state = queue_state(team.workspace.pk, timezone.now())
    assert (state.running, state.waiting) == (1, 0)
    assert [r.status for r in state.rows] == ["running"]
    assert "No worker seems to be running" not in _page(team)


@pytest.mark.django_db
def test_an_empty_queue_says_what_to_do_when_no_worker_ever_ran(team: Team) -> None:
    page = _page(team)
    assert "Nothing is queued or running" in page
    assert "No worker has run a job yet" in page


@pytest.mark.django_db(transaction=True)
def test_after_a_worker_ran_the_queue_is_empty_and_no_warning_shows(team: Team) -> None:
    _email(team, "Approval needed: Sent")
    call_command("worker", "--batch")
    page = _page(team)
    assert "Nothing is queued or running" in page
    assert "No worker has run a job yet" not in page
    assert "No worker seems to be running" not in page


@pytest.mark.django_db
def test_the_page_query_count_does_not_grow_with_the_queue(team: Team) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(team)
        return len(ctx.captured_queries)

    _email(team, "one")
    few = count()
    for n in range(20):
        _email(team, f"more {n}")
    assert count() == few


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (75, "75 seconds"),
        (600, "10 minutes"),
        (3 * 3600 + 300, "3 hours 5 minutes"),
        (7200, "2 hours"),
        (3 * 86400, "3 days"),
    ],
)
def test_duration_words(seconds: int, words: Any) -> None:
    assert duration_words(dt.timedelta(seconds=seconds)) == words
