"""A workspace where nothing has moved yet: the flow page says what to do instead of "0
tasks done", dashes and a chart of zeros; the scorecard's chart says which scores were not
measured instead of "Every score is 0"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.planning.models import Task, TaskStatus
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create, task_set_status

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")
TODAY = dt.datetime(2026, 3, 12, 10, tzinfo=UTC)


def _plan(team: Team) -> list[Task]:
    with time_machine.travel(TODAY, tick=False):
        campaign = campaign_create(
            actor=team.manager, workspace=team.workspace, name="Coming", launch_date=None
        )
        return [
            task_create(actor=team.manager, campaign=campaign, title=f"T{k}", owner=team.member.pk)
            for k in range(3)
        ]


def _text(team: Team, path: str) -> str:
    with time_machine.travel(TODAY + dt.timedelta(hours=2), tick=False):
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/{path}")
    assert page.status_code == 200
    return " ".join(page.text.split())


def test_a_workspace_with_no_tasks_is_told_how_to_start(team: Team) -> None:
    text = _text(team, "flow/")
    assert "No tasks in this period" in text
    assert "Start a campaign from a template" in text and "the board</a>" in text
    assert "tasks done in the period" not in text


def test_planned_tasks_that_never_moved_get_an_empty_state_not_zeros(team: Team) -> None:
    _plan(team)
    text = _text(team, "flow/")
    assert "No task has moved yet" in text
    assert "3 tasks are planned, none started or finished in this period." in text
    assert "the board</a> to In progress when work starts and to Done" in text
    assert "tasks done in the period" not in text and "<svg" not in text


def test_one_task_moving_shows_the_figures(team: Team) -> None:
    tasks = _plan(team)
    with time_machine.travel(TODAY + dt.timedelta(hours=1), tick=False):
        task_set_status(actor=team.manager, task=tasks[0], status=TaskStatus.IN_PROGRESS)
    text = _text(team, "flow/")
    assert "No task has moved yet" not in text
    assert "tasks done in the period" in text


def test_the_scorecard_chart_says_the_rest_were_not_measured(team: Team) -> None:
    # given: one campaign started this month without a template (workflows: 0), nothing
    # else measured in any month
    _plan(team)
    text = _text(team, "scorecard/")
    assert "Every score is 0" not in text
    assert (
        "Nothing to draw yet: only 1 of the 35 scores in this period was measured, and it is 0;"
        " the rest were not measured" in text
    ), text[text.find("Scores month by month") :][:600]
