"""The crunch and the scorecard from launches made through the services with the clock moved."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.insights.selectors.crunch import crunch_for
from headway.insights.selectors.flow import period_for
from headway.insights.selectors.scorecard import scorecard_for
from headway.planning.models import Task, TaskStatus
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create, task_set_status

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), UTC), tick=False)


def launch(team: Team, name: str, launch_day: dt.date, done_days: list[dt.date]) -> None:
    """A campaign launched on `launch_day` whose tasks were finished on `done_days`."""
    with at(launch_day - dt.timedelta(days=30)):
        campaign = campaign_create(
            actor=team.manager, workspace=team.workspace, name=name, launch_date=launch_day
        )
        tasks = [
            task_create(
                actor=team.manager, campaign=campaign, title=f"{name} {k}", owner=team.member.pk
            )
            for k in range(len(done_days))
        ]
        dependency_add(actor=team.manager, predecessor=tasks[0], successor=tasks[1])
    for task, day in sorted(zip(tasks, done_days, strict=True), key=lambda x: x[1]):
        with at(day):
            task_set_status(
                actor=team.member,
                task=Task.objects.get(pk=task.pk),
                status=TaskStatus.DONE,
                force=True,
            )
    with at(launch_day, 16):
        campaign_set_status(actor=team.manager, campaign=campaign, status="launched")


def test_a_launch_that_finished_its_work_in_the_final_days_is_a_crunch(team: Team) -> None:
    # given: launched Monday 9 March with all 4 tasks done Thursday 5 - Monday 9, and one
    # launched Monday 16 March with all its work done two weeks before
    early = dt.date(2026, 2, 23)
    launch(team, "Calm", dt.date(2026, 3, 16), [early, early, early, early])
    late = [dt.date(2026, 3, 5), dt.date(2026, 3, 6), dt.date(2026, 3, 9), dt.date(2026, 3, 9)]
    launch(team, "Rushed", dt.date(2026, 3, 9), late)
    # when
    with time_machine.travel(dt.datetime(2026, 3, 20, tzinfo=UTC), tick=False):
        result = crunch_for(team.workspace, period_for(team.workspace, days=182))
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/crunch/")
        api = client_for(team.manager).get(f"/api/v1/workspaces/{team.workspace.slug}/crunch")
    # then: usual share is the median of 0 and 1 = 0.5, so the threshold is 1.0
    assert result.team.usual_task_share == pytest.approx(0.5)
    rushed = next(x for x in result.launches if x.name == "Rushed")
    calm = next(x for x in result.launches if x.name == "Calm")
    assert rushed.figures.task_share == 1.0 and rushed.figures.crunch
    assert not calm.figures.crunch
    assert len(rushed.piled) == 4
    assert page.status_code == 200 and "What piled up" in page.content.decode()
    body = api.json()
    assert [x["crunch"] for x in body["launches"]] == [False, True]  # newest first
    assert body["recurring"] is False
    # every field of the answer, shaped by the response schema
    answered = body["launches"][1]
    assert answered == {
        "campaign_id": rushed.campaign_id,
        "name": "Rushed",
        "launch": "2026-03-09",
        "channels": list(rushed.channels),
        "tasks": 4,
        "tasks_in_final_days": 4,
        "task_share": 1.0,
        "plan_changes": rushed.figures.changes,
        "changes_in_final_days": rushed.figures.changes_in_window,
        "change_share": rushed.figures.change_share,
        "crunch": True,
        "piled_up": [t.title for t in rushed.piled],
    }
    assert sorted(answered["piled_up"]) == [f"Rushed {k}" for k in range(4)]
    assert body["threshold"] == 1.0 and body["usual_task_share"] == 0.5
    assert set(body) >= {"period", "computed_at", "behind", "channels", "recent_crunches"}


def test_scorecard_scores_last_full_month_and_cannot_measure_reporting_yet(team: Team) -> None:
    # given: in February, a campaign of two tasks, one owned, linked together
    with at(dt.date(2026, 2, 10)):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Feb",
            launch_date=dt.date(2026, 2, 27),
        )
        a = task_create(actor=team.manager, campaign=campaign, title="A", owner=team.member.pk)
        b = task_create(actor=team.manager, campaign=campaign, title="B")
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    # when
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        card = scorecard_for(team.workspace)
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/scorecard/")
        api = client_for(team.manager).get(f"/api/v1/workspaces/{team.workspace.slug}/scorecard")
    # then
    gaps = {g.key: g for g in card.gaps}
    assert card.month == dt.date(2026, 2, 1)
    assert gaps["coordination"].score == 50
    assert "1 of 2 tasks" in gaps["coordination"].evidence
    assert gaps["dependencies"].score == 100
    assert gaps["workflows"].score == 0  # not from a template; no channel in use
    assert gaps["reporting"].score is None and "No campaign launched" in gaps["reporting"].evidence
    assert card.weakest is not None and card.weakest.key == "workflows"
    html = page.content.decode()
    assert "not measured yet" in html and "Weakest: Defined workflows" in html
    assert api.json()["weakest"] == "workflows"


FEB_META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-02-05,2026-02-05,Measured - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "10,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,200.00,Ongoing\n"
)


def test_scorecard_reads_results_and_reviews_for_connected_reporting(team: Team) -> None:
    """Connected reporting: the month's launches with imported results, and the reviews due
    in the month that were completed."""
    from headway.results.reviews.models import Review
    from headway.results.reviews.services import review_complete
    from headway.results.services import import_store

    with at(dt.date(2026, 2, 2)):
        measured = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Measured",
            platform_names=["Measured - Prospecting"],
        )
        campaign_set_status(actor=team.manager, campaign=measured, status="launched")
        unmeasured = campaign_create(actor=team.manager, workspace=team.workspace, name="Quiet")
        campaign_set_status(actor=team.manager, campaign=unmeasured, status="launched")
        import_store(
            actor=team.owner, workspace=team.workspace, data=FEB_META.encode(), file_name="m.csv"
        )
    with at(dt.date(2026, 2, 17)):
        review_complete(
            actor=team.manager,
            review=Review.objects.get(campaign=measured),
            verdict="yes",
            delivered="Ten leads.",
            learned="Prospecting works.",
            differently="Nothing.",
        )
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        card = scorecard_for(team.workspace)
        page = client_for(team.manager).get(f"/w/{team.workspace.slug}/scorecard/")
    reporting = next(g for g in card.gaps if g.key == "reporting")
    # 1 of 2 launches with results (0.5), 1 of 2 reviews due in February completed (0.5)
    assert reporting.score == 50
    assert "1 of 2 campaigns launched this month have imported results" in reporting.evidence
    assert "1 of 2 post-campaign reviews" in reporting.evidence
    assert "not recorded in Headway" not in page.content.decode()
