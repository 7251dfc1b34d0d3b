"""Where work waits filtered by person and channel, as the flow is: the approvers' waits and
the revision rounds count only the approvals of the work the filters select."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import Period, period_for
from headway.insights.tests.test_flow import NOW, at, history
from headway.planning.models import Campaign, Task, TaskStatus
from headway.planning.services.campaigns import campaign_update, channel_create
from headway.planning.services.tasks import task_create, task_set_status

pytestmark = pytest.mark.django_db


def _period(team: Team, **filters: int | None) -> Period:
    return period_for(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 3, 20), **filters)


def test_person_filter_keeps_the_approvals_of_that_persons_work(team: Team) -> None:
    # given: each launch's "Write" (the member's) went to the founder; "Build" (the
    # freelancer's) went through no approval
    history(team, n=2)
    # when
    members = bottlenecks_for(team.workspace, _period(team, person=team.member.pk), now=NOW)
    freelancers = bottlenecks_for(team.workspace, _period(team, person=team.freelancer.pk), now=NOW)
    # then
    assert [(a.person_id, a.steps, a.past_limit) for a in members.approvers] == [
        (team.owner.pk, 2, 2)
    ]
    assert sum(r.requests for r in members.rounds) == 2
    assert freelancers.approvers == [] and freelancers.rounds == []
    # the stages and contributors were already the filtered tasks': the freelancer's two
    # builds, blocked on the manager; nothing of the member's
    by_person = {c.person_id: c for c in freelancers.contributors}
    assert by_person[team.freelancer.pk].finished == 2
    assert by_person[team.manager.pk].blocking == pytest.approx(2.0)
    assert team.member.pk not in by_person


def test_channel_filter_keeps_the_approvals_of_campaigns_on_that_channel(team: Team) -> None:
    # given: only the first launch runs on social
    tasks = history(team, n=2)
    social = channel_create(actor=team.manager, workspace=team.workspace, name="Social")
    first = Campaign.objects.get(pk=tasks[0].campaign_id)
    campaign_update(actor=team.manager, campaign=first, version=first.version, channels=[social])
    # when
    on_social = bottlenecks_for(team.workspace, _period(team, channel=social.pk), now=NOW)
    # then: one request, one step, waited three working days
    assert [(a.steps, a.waited) for a in on_social.approvers] == [(1, pytest.approx(3.0))]
    assert sum(r.requests for r in on_social.rounds) == 1


def test_the_page_says_what_is_filtered_and_its_links_keep_it(team: Team) -> None:
    history(team, n=2)
    ws = team.workspace.slug
    client = client_for(team.manager)
    query = f"from=2026-02-01&to=2026-03-20&person={team.member.pk}"
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/w/{ws}/waits/?{query}").content.decode()
        csv = client.get(f"/w/{ws}/waits/?{query}&csv=rounds").content.decode()
        late = client.get(
            f"/w/{ws}/waits/approvals-past-limit/?approver={team.owner.pk}&{query}"
        ).content.decode()
    assert f"Filtered to work owned by {team.member.name}." in page
    # the scorecard counts the whole workspace: a filtered page does not claim to match it
    assert "structured approvals counts the same" not in page
    # the past-limit link, the tabs and the CSV download keep the period and the person
    kept = query.replace("&", "&amp;")
    assert f"approvals-past-limit/?approver={team.owner.pk}&amp;{kept}" in page
    assert f'/flow/?{kept}"' in page and '/crunch/?from=2026-02-01&amp;to=2026-03-20"' in page
    assert f"?{kept}&amp;csv=rounds" in page
    assert csv.splitlines()[1].startswith("Content draft,2,")
    assert f"work owned by {team.member.name}" in late and "Write 1" in late
    assert f'/waits/?{kept}">Back to where work waits' in late


def test_a_filter_without_dates_keeps_the_default_period_in_the_form(team: Team) -> None:
    ws = team.workspace
    page = client_for(team.manager).get(f"/w/{ws.slug}/waits/?person={team.freelancer.pk}")
    html = page.content.decode()
    today = ws.today()
    start = today - dt.timedelta(days=90)
    assert f'name="from" value="{start.isoformat()}"' in html
    assert f'name="to" value="{today.isoformat()}"' in html
    # nothing of the freelancer's moved: one empty state, not a page of zeros
    assert "Nothing waited or moved in this period" in html
    assert f"owned by {team.freelancer.name}, no work waited on an approver" in html
    assert "<svg" not in html


def test_the_api_filters_approvers_by_person_and_documents_it(team: Team) -> None:
    history(team, n=2)
    client = client_for(team.manager)
    url = f"/api/v1/workspaces/{team.workspace.slug}/bottlenecks?from=2026-02-01&to=2026-03-20"
    with time_machine.travel(NOW, tick=False):
        everyone = client.get(url).json()
        freelancer = client.get(f"{url}&person={team.freelancer.pk}").json()
        schema = client.get("/api/v1/openapi.json").json()
    assert [a["name"] for a in everyone["approvers"]] == [team.owner.name]
    assert freelancer["approvers"] == [] and freelancer["revision_rounds"] == []
    assert freelancer["period"]["person"] == team.freelancer.pk
    params = schema["paths"]["/api/v1/workspaces/{ws}/bottlenecks"]["get"]["parameters"]
    person = next(p for p in params if p["name"] == "person")
    assert "approvals of those tasks" in person["description"]


def test_the_ranking_leaves_out_people_with_nothing_to_say(team: Team) -> None:
    # given: besides the history, a task blocked on the admin and freed the same minute
    history(team, n=1)
    campaign = Campaign.objects.get(workspace=team.workspace)
    with at("2026-03-16"):
        task = task_create(
            actor=team.manager, campaign=campaign, title="Quick", owner=team.member.pk
        )
        for status, extra in (
            (TaskStatus.IN_PROGRESS, {}),
            (TaskStatus.BLOCKED, {"blocked_reason": "A question", "blocked_on": team.admin.pk}),
            (TaskStatus.IN_PROGRESS, {}),
        ):
            task_set_status(
                actor=team.member, task=Task.objects.get(pk=task.pk), status=status, **extra
            )
    with time_machine.travel(NOW, tick=False):
        page = client_for(team.manager).get(
            f"/w/{team.workspace.slug}/waits/?from=2026-02-01&to=2026-03-20"
        )
    html = page.content.decode()
    ranking = html[
        html.index('id="people-h"') : html.index("</section>", html.index('id="people-h"'))
    ]
    # then: the admin held 0.0 working days: in the chart's table, not in the ranking
    assert team.admin.name not in ranking and team.freelancer.name in ranking
    assert "most of it on " + team.admin.name not in html
    assert any(c.person == team.admin.name for c in page.context["result"].contributors)
