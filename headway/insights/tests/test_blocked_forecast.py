"""A blocked campaign's forecast says what it assumes: the demo's festival film showed
"Blocked" beside "100% to launch by 10 Dec". The forecast cannot know when a blocker lifts,
so it draws the blocked work as if it resumed today, and now says so; a campaign with
nothing blocked keeps its plain sentence."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team
from headway.insights.selectors.health import campaign_health
from headway.insights.services.health import campaign_health_refresh
from headway.planning.models import Task
from headway.planning.services.tasks import task_set_status
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@time_machine.travel(MONDAY, tick=False)
def test_a_blocked_campaigns_forecast_says_it_assumes_the_work_resumes_today(team: Team) -> None:
    # given a comfortable plan whose first, critical task is blocked
    campaign, _tasks = chain(team, "Film", 2, 3, 1, launch=dt.date(2026, 3, 27))
    Task.objects.filter(campaign=campaign, kind="task").update(owner=team.member)
    first = Task.objects.filter(campaign=campaign).order_by("position", "id").first()
    assert first is not None
    Task.objects.filter(pk=first.pk).update(critical=True, total_float=0)
    first.refresh_from_db()
    plain = campaign_health_refresh(campaign, trials=500)
    assert plain.p_on_time == 1.0
    view = campaign_health(team.workspace, campaign.pk)
    assert view is not None and view.forecast is not None
    assert view.forecast.headline == "100% to launch by 27 Mar"
    task_set_status(
        actor=team.member, task=first, status="blocked", blocked_reason="No licence",
        blocked_on=team.admin.pk,
    )  # fmt: skip
    # when
    campaign_health_refresh(campaign, trials=500)
    # then the state is blocked and the chance says on what it rests
    view = campaign_health(team.workspace, campaign.pk)
    assert view is not None and view.state == "blocked" and view.forecast is not None
    assert view.forecast.headline == "100% to launch by 27 Mar if the blocked task resumes today"
    assert view.forecast.sentence.startswith(view.forecast.headline + " — ")
