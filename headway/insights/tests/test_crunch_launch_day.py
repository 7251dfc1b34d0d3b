"""The crunch dates each launch by the day it went out, and a campaign marked launched without
a recorded launch (data from before the launch record, or written without the services) by its
brief's date rather than not at all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team
from headway.insights.selectors.crunch import crunch_for
from headway.insights.selectors.flow import period_for
from headway.planning.models import Campaign

pytestmark = pytest.mark.django_db


def test_a_launch_without_a_launch_record_counts_on_its_brief_date(team: Team) -> None:
    recorded = Campaign.objects.create(
        workspace=team.workspace,
        name="Recorded",
        status="launched",
        launch_date=dt.date(2026, 9, 15),
        launched_on=dt.date(2026, 9, 17),
    )
    unrecorded = Campaign.objects.create(
        workspace=team.workspace,
        name="Unrecorded",
        status="launched",
        launch_date=dt.date(2026, 9, 22),
    )
    Campaign.objects.create(  # went out after the period: not in it whatever its brief says
        workspace=team.workspace,
        name="Late",
        status="launched",
        launch_date=dt.date(2026, 10, 1),
        launched_on=dt.date(2026, 10, 23),
    )
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC), tick=False):
        crunch = crunch_for(team.workspace, period_for(team.workspace, days=182))
    days = {line.name: line.launch for line in crunch.launches}
    assert days == {
        recorded.name: dt.date(2026, 9, 17),
        unrecorded.name: dt.date(2026, 9, 22),
    }
