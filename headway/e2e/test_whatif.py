"""Journey J7: "can we take this campaign on?" The manager picks a template and a launch date;
Headway works the scenario out in the background and shows the load by person and week and
the chance of launching on time, for the new campaign and for the campaigns already running."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from headway.capacity.models import Scenario
from headway.capacity.scenarios_jobs import scenario_compute_job
from headway.capacity.services import capacity_set
from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create
from headway.planning.services.templates import template_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE_SPEC = {
    "tasks": [
        {"key": "design", "title": "Design the guide", "role": "designer", "duration": 5,
         "effort": 30},
        {"key": "live", "title": "Guide live", "kind": "launch", "after": ["design"]},
    ]
}  # fmt: skip


def _weekday(day: dt.date, step: int = 1) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def test_j7_can_we_take_this_on(page) -> None:  # type: ignore[no-untyped-def]
    # given a designer whose five days of design the newsletter needs before it sends, and a
    # gift guide template that needs five days of the same designer
    team = make_team("j7", "Juniper Tea")
    send = _weekday(dt.date.today() + dt.timedelta(days=21))
    guide = _weekday(send - dt.timedelta(days=1), step=-1)
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="designer",
    )  # fmt: skip
    newsletter = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Newsletter", launch_date=send,
        status="planned",
    )  # fmt: skip
    steps = [
        task_create(actor=team.manager, campaign=newsletter, title="Design the issue",
                    duration_days=5, effort_hours=30, owner=team.member.pk,
                    role_needed="designer"),
        task_create(actor=team.manager, campaign=newsletter, title="Send", kind="launch"),
    ]  # fmt: skip
    for a, b in itertools.pairwise(steps):
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    template_create(
        actor=team.manager, workspace=team.workspace, name="Gift guide", spec=GUIDE_SPEC
    )
    campaigns = Campaign.objects.count()

    # when the manager asks about the gift guide from the load page
    page.set_default_timeout(30_000)  # shared CI machines are slow
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/capacity/")
    page.get_by_role("link", name="Can we take this on?").click()
    page.get_by_label("Campaign to take on").select_option(label="Gift guide")
    page.get_by_label("Launch date").fill(guide.isoformat())
    page.get_by_role("button", name="Work it out").click()

    # then the scenario is worked out in the background while the page shows its progress
    page.wait_for_url("**/capacity/scenarios/*/")
    assert page.get_by_role("heading", name="Working it out…").is_visible()
    scenario = Scenario.objects.get()
    scenario_compute_job.call(scenario_id=scenario.pk, workspace_id=team.workspace.pk)

    # and the answer replaces it: the new campaign's chance, the running campaign's drop,
    # and the load by person and week
    page.get_by_role("heading", name="The answer").wait_for()
    stat = page.locator("[data-stat='new-on-time']")
    assert "chance the new campaign launches by" in stat.inner_text()
    row = page.locator(f"[data-running='{newsletter.pk}']")
    assert row.get_by_role("link", name="Newsletter").is_visible()
    assert row.locator(".badge-crit").first.is_visible()
    assert "waits for" in row.inner_text() and "Design the guide" in row.inner_text()
    grid = page.locator("table.scenario-load")
    member = grid.locator(f"tr[data-person='{team.member.pk}']")
    assert member.locator("td[data-over]").count() >= 1 or member.get_by_text("was").count() >= 1
    assert page.get_by_role("cell", name="Design the guide", exact=True).is_visible()
    assert Campaign.objects.count() == campaigns  # a scenario changes nothing
    assert page.csp_problems == []

    # when the manager makes it a campaign, confirming first
    page.get_by_role("link", name="Make it a campaign…").click()
    page.get_by_role("button", name="Make it a campaign").click()
    page.wait_for_url("**/campaigns/*/")
    assert Campaign.objects.filter(template_name="Gift guide", launch_date=guide).count() == 1
