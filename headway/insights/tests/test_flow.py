"""Flow and where work waits, from a small history made through the services with the clock
moved: figures, pages (with their charts, tables and CSV), the API, access and query counts."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.approvals.models import ApprovalChain
from headway.approvals.services import approval_decide, approval_start
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, client_for
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import flow_for, period_for
from headway.planning.models import Task, TaskStatus
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create, task_set_status

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def at(day: str, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC), tick=False
    )


def _fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def history(team: Team, n: int = 1) -> list[Task]:
    """Per campaign (one week apart from Monday 2 March 2026): "Write" (member) in progress
    Monday 09:00, sent to the founder Tuesday 09:00, approved Friday 09:00 (3 working days,
    past the 2-day limit); "Build" (freelancer) ready Friday 09:00, started Monday 09:00,
    blocked on the manager Monday 13:00 to Tuesday 13:00, done Wednesday 09:00."""
    chain = ApprovalChain.objects.filter(workspace=team.workspace).first() or founder_chain(team)
    out = []
    for k in range(n):
        monday = dt.date(2026, 3, 2) + dt.timedelta(days=7 * k)

        def d(i: int, monday: dt.date = monday) -> str:
            return (monday + dt.timedelta(days=i)).isoformat()

        with at(d(-7)):
            campaign = campaign_create(
                actor=team.manager,
                workspace=team.workspace,
                name=f"Launch {k}",
                launch_date=monday + dt.timedelta(days=14),
            )
            write = task_create(
                actor=team.manager, campaign=campaign, title=f"Write {k}", owner=team.member.pk
            )
            build = task_create(
                actor=team.manager, campaign=campaign, title=f"Build {k}", owner=team.freelancer.pk
            )
            dependency_add(actor=team.manager, predecessor=write, successor=build)
        with at(d(0)):
            task_set_status(actor=team.member, task=_fresh(write), status=TaskStatus.IN_PROGRESS)
        with at(d(1)):
            request = approval_start(actor=team.member, task=_fresh(write), chain=chain)
        with at(d(4)):
            approval_decide(actor=team.owner, request=request, verdict="approve")
        with at(d(7)):
            task_set_status(
                actor=team.freelancer, task=_fresh(build), status=TaskStatus.IN_PROGRESS
            )
        with at(d(7), 13):
            task_set_status(
                actor=team.freelancer,
                task=_fresh(build),
                status=TaskStatus.BLOCKED,
                blocked_reason="Needs the product shots",
                blocked_on=team.manager.pk,
            )
        with at(d(8), 13):
            task_set_status(
                actor=team.freelancer, task=_fresh(build), status=TaskStatus.IN_PROGRESS
            )
        with at(d(9)):
            task_set_status(actor=team.freelancer, task=_fresh(build), status=TaskStatus.DONE)
        out += [_fresh(write), _fresh(build)]
    return out


NOW = dt.datetime(2026, 3, 20, 12, tzinfo=UTC)


def _period(team: Team, **kw: int | None) -> object:
    return period_for(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 3, 20), **kw)


def test_flow_figures_from_the_log(team: Team) -> None:
    # given
    history(team)
    # when
    result = flow_for(team.workspace, _period(team), now=NOW)  # type: ignore[arg-type]
    # then: Write took 4 days in progress -> done, Build 2 (Monday 9:00 -> Wednesday 9:00)
    assert sorted(result.report.cycle_times.tolist()) == [2.0, 4.0]
    assert result.finished == 2
    assert result.cycle[50] == pytest.approx(3.0)
    # lead times: created on 23 Feb 09:00, done 6 and 11 March
    assert result.lead_percentiles[50] == pytest.approx((11 + 16) / 2)
    assert sum(n for _, n in result.throughput) == 2
    assert result.cumulative[-1][1]["done"] == 2
    # time waiting: Write 3 days in review; Build 3 days ready (Fri-Mon) and 1 blocked
    assert result.report.time_in_stage["in_review"] == pytest.approx(3.0)
    assert result.report.time_in_stage["ready"] == pytest.approx(3.0)
    assert result.report.time_in_stage["blocked"] == pytest.approx(1.0)


def test_where_work_waits_names_the_founder_first(team: Team) -> None:
    history(team, n=2)
    b = bottlenecks_for(team.workspace, _period(team), now=NOW)  # type: ignore[arg-type]
    founder = b.approvers[0]
    assert founder.person_id == team.owner.pk
    assert founder.waited == pytest.approx(6.0)  # 3 working days on each of two steps
    assert founder.median == pytest.approx(3.0)
    assert founder.past_limit == 2 and founder.rounds_per_request == 1.0
    by_person = {c.person_id: c for c in b.contributors}
    # the freelancer's successors: Friday 9:00 -> Monday 9:00 is 1 working day, twice
    assert by_person[team.freelancer.pk].handoff == pytest.approx(2.0)
    # blocked Monday 13:00 -> Tuesday 13:00: 1 working day on the manager, twice
    assert by_person[team.manager.pk].blocking == pytest.approx(2.0)
    assert b.stages[0].stage == "in_review" and b.stages[0].person_id == team.owner.pk


def test_person_and_campaign_filters(team: Team) -> None:
    tasks = history(team, n=2)
    mine = flow_for(team.workspace, _period(team, person=team.member.pk), now=NOW)  # type: ignore[arg-type]
    assert mine.tasks == 2 and sorted(mine.report.cycle_times.tolist()) == [4.0, 4.0]
    one = flow_for(team.workspace, _period(team, campaign=tasks[0].campaign_id), now=NOW)  # type: ignore[arg-type]
    assert one.tasks == 2 and one.finished == 2


def test_pages_show_charts_tables_and_csv(team: Team) -> None:
    history(team)
    client = client_for(team.manager)
    ws = team.workspace.slug
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/w/{ws}/flow/?from=2026-02-01&to=2026-03-20")
        waits = client.get(f"/w/{ws}/waits/?from=2026-02-01&to=2026-03-20")
        csv = client.get(f"/w/{ws}/waits/?from=2026-02-01&to=2026-03-20&csv=approvers")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html and "Cycle time" in html
    assert ' style="' not in html  # CSP: no style attributes, in the charts either
    body = waits.content.decode()
    assert f"on {team.owner.name}\u2019s approvals" in body
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("approver,working days waited")
    assert lines[1].startswith(f"{team.owner.name},3.0")


def test_bad_period_is_refused_clearly(team: Team) -> None:
    client = client_for(team.manager)
    ws = team.workspace.slug
    page = client.get(f"/w/{ws}/flow/?from=2026-03-20&to=2026-03-01")
    assert page.status_code == 200
    assert "The period ends before it starts" in page.content.decode()
    api = client.get(f"/api/v1/workspaces/{ws}/flow?from=2026-03-20&to=2026-03-01")
    assert api.status_code == 400
    assert api.json()["field"] == "to"
    bad = client.get(f"/api/v1/workspaces/{ws}/flow?from=not-a-date")
    assert bad.status_code == 422 and bad.json()["code"]


def test_api_answers_json_for_scripts(team: Team) -> None:
    history(team)
    client = client_for(team.manager)
    ws = team.workspace.slug
    with time_machine.travel(NOW, tick=False):
        flow = client.get(f"/api/v1/workspaces/{ws}/flow?from=2026-02-01&to=2026-03-20").json()
        waits = client.get(
            f"/api/v1/workspaces/{ws}/bottlenecks?from=2026-02-01&to=2026-03-20"
        ).json()
    assert flow["finished"] == 2 and flow["cycle_time_days"]["p50"] == pytest.approx(3.0)
    assert flow["period"]["start"] == "2026-02-01"
    assert waits["approvers"][0]["name"] == team.owner.name
    assert waits["approvers"][0]["past_limit"] == 1
    json.dumps(waits)


def test_freelancers_and_clients_cannot_see_the_teams_waiting(team: Team) -> None:
    ws = team.workspace.slug
    for user in (team.freelancer, team.client):
        client = client_for(user)
        assert client.get(f"/w/{ws}/flow/").status_code == 403
        assert client.get(f"/w/{ws}/waits/").status_code == 403
        assert client.get(f"/api/v1/workspaces/{ws}/bottlenecks").status_code == 403


def test_query_count_does_not_grow_with_the_history(team: Team) -> None:
    history(team, n=1)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/waits/?from=2026-02-01&to=2026-03-31"
    with time_machine.travel(NOW, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
    history(team, n=3)
    with time_machine.travel(NOW, tick=False):
        # the first request after new activity reads the tasks it names, the links and the
        # approval decisions again (the log's new task and link events, those tasks, the
        # links, the decisions: five more)
        with CaptureQueriesContext(connection) as changed:
            client.get(url)
        with CaptureQueriesContext(connection) as big:
            client.get(url)
    assert len(changed) == len(small) + 5
    assert len(big) == len(small)


def test_a_long_period_draws_weekly_points_and_downloads_every_day(team: Team) -> None:
    history(team, n=2)
    with at("2025-11-03"):
        early = campaign_create(
            actor=team.manager, workspace=team.workspace, name="Early", launch_date=None
        )
        task_create(actor=team.manager, campaign=early, title="Early brief", owner=team.member.pk)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/flow/?from=2025-11-01&to=2026-03-31"
    with time_machine.travel(NOW, tick=False):
        page = client.get(url).content.decode()
        csv = client.get(url + "&csv=cumulative-flow").content.decode()
    assert "one point a week; the CSV has every day" in page
    # every day from the first task's creation to today (the period's last day is later)
    days = {line.split(",")[0] for line in csv.splitlines()[1:]}
    assert len(days) == (dt.date(2026, 3, 20) - dt.date(2025, 11, 3)).days + 1
