"""The team's history of actual/planned durations that forecasts draw from."""

from __future__ import annotations

import datetime as dt

from headway.conftest import Team
from headway.insights.selectors.health_inputs import team_ratios
from headway.planning.models import Task, TaskStatus
from headway.planning.scheduling import calendar_for
from headway.planning.tests.factories import chain

UTC = dt.UTC


def _finished(task: Task, start: dt.date, done: dt.date) -> None:
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.DONE,
        start_date=start,
        done_at=dt.datetime.combine(done, dt.time(12), tzinfo=UTC),
    )


def test_a_task_is_not_charged_for_its_predecessors_lateness(team: Team) -> None:
    # given: two one-day tasks in a row, planned Mon 2 and Tue 3 March; the first is done
    # Thu 5 March (four working days), the second the day after, Fri 6 March
    _, (first, second, _launch) = chain(team, "Past sale", 1, 1)
    _finished(first, dt.date(2026, 3, 2), dt.date(2026, 3, 5))
    _finished(second, dt.date(2026, 3, 3), dt.date(2026, 3, 6))
    # when
    ratios = team_ratios(team.workspace, calendar_for(team.workspace.pk))
    # then: the first took four times its plan; the second took its one day once it could begin
    # (from its scheduled start it would read four days too)
    assert sorted(ratios[""]) == [1.0, 4.0]


def test_a_task_whose_predecessor_finished_early_counts_from_its_scheduled_start(
    team: Team,
) -> None:
    _, (first, second, _launch) = chain(team, "Past sale", 1, 2)
    _finished(first, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    _finished(second, dt.date(2026, 3, 4), dt.date(2026, 3, 6))  # planned 2, took 3
    ratios = team_ratios(team.workspace, calendar_for(team.workspace.pk))
    assert sorted(ratios[""]) == [1.0, 1.5]
