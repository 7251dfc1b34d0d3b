"""Stored diagnosis figures: the background job's flow, where-work-waits and scorecard results
equal the direct computation on a generated history; pages and the API read them for the
default period (and say when they were computed), and compute filtered periods directly;
the job recomputes only after new activity or on a new day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from headway.activity.models import Event
from headway.conftest import Team, client_for
from headway.insights.models import CopyMark, DiagnosisRollup, RoundStart, TaskMove
from headway.insights.rollup_jobs import diagnosis_rollups_job
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import S, flow_for, period_for, status_log
from headway.insights.selectors.moves import copied_up_to, forget_columns
from headway.insights.selectors.rollups import (
    RESULT_VERSION,
    bottleneck_figures,
    flow_figures,
    scorecard_figures,
)
from headway.insights.selectors.scorecard import scorecard_for
from headway.insights.services import moves as moves_service
from headway.insights.services.moves import task_moves_copy
from headway.insights.services.rollups import diagnosis_rollups_refresh
from headway.insights.tests.test_flow import UTC, _fresh, at, history
from headway.planning.models import TaskStatus
from headway.planning.services.tasks import task_create, task_set_status

ALL_PAGES = ["flow", "bottlenecks", "scorecard", "scorecard_months"]
pytestmark = pytest.mark.django_db
LATER = dt.datetime(2026, 4, 10, 12, tzinfo=UTC)


def plain(value: Any) -> Any:
    """A result as plain values (dataclasses and arrays unfolded), to compare whole."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def test_stored_figures_equal_the_direct_computation(team: Team) -> None:
    # given six weeks of launches, approvals, hand-offs and blocks
    history(team, n=6)
    with time_machine.travel(LATER, tick=False):
        # when the job stores the figures
        assert diagnosis_rollups_refresh(team.workspace) == ALL_PAGES
        period = period_for(team.workspace)
        flow = flow_figures(team.workspace, period)
        waits = bottleneck_figures(team.workspace, period)
        card = scorecard_figures(team.workspace)
        # then the pages' figures are the stored ones, equal to computing them now
        assert flow.computed_at == waits.computed_at == card.computed_at == timezone.now()
        direct_flow = flow_for(team.workspace, period, LATER)
        direct_waits = bottlenecks_for(team.workspace, period, LATER)
        direct_card = scorecard_for(team.workspace)
    assert direct_flow.finished == 11 and direct_waits.approvers  # a history worth comparing
    assert plain(flow.result) == plain(direct_flow)
    assert plain(waits.result) == plain(direct_waits)
    assert plain(card.result) == plain(direct_card)
    assert waits.result.approvers[0].person_id == team.owner.pk


def test_the_job_recomputes_after_new_activity_or_on_a_new_day(team: Team) -> None:
    tasks = history(team, n=2)
    with time_machine.travel(LATER, tick=False):
        assert diagnosis_rollups_job.call(again=False) == "4 diagnosis pages recomputed"
        assert diagnosis_rollups_job.call(again=False) == "0 diagnosis pages recomputed"
    with at("2026-04-10", 15):
        task_set_status(actor=team.member, task=_fresh(tasks[0]), status=TaskStatus.IN_PROGRESS)
        assert diagnosis_rollups_refresh(team.workspace) == ALL_PAGES
    with at("2026-04-11", 8):
        assert diagnosis_rollups_refresh(team.workspace) == ALL_PAGES
        row = DiagnosisRollup.objects.get(workspace=team.workspace, page="flow")
        assert row.end == dt.date(2026, 4, 11) and row.start == dt.date(2026, 1, 11)


def test_pages_and_api_read_the_stored_figures_and_say_when(team: Team) -> None:
    tasks = history(team, n=2)
    with time_machine.travel(LATER, tick=False):
        diagnosis_rollups_refresh(team.workspace)
    # a task starts after the figures were stored
    with at("2026-04-10", 13):
        late = task_create(
            actor=team.manager, campaign=tasks[0].campaign, title="Late edit", owner=team.member.pk
        )
        task_set_status(actor=team.manager, task=_fresh(late), status=TaskStatus.IN_PROGRESS)
    client = client_for(team.manager)
    ws = team.workspace.slug
    campaign = tasks[0].campaign_id
    with time_machine.travel(LATER + dt.timedelta(hours=2), tick=False):
        page = client.get(f"/w/{ws}/flow/").content.decode()
        waits = client.get(f"/w/{ws}/waits/").content.decode()
        card = client.get(f"/w/{ws}/scorecard/").content.decode()
        stored = client.get(f"/api/v1/workspaces/{ws}/flow").json()
        filtered = client.get(f"/api/v1/workspaces/{ws}/flow?campaign={campaign}").json()
        scores = client.get(f"/api/v1/workspaces/{ws}/scorecard").json()
    for html in (page, waits, card):
        assert "Figures computed in the background at 12:00 UTC, 10 Apr;" in html
    # the flow, where-work-waits and scorecard pages say the figures miss the newer activity
    for html in (page, waits, card):
        assert "Newer activity is not in them yet." in html
    assert stored["behind"] is True and filtered["behind"] is False
    assert scores["behind"] is True
    # once the job has run again, the scorecard page no longer says so
    with time_machine.travel(LATER + dt.timedelta(hours=3), tick=False):
        diagnosis_rollups_refresh(team.workspace)
        again = client.get(f"/w/{ws}/scorecard/").content.decode()
        rescored = client.get(f"/api/v1/workspaces/{ws}/scorecard").json()
    assert "Figures computed in the background at 15:00 UTC, 10 Apr;" in again
    assert "Newer activity is not in them yet." not in again and rescored["behind"] is False
    # the stored answer predates the new move; the filtered one is computed for the request
    assert stored["computed_at"].startswith("2026-04-10T12:00")
    assert stored["tasks"] == 4 and stored["work_in_progress"] == []
    assert filtered["computed_at"] is None and filtered["tasks"] == 3
    assert [w["title"] for w in filtered["work_in_progress"]] == ["Late edit"]
    assert scores["computed_at"].startswith("2026-04-10T12:00")


def test_without_stored_figures_the_page_computes_them(team: Team) -> None:
    history(team)
    with time_machine.travel(LATER, tick=False):
        html = client_for(team.manager).get(f"/w/{team.workspace.slug}/flow/").content.decode()
    assert "Figures computed just now" in html
    assert not DiagnosisRollup.objects.exists()


def test_copied_moves_and_the_log_after_them_give_the_same_figures(team: Team) -> None:
    # given a history, and its figures read from the log alone
    tasks = history(team, n=3)
    ws = team.workspace
    period = period_for(ws, dt.date(2026, 2, 1), dt.date(2026, 4, 10))
    direct = plain(flow_for(ws, period, LATER)), plain(bottlenecks_for(ws, period, LATER))
    moves = Event.objects.filter(object_type="planning.task").filter(
        Q(verb="created") | Q(changes__has_key="status")
    )
    # when the job copies every move made up to two minutes ago
    with time_machine.travel(LATER, tick=False):
        assert task_moves_copy(ws) == moves.count() == 27  # 9 moves per launch
        assert task_moves_copy(ws) == 0  # nothing new
    mark = copied_up_to(ws)
    # then the figures read from the copies are the same
    assert (plain(flow_for(ws, period, LATER)), plain(bottlenecks_for(ws, period, LATER))) == direct
    # and with only the first half copied, the rest read from the log, too
    half = sorted(moves.values_list("pk", flat=True))[12]
    TaskMove.objects.filter(event_id__gt=half).delete()
    CopyMark.objects.filter(workspace=ws).update(event_id=half)
    assert copied_up_to(ws) == half
    assert (plain(flow_for(ws, period, LATER)), plain(bottlenecks_for(ws, period, LATER))) == direct
    with time_machine.travel(LATER, tick=False):
        assert task_moves_copy(ws) == 27 - 13 and copied_up_to(ws) == mark
    # the copies are what is read: a copied move changed shows in the log the figures use
    forget_columns()
    before = status_log(ws, period, LATER)
    assert before.flow.stages.tolist().count(S["blocked"]) == 3
    TaskMove.objects.filter(workspace=ws, task_id=tasks[0].pk, stage="not_started").update(
        stage="blocked"
    )
    forget_columns()
    assert status_log(ws, period, LATER).flow.stages.tolist().count(S["blocked"]) == 4
    # and a copy made twice (two overlapping runs) is refused, not counted twice
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskMove.objects.create(
            workspace=ws, event_id=half, task_id=tasks[0].pk, stage="done", at=0
        )


def test_moves_made_in_the_last_two_minutes_wait_for_the_next_run(team: Team) -> None:
    history(team)  # two tasks created 23 Feb, the first moved at 09:00 on 2 March
    with at("2026-03-02", 9):
        assert task_moves_copy(team.workspace, timezone.now() + dt.timedelta(minutes=1)) == 2
    with at("2026-04-10", 12):
        assert task_moves_copy(team.workspace) == 9 - 2


def test_a_long_history_is_copied_a_window_of_events_at_a_time(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(team, n=2)
    monkeypatch.setattr(moves_service, "WINDOW", 4)
    moves = Event.objects.filter(object_type="planning.task").filter(
        Q(verb="created") | Q(changes__has_key="status")
    )
    with time_machine.travel(LATER, tick=False):
        assert task_moves_copy(team.workspace) == moves.count() == 18
    copied = TaskMove.objects.values_list("event_id", "task_id", "stage")
    assert sorted(copied) == sorted(
        (pk, int(task), "not_started" if verb == "created" else status)
        for pk, task, verb, status in moves.values_list(
            "pk", "object_id", "verb", "changes__status__1"
        )
    )


def test_an_overlapping_copy_adds_nothing_twice(team: Team) -> None:
    history(team, n=2)
    with time_machine.travel(LATER, tick=False):
        assert task_moves_copy(team.workspace) == 18
        moves, rounds = TaskMove.objects.count(), RoundStart.objects.count()
        assert rounds == 2
        # a second run that started before the first one moved the mark reads the same events
        CopyMark.objects.filter(workspace=team.workspace).update(event_id=0)
        assert task_moves_copy(team.workspace) == 0
    assert (TaskMove.objects.count(), RoundStart.objects.count()) == (moves, rounds)
    assert copied_up_to(team.workspace) > 0


def test_stored_figures_of_another_version_are_recomputed_not_read(team: Team) -> None:
    history(team, n=2)
    with time_machine.travel(LATER, tick=False):
        diagnosis_rollups_refresh(team.workspace)
        # a row written by a release whose result classes differ (unreadable here)
        DiagnosisRollup.objects.filter(page="flow").update(
            version=RESULT_VERSION - 1, result=b"not a pickle of this release"
        )
        period = period_for(team.workspace)
        figures = flow_figures(team.workspace, period)
        assert figures.computed_at is None and figures.result.tasks == 4  # computed now
        assert diagnosis_rollups_refresh(team.workspace) == ["flow"]
        assert flow_figures(team.workspace, period).computed_at == timezone.now()
    assert DiagnosisRollup.objects.get(page="flow").version == RESULT_VERSION
