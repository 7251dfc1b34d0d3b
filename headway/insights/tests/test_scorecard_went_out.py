"""The scorecard counts a campaign's tasks in the month it went out (as the crunch does),
not in the month of its brief's launch date."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.conftest import Team
from headway.insights.selectors.scorecard import _figures
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.planning.services.tasks import task_create

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), UTC), tick=False)


def test_a_late_launch_counts_in_the_month_it_went_out(team: Team) -> None:
    # given: a campaign briefed to launch Friday 27 March that went out Wednesday 8 April,
    # with two owned tasks and one unowned; and one briefed for 20 April not launched yet
    with at(dt.date(2026, 3, 2)):
        late = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Late",
            launch_date=dt.date(2026, 3, 27),
        )
        for k, owner in enumerate([team.member.pk, team.member.pk, None]):
            task_create(actor=team.manager, campaign=late, title=f"Late {k}", owner=owner)
        coming = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Coming",
            launch_date=dt.date(2026, 4, 20),
        )
        task_create(actor=team.manager, campaign=coming, title="Coming 0", owner=team.member.pk)
    with at(dt.date(2026, 4, 8), 16):
        campaign_set_status(actor=team.manager, campaign=late, status="launched")
    assert Campaign.objects.get(pk=late.pk).launched_on == dt.date(2026, 4, 8)
    now = dt.datetime(2026, 5, 2, tzinfo=UTC).timestamp()
    # when
    march = _figures(team.workspace, dt.date(2026, 3, 1), dt.date(2026, 3, 31), now)
    april = _figures(team.workspace, dt.date(2026, 4, 1), dt.date(2026, 4, 30), now)
    # then: its tasks count in April, beside the April brief's not launched yet
    assert (march.tasks, march.owned) == (0, 0)
    assert (april.tasks, april.owned) == (4, 3)
