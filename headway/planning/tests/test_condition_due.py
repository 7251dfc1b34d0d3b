"""A go-live condition without a due date is due on the last working day before launch."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team
from headway.planning.services.calendar import holiday_add
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import condition_create

pytestmark = pytest.mark.django_db
MARCH = time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
GOOD_FRIDAY = dt.date(2026, 4, 3)


@pytest.mark.parametrize(
    ("launch", "due"),
    [
        (GOOD_FRIDAY, dt.date(2026, 4, 2)),  # a holiday: the Thursday before
        (dt.date(2026, 4, 6), dt.date(2026, 4, 6)),  # Easter Monday is a working day here
        (dt.date(2026, 4, 5), dt.date(2026, 4, 2)),  # Sunday, after the Friday holiday
        (dt.date(2026, 4, 8), dt.date(2026, 4, 8)),  # a working day: launch day itself
    ],
)
@MARCH
def test_default_due_date_is_the_last_working_day_on_or_before_launch(
    team: Team, launch: dt.date, due: dt.date
) -> None:
    holiday_add(actor=team.admin, workspace=team.workspace, date=GOOD_FRIDAY, name="Good Friday")
    campaign = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Spring", launch_date=launch
    )
    cond = condition_create(
        actor=team.manager, campaign=campaign, title="Legal sign-off", owner=team.manager.pk
    )
    assert cond.due_date == due


@MARCH
def test_a_given_due_date_is_kept_even_on_a_holiday(team: Team) -> None:
    holiday_add(actor=team.admin, workspace=team.workspace, date=GOOD_FRIDAY, name="Good Friday")
    campaign = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Spring", launch_date=GOOD_FRIDAY
    )
    cond = condition_create(
        actor=team.manager,
        campaign=campaign,
        title="Partner sign-off",
        owner=team.manager.pk,
        due_date=GOOD_FRIDAY,
    )
    assert cond.due_date == GOOD_FRIDAY
