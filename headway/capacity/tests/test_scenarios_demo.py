"""The demo's saved what-if: the holiday gift guide on 1 December makes the monthly newsletter
slip, because its copy waits for Tom, busy writing the gift guide."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.capacity.demo import demo_capacity
from headway.capacity.demo_scenarios import gift_guide_launch
from headway.capacity.models import Scenario, ScenarioStatus
from headway.core.demo import HARBOR_AND_PINE, HARBOR_PEOPLE, _workspace
from headway.planning.demo import demo_planning
from headway.workspaces.models import WorkspaceKind


@pytest.mark.django_db
def test_demo_gift_guide_scenario_shows_the_newsletter_slipping() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        # given the demo's people and campaigns
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        # when
        demo_capacity(harbor)
        demo_capacity(harbor)  # a second run changes nothing
        # then
        [scenario] = Scenario.objects.filter(workspace=harbor)
        assert scenario.name == "Add the holiday gift guide on 1 Dec"
        assert scenario.status == ScenarioStatus.DONE and scenario.result is not None
        news = next(r for r in scenario.result["running"] if r["name"] == "Monthly newsletter")
        assert news["notable"] and news["slip_days"] > 0
        assert news["because"].startswith("waits for Tom (busy on “Write the gift guide”")


def test_the_gift_guide_launches_on_1_december_while_it_is_ahead() -> None:
    assert gift_guide_launch(dt.date(2026, 11, 23)) == dt.date(2026, 12, 1)
    assert gift_guide_launch(dt.date(2026, 11, 30)) == dt.date(2026, 12, 14)  # tomorrow: later
    assert gift_guide_launch(dt.date(2027, 3, 1)) == dt.date(2027, 3, 15)


@pytest.mark.django_db
def test_the_demo_works_the_saved_scenario_out_again_after_later_steps_change_the_plan() -> None:
    from headway.capacity.demo_scenarios import demo_scenarios_refresh
    from headway.capacity.scenarios_selectors import scenario_outdated
    from headway.planning.models import Task
    from headway.planning.services.tasks import task_update

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        demo_capacity(harbor)
        [scenario] = Scenario.objects.filter(workspace=harbor)
        assert not scenario_outdated(scenario)
        # a later demo step changes the plan
        task = Task.objects.filter(workspace=harbor, owner__isnull=False).first()
        assert task is not None and task.owner is not None
        task_update(actor=task.owner, task=task, version=task.version, effort_hours=3)
        scenario.refresh_from_db()
        assert scenario_outdated(scenario)
        demo_scenarios_refresh(harbor)
        scenario.refresh_from_db()
        assert not scenario_outdated(scenario)


@pytest.mark.django_db
def test_the_demo_scenarios_today_is_the_dashboards_chance() -> None:
    """Each running launch's chance as planned is its health forecast (the dashboard's and
    the campaign page's), drawn with the same trials: the Autumn paid social burst was 0% in
    the scenario and 100% on its page."""
    from headway.engine.launch_forecast import forecast_launch
    from headway.insights.selectors.health_inputs import health_inputs
    from headway.planning.models import Campaign

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        demo_capacity(harbor)
        [scenario] = Scenario.objects.filter(workspace=harbor)
        assert scenario.result is not None
        rows = scenario.result["running"]
        campaigns = list(Campaign.objects.filter(pk__in=[r["id"] for r in rows]))
        health = health_inputs(harbor, campaigns)
        for r in rows:
            forecast = health[r["id"]].forecast
            assert forecast is not None
            assert r["planned"] == round(forecast_launch(forecast).p_on_time, 4), r["name"]
        burst = next(r for r in rows if r["name"] == "Autumn paid social burst")
        assert burst["planned"] == burst["before"] == 1.0
