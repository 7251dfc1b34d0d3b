"""The campaign page at real size: long milestone groups collapse to their first rows and
their critical, late and blocked work, with "show all" through htmx; the timeline draws a
screenful of bars a page at a time, or the critical path alone; small plans look as before;
and the query count does not grow with the plan."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.conftest import Team, client_for
from headway.planning.gantt import GANTT_ROWS
from headway.planning.models import Campaign, Dependency, Task, TaskStatus
from headway.planning.plan_rows import GROUP_ROWS
from headway.planning.services.campaigns import campaign_create
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db

DAY0 = dt.date.today() + dt.timedelta(days=7)  # the launch must not be in the past


def _plan(team: Team, groups: int, per_group: int, *, links: bool = False) -> Campaign:
    """A campaign of `groups` milestones, each grouping `per_group` dated tasks; every
    seventh task after the first ten of a group is critical."""
    campaign = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Big launch", launch_date=DAY0
    )
    _add_groups(team, campaign, groups, per_group, links=links)
    return campaign


def _add_groups(
    team: Team, campaign: Campaign, groups: int, per_group: int, *, links: bool = False
) -> None:
    base = Task.objects.filter(campaign=campaign).count()
    for g in range(groups):
        n0 = base + g * (per_group + 1)
        milestone = Task.objects.create(
            workspace=team.workspace,
            campaign=campaign,
            title=f"Milestone {n0}",
            kind="milestone",
            position=n0,
            start_date=DAY0 + dt.timedelta(days=n0 + per_group),
            due_date=DAY0 + dt.timedelta(days=n0 + per_group),
        )
        made = Task.objects.bulk_create(
            Task(
                workspace=team.workspace,
                campaign=campaign,
                milestone=milestone,
                title=f"Task {n0 + k:05d}",
                position=n0 + k + 1,
                owner=team.member if k % 2 else None,
                start_date=DAY0 + dt.timedelta(days=n0 + k),
                due_date=DAY0 + dt.timedelta(days=n0 + k + 1),
                critical=k >= GROUP_ROWS and k % 7 == 0,
            )
            for k in range(per_group)
        )
        if links:
            Dependency.objects.bulk_create(
                Dependency(workspace=team.workspace, predecessor=a, successor=b, type="FS")
                for a, b in itertools.pairwise(made)
            )


def _url(team: Team, campaign: Campaign, query: str = "") -> str:
    return f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/{query}"


def _group_rows(html: str, milestone: Task) -> list[int]:
    body = html.split(f'id="group-{milestone.pk}"')[1].split("</tbody>")[0]
    return [int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', body)]


def test_a_long_group_shows_its_first_rows_and_its_critical_late_and_blocked_work(
    team: Team,
) -> None:
    campaign = _plan(team, 1, 40)
    milestone = Task.objects.get(campaign=campaign, kind="milestone")
    tasks = list(Task.objects.filter(milestone=milestone).order_by("position"))
    late, blocked = tasks[30], tasks[33]
    Task.objects.filter(pk=late.pk).update(due_date=dt.date.today() - dt.timedelta(days=30))
    Task.objects.filter(pk=blocked.pk).update(status=TaskStatus.BLOCKED, blocked_reason="x")
    html = client_for(team.manager).get(_url(team, campaign)).content.decode()
    shown = _group_rows(html, milestone)
    expected = [
        t.pk
        for n, t in enumerate(tasks)
        if n < GROUP_ROWS or t.critical or t.pk in (late.pk, blocked.pk)
    ]
    assert shown == expected
    assert len(shown) < 40 and late.pk in shown and blocked.pk in shown
    assert f'Show all 40 tasks <span class="muted">({40 - len(shown)} more)</span>' in html


def test_show_all_expands_a_group_through_htmx_or_a_plain_link(team: Team) -> None:
    campaign = _plan(team, 2, 30)
    first, second = Task.objects.filter(campaign=campaign, kind="milestone").order_by("position")
    client = client_for(team.manager)
    everything = list(
        Task.objects.filter(milestone=first).order_by("position").values_list("pk", flat=True)
    )
    response = client.get(_url(team, campaign, f"?group={first.pk}"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<tbody>") and "Timeline" not in body
    assert [int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', body)] == everything
    assert "Show all" not in body
    page = client.get(_url(team, campaign, f"?group={first.pk}")).content.decode()
    assert _group_rows(page, first) == everything
    assert len(_group_rows(page, second)) < 30  # the other group stays collapsed


def test_a_small_plan_looks_as_before(team: Team) -> None:
    campaign, tasks = chain(team, "Small", 2, 3, 1, launch=DAY0 + dt.timedelta(days=30))
    html = client_for(team.manager).get(_url(team, campaign)).content.decode()
    assert "Show all" not in html and "chart-pages" not in html
    assert all(f'id="task-{t.pk}"' in html for t in tasks[:-1])  # the launch heads a group
    assert html.count('class="bar"') == 3 and 'class="launch-line"' in html


def test_a_group_hiding_only_a_few_rows_is_shown_whole(team: Team) -> None:
    campaign = _plan(team, 1, GROUP_ROWS + 4)
    html = client_for(team.manager).get(_url(team, campaign)).content.decode()
    assert "Show all" not in html
    assert html.count('<tr id="task-') == GROUP_ROWS + 4


def _bars(html: str) -> int:
    return html.count('class="bar"') + html.count('class="milestone"')


def test_the_timeline_draws_a_screenful_a_page_at_a_time(team: Team) -> None:
    campaign = _plan(team, 5, 40)  # 205 dated rows
    client = client_for(team.manager)
    html = client.get(_url(team, campaign)).content.decode()
    assert _bars(html) == GANTT_ROWS
    assert f"Rows 1\N{EN DASH}{GANTT_ROWS} of 205 dated tasks" in html
    assert "Later rows" in html and "Earlier rows" not in html
    last = client.get(_url(team, campaign, "?chart=3"), HTTP_HX_REQUEST="true").content.decode()
    assert last.lstrip().startswith('<section class="panel" id="timeline-panel"')
    assert "Rows 181\N{EN DASH}205 of 205" in last and _bars(last) == 25
    assert "Later rows" not in last and "Earlier rows" in last
    # the last page reaches past the end (a page number too far shows the last page)
    too_far = client.get(_url(team, campaign, "?chart=99")).content.decode()
    assert "Rows 181\N{EN DASH}205" in too_far


def test_the_timeline_can_show_the_critical_path_alone(team: Team) -> None:
    campaign = _plan(team, 5, 40)
    critical = Task.objects.filter(campaign=campaign, critical=True).count()
    html = client_for(team.manager).get(_url(team, campaign, "?critical=1")).content.decode()
    assert f"of {critical} critical tasks" in html
    assert html.count('<g class="crit">') == critical and _bars(html) == critical
    assert "All tasks" in html


@pytest.mark.parametrize(
    "query", ["?chart=abc", "?chart=%C2%B2", "?group=xyz", "?group=99999", "?chart=-1&critical=2"]
)
def test_malformed_page_parameters_are_ignored(team: Team, query: str) -> None:
    campaign = _plan(team, 1, 30)
    client = client_for(team.manager)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(_url(team, campaign, query), **headers)
        assert response.status_code == 200


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?chart=1", "?critical=1"])
def test_campaign_page_queries_do_not_grow_from_100_to_1000_tasks(team: Team, query: str) -> None:
    campaign = _plan(team, 2, 49, links=True)
    client = client_for(team.manager)
    url = _url(team, campaign, query)
    client.get(url)
    small = _queries(client, url)
    _add_groups(team, campaign, 18, 49, links=True)
    assert Task.objects.filter(campaign=campaign).count() == 1000
    assert _queries(client, url) == small


def test_the_go_live_task_menu_escapes_titles_and_keeps_the_choice(team: Team) -> None:
    """The condition form's task menu is drawn in one pass (no option per template); it
    still escapes titles, marks the chosen task and refuses a task not offered."""
    from headway.planning.forms import ConditionForm

    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Menu")
    made = [
        Task.objects.create(
            workspace=team.workspace, campaign=campaign, title=title, position=n, duration_days=1
        )
        for n, title in enumerate(["Print <b>proofs</b>", "Book & pay"])
    ]
    blank = str(ConditionForm(people=[team.manager], tasks=made)["task"])
    assert '<option value="" selected>—</option>' in blank
    assert f'<option value="{made[0].pk}">Print &lt;b&gt;proofs&lt;/b&gt;</option>' in blank
    assert f'<option value="{made[1].pk}">Book &amp; pay</option>' in blank
    data = {"title": "Proofs", "kind": "legal", "party": "internal", "lead_time_days": 0}
    chosen = ConditionForm({**data, "task": str(made[1].pk)}, people=[team.manager], tasks=made)
    assert f'<option value="{made[1].pk}" selected>' in str(chosen["task"])
    assert "task" not in chosen.errors and chosen.cleaned_data["task"] == made[1].pk
    stranger = ConditionForm({**data, "task": "999999"}, people=[team.manager], tasks=made)
    assert not stranger.is_valid() and "task" in stranger.errors
