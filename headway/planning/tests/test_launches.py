"""One planned launch and one launch day (planning/launches.py), the same on every page: the
campaign page, the campaigns list, the crunch, the reviews list, the underperformer note and
the health panel."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine

from headway.activity.models import Event
from headway.conftest import Team, client_for
from headway.insights.selectors.crunch import crunch_for
from headway.insights.selectors.flow import period_for
from headway.insights.services.health import campaign_health_refresh
from headway.planning.launches import launch_from_log
from headway.planning.models import Campaign, Holiday
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_status,
    campaign_update,
)
from headway.planning.services.tasks import task_create
from headway.results.execution import campaign_execution_facts

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def at(day: str, hour: float = 10) -> time_machine.travel:
    moment = dt.datetime.fromisoformat(day).replace(tzinfo=UTC) + dt.timedelta(hours=hour)
    return time_machine.travel(moment, tick=False)


def mothers_day(team: Team) -> Campaign:
    """Planned for Mon 16 Feb when work began, the date moved to Fri 27 Feb on the 18th,
    launched Fri 27 Feb: 9 working days late."""
    actor = team.manager
    with at("2026-02-02"):
        campaign = campaign_create(
            actor=actor,
            workspace=team.workspace,
            name="Mother's Day promo",
            launch_date=dt.date(2026, 2, 16),
            status="planned",
        )
        task_create(actor=actor, campaign=campaign, title="Launch", kind="launch")
        campaign = campaign_set_status(actor=actor, campaign=campaign, status="in_progress")
    with at("2026-02-18", 12):
        campaign.refresh_from_db()
        campaign = campaign_update(
            actor=actor,
            campaign=campaign,
            version=campaign.version,
            launch_date=dt.date(2026, 2, 27),
        )
    with at("2026-02-27", 11):
        return campaign_set_status(actor=actor, campaign=campaign, status="launched")


def text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_the_launch_record_keeps_the_date_in_force_when_work_began(team: Team) -> None:
    campaign = mothers_day(team)
    assert campaign.planned_launch == dt.date(2026, 2, 16)
    assert campaign.launch_date == dt.date(2026, 2, 27)
    assert campaign.launched_on == dt.date(2026, 2, 27)
    assert campaign.launched_at == dt.datetime(2026, 2, 27, 11, tzinfo=UTC)
    assert campaign.launch_late_days == 9
    # back to work and out again: the first launch stays the launch
    with at("2026-03-02"):
        campaign = campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    with at("2026-03-04"):
        campaign = campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    assert (campaign.planned_launch, campaign.launched_on, campaign.launch_late_days) == (
        dt.date(2026, 2, 16),
        dt.date(2026, 2, 27),
        9,
    )


def test_the_log_replayed_gives_the_record_the_services_stored(team: Team) -> None:
    """The migration fills campaigns launched before the record existed from their log."""
    campaign = mothers_day(team)
    events = Event.objects.filter(
        object_type="planning.campaign", object_id=str(campaign.pk)
    ).order_by("created_at", "id")
    found = launch_from_log(
        [(e.changes, e.created_at) for e in events],
        campaign.launch_date,
        campaign.status,
        team.workspace.tzinfo,
    )
    assert found.planned == campaign.planned_launch
    assert found.launched_at is not None
    assert found.launched_at.date() == campaign.launched_on


def test_a_campaign_straight_to_launched_and_a_workspace_holiday(team: Team) -> None:
    Holiday.objects.create(workspace=team.workspace, date=dt.date(2026, 3, 18), name="Closed")
    with at("2026-03-02"):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Straight out",
            launch_date=dt.date(2026, 3, 16),
        )
    with at("2026-03-20"):
        campaign = campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    # Mon 16 - Fri 20: four weekdays less the holiday
    assert (campaign.planned_launch, campaign.launch_late_days) == (dt.date(2026, 3, 16), 3)


def test_every_page_says_the_same_planned_and_launched_days(team: Team) -> None:
    campaign = mothers_day(team)
    # a projection left from before the launch says nothing once it is out
    Campaign.objects.filter(pk=campaign.pk).update(late_by=5)
    with at("2026-01-05"):
        cancelled = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Dropped",
            launch_date=dt.date(2026, 3, 2),
            status="cancelled",
        )
    Campaign.objects.filter(pk=cancelled.pk).update(short_by=4)
    ws = team.workspace.slug
    client = client_for(team.manager)
    with at("2026-03-20"):
        page = text(client.get(f"/w/{ws}/campaigns/{campaign.pk}/").content)
        listed = text(client.get(f"/w/{ws}/campaigns/").content)
        facts = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    said = "planned Mon 16 Feb, launched Fri 27 Feb (9 working days late)"
    assert "planned Mon 16 Feb 2026, launched Fri 27 Feb 2026 (9 working days late)" in page
    assert said in page  # the problems card, beside "0 late" tasks
    assert "Schedule fits" not in page and "launch date" not in page.split("Health")[0]
    assert "launch · launched Fri 27 Feb" in page  # its launch milestone
    assert said in listed and "projected" not in listed and "short" not in listed
    assert (facts.planned_launch, facts.launched_on, facts.late_days) == (
        dt.date(2026, 2, 16),
        dt.date(2026, 2, 27),
        9,
    )
    assert facts.sentences[0] == "launched 9 working days late"


def test_the_crunch_and_the_reviews_list_use_the_day_it_launched(team: Team) -> None:
    """Planned and dated Tue 15 Sep, launched Thu 17 Sep: 2 working days late everywhere."""
    with at("2026-08-31"):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Winter layering",
            launch_date=dt.date(2026, 9, 15),
            status="in_progress",
        )
        task = task_create(actor=team.manager, campaign=campaign, title="Ads", owner=team.member.pk)
    from headway.planning.services.tasks import task_set_status

    with at("2026-09-16"):
        task_set_status(actor=team.member, task=task, status="done", force=True)
    with at("2026-09-17", 15):
        campaign = campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    with at("2026-10-20"):
        crunch = crunch_for(team.workspace, period_for(team.workspace, days=182))
        reviews = text(client_for(team.manager).get(f"/w/{team.workspace.slug}/reviews/").content)
        facts = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    (line,) = crunch.launches
    assert line.launch == dt.date(2026, 9, 17)
    # the task done the day before the launch is in its final two working days
    assert line.figures.tasks_in_window == 1
    assert "planned Tue 15 Sep, launched Thu 17 Sep (2 working days late)" in reviews
    assert facts.late_days == 2 and facts.launched_on == dt.date(2026, 9, 17)


def test_done_since_the_day_it_launched_not_the_first_check(team: Team) -> None:
    campaign = mothers_day(team)
    with at("2026-11-24", 7):
        health = campaign_health_refresh(Campaign.objects.get(pk=campaign.pk), trials=50)
    assert health.state == "done"
    assert health.since == dt.datetime(2026, 2, 27, 11, tzinfo=UTC)


def test_the_new_campaign_form_lists_me_once(team: Team) -> None:
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/campaigns/new/").content
    page = html.decode()
    name = team.manager.name
    assert ">Me<" not in page
    assert page.count(f">{name} (me)<") == 2  # from a template, and a blank brief
    assert f">{name}<" not in page
    assert re.search(rf'<option value="{team.manager.pk}" selected>{re.escape(name)} \(me\)', page)


def test_the_api_gives_the_launch_record(team: Team) -> None:
    campaign = mothers_day(team)
    body = (
        client_for(team.manager).get(f"/api/v1/workspaces/{team.workspace.slug}/campaigns").json()
    )
    (found,) = [c for c in body if c["id"] == campaign.pk]
    assert (found["planned_launch"], found["launched_on"], found["launch_late_days"]) == (
        "2026-02-16",
        "2026-02-27",
        9,
    )
    assert found["launch_date"] == "2026-02-27"
