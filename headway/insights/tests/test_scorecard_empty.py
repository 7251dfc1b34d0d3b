"""A scorecard with nothing to measure says what to do, not "0 of 0" with advice on zeros."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")
MARCH = dt.datetime(2026, 3, 12, tzinfo=UTC)


def _page(team: Team) -> str:
    with time_machine.travel(MARCH, tick=False):
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/scorecard/")
    assert page.status_code == 200
    return " ".join(page.text.split())


def test_an_empty_workspace_is_told_how_to_start(team: Team) -> None:
    text = _page(team)
    assert "Nothing to score yet" in text
    assert "Start a campaign from a template" in text
    assert "0 of 0" not in text and "To raise it" not in text and "Weakest" not in text


def test_a_gap_not_measured_says_what_it_lacked_and_how_to_measure_it(team: Team) -> None:
    # given: in February, a campaign with one owned task and nothing sent for approval
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, tzinfo=UTC), tick=False):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Feb",
            launch_date=dt.date(2026, 2, 27),
        )
        task_create(actor=team.manager, campaign=campaign, title="A", owner=team.member.pk)
    # when
    text = _page(team)
    # then: the approvals card says nothing went to review and how to measure it
    card = text.split('id="gap-approvals"')[1].split("</section>")[0]
    assert "No work went to review and no approval step was decided this month." in card
    assert "To measure it:" in card and "To raise it" not in card
    assert "0 of 0" not in text
    # a measured gap keeps its evidence and advice
    owners = text.split('id="gap-coordination"')[1].split("</section>")[0]
    assert "1 of 1 tasks" in owners and "To raise it:" in owners
    assert "Nothing to score yet" not in text


def test_a_month_with_nothing_scored_says_so_and_keeps_the_months_that_were(team: Team) -> None:
    # given: a campaign started in March, the month so far; February, the month scored, empty
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False):
        campaign_create(actor=team.manager, workspace=team.workspace, name="March")
    # when
    text = _page(team)
    # then
    assert "Nothing to score in February 2026" in text and "Start a campaign" in text
    assert "To raise it" not in text and "0 of 0" not in text
    assert "Scores month by month" in text  # March's score is in the months table
