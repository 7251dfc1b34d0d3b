"""The workspace home per role, and the newcomer page: each shows its person's items, links
where they are acted on, leaks nothing to freelancers and clients, and costs the same
queries however many campaigns there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from headway.approvals.services import StepSpec, approval_start, chain_create
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, client_for
from headway.insights.services.checkins import checkin_decision_add, checkin_open
from headway.planning.models import Campaign, Task
from headway.planning.services.campaigns import campaign_update
from headway.planning.services.tasks import task_set_status, task_update
from headway.planning.tests.factories import chain


def _home(team: Team) -> str:
    return reverse("workspaces:dashboard", kwargs={"ws": team.workspace.slug})


def _own(team: Team, task: Task, user) -> Task:  # type: ignore[no-untyped-def]
    return task_update(actor=team.manager, task=task, version=task.version, owner=user.pk)


@pytest.fixture
def work(team: Team) -> tuple[Campaign, list[Task]]:
    """A campaign launching this week with an overdue founder approval, Step 1 owned by the
    member, Step 2 by the freelancer, Step 3 unowned."""
    today = team.workspace.today()
    campaign, tasks = chain(team, "Spring launch", 1, 1, 1)
    campaign = campaign_update(
        actor=team.manager,
        campaign=campaign,
        version=campaign.version,
        objective="Sell the spring range to returning buyers",
        owner=team.manager.pk,
        launch_date=today + dt.timedelta(days=10),
    )
    tasks[0] = _own(team, tasks[0], team.member)
    tasks[1] = _own(team, tasks[1], team.freelancer)
    approval_start(actor=team.manager, chain=founder_chain(team), task=tasks[0],
                   at=timezone.now() - dt.timedelta(days=6), force=True)  # fmt: skip
    return campaign, tasks


def test_manager_sees_campaigns_overdue_approvals_and_unowned_work(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    campaign, _ = work
    page = client_for(team.manager).get(_home(team)).text
    assert "Open campaigns" in page and "Spring launch" in page
    assert (
        reverse("planning:campaign", kwargs={"ws": team.workspace.slug, "campaign_id": campaign.pk})
        in page
    )
    assert "Approvals past their limit" in page and "Step 1 waits on" in page
    assert "Step 3 (Spring launch) has no owner" in page
    assert "No campaigns in flight" not in page
    # on a phone each campaign is a card whose cells name their column
    assert 'class="table compact stack-on-phone"' in page and 'data-label="Forecast"' in page


def test_owner_sees_their_queue_first_then_launches_at_risk(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    page = client_for(team.owner).get(_home(team)).text
    queue = page.index("Waiting for your decision")
    assert queue < page.index("Launches at risk") < page.index("Open campaigns")
    assert "past its limit" in page[queue:]
    assert "Step 1" in page[queue : page.index("Launches at risk")]


def test_specialist_sees_next_tasks_and_what_waits_on_them(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    page = client_for(team.member).get(_home(team)).text
    assert "Your next tasks" in page and "Step 1" in page
    assert "Step 2 (Alpha Freelancer) waits on your Step 1" in page
    assert "Open campaigns" not in page


def test_freelancer_sees_their_assignments_and_nothing_else(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    page = client_for(team.freelancer).get(_home(team)).text
    assert "Your assignments" in page and "Step 2" in page
    assert "Waits on: Step 1 (Alpha Member)" in page
    assert "Step 3" not in page and "Open campaigns" not in page
    assert "This week's check-in" not in page and "Recent activity" not in page


def test_client_sees_what_waits_for_their_decision_only(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    _, tasks = work
    client_chain = chain_create(actor=team.manager, workspace=team.workspace, name="Client OK",
                                kind="content_draft",
                                steps=[StepSpec("Client", approvers=[team.client.pk])])  # fmt: skip
    task_set_status(actor=team.manager, task=tasks[0], status="done", force=True)
    approval_start(actor=team.manager, chain=client_chain, task=tasks[1], force=True)
    page = client_for(team.client).get(_home(team)).text
    assert "Waiting for your decision" in page and "Step 2" in page
    assert "Step 1" not in page and "Step 3" not in page and "Spring launch</a>" not in page


@pytest.mark.parametrize("role", ["manager", "owner", "member"])
def test_the_dashboard_costs_the_same_queries_with_more_campaigns(team: Team, role: str) -> None:
    user = getattr(team, role)
    client = client_for(user)

    def grow(n: int) -> None:
        for k in range(n):
            _, tasks = chain(team, f"Campaign {k}", 1, 2)
            _own(team, tasks[0], team.member)
            approval_start(actor=team.manager, chain=founder_chain(team, name=f"Chain {k}"),
                           task=Task.objects.get(pk=tasks[0].pk),
                           at=timezone.now() - dt.timedelta(days=5), force=True)  # fmt: skip

    def count() -> tuple[int, int]:
        """Queries of the page built afresh, then kept."""
        cache.clear()
        with CaptureQueriesContext(connection) as built:
            assert client.get(_home(team)).status_code == 200
        with CaptureQueriesContext(connection) as again:
            client.get(_home(team))
        return len(built), len(again)

    grow(2)
    client.get(_home(team))
    small = count()
    grow(8)
    assert count() == small, role


# -- the newcomer page ------------------------------------------------------------------------


def test_newcomer_page_says_what_is_in_flight_why_and_who_owns_what(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    checkin = checkin_open(workspace=team.workspace, now=timezone.now())
    due = checkin.week + dt.timedelta(days=4)
    checkin_decision_add(actor=team.manager, checkin=checkin, text="Hire a photographer",
                         owner_id=team.admin.pk, due_date=due)  # fmt: skip
    page = (
        client_for(team.member)
        .get(reverse("insights:newcomer", kwargs={"ws": team.workspace.slug}))
        .text
    )
    assert "Spring launch" in page and "Sell the spring range to returning buyers" in page
    assert "Owner Alpha Manager" in page
    assert "Founder sign-off" in page  # the chain the owner approves
    assert "Hire a photographer" in page
    assert "Alpha Client" not in page  # clients are not the team


def test_newcomer_page_is_the_teams(team: Team) -> None:
    url = reverse("insights:newcomer", kwargs={"ws": team.workspace.slug})
    assert client_for(team.freelancer).get(url).status_code == 403
    assert client_for(team.client).get(url).status_code == 403


def test_newcomer_page_costs_the_same_queries_with_more_campaigns(team: Team) -> None:
    client = client_for(team.manager)
    url = reverse("insights:newcomer", kwargs={"ws": team.workspace.slug})
    for k in range(2):
        _, tasks = chain(team, f"A{k}", 1, 1)
        _own(team, tasks[0], team.member)
    client.get(url)  # the first page of a visit stores the workspace in the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for k in range(8):
        _, tasks = chain(team, f"B{k}", 1, 1)
        _own(team, tasks[0], team.admin)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_invitation_links_to_the_newcomer_page(team: Team) -> None:
    client = client_for(team.owner)
    url = reverse("workspaces:members", kwargs={"ws": team.workspace.slug})
    client.post(url, {"email": "noor@example.com", "role": "member"})
    assert len(mail.outbox) == 1
    start = reverse("insights:newcomer", kwargs={"ws": team.workspace.slug})
    assert start in mail.outbox[0].body


def test_the_manager_sees_the_first_escalations_and_how_many_wait(team: Team) -> None:
    from headway.insights.services.escalations import escalation_raise

    campaign, _ = chain(team, "Spring launch", 1)
    for n in range(23):
        escalation_raise(actor=team.member, campaign=campaign, text=f"Risk number {n}")
    page = client_for(team.manager).get(_home(team)).text
    section = page.split('id="section-escalations"')[1].split("</section>")[0]
    assert ">23</span>" in section and "Risk number 0" in section and "Risk number 19" in section
    assert "Risk number 20" not in section and "and 3 more not listed here" in section


def test_a_task_in_review_waits_on_its_approval_not_on_the_work_before_it(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    """Step 2 (the freelancer's) follows Step 1; once Step 2 is sent for approval it waits on
    the founder's decision, not on Step 1."""
    _, tasks = work
    approval_start(actor=team.manager, chain=founder_chain(team), task=tasks[1], force=True)
    assert Task.objects.get(pk=tasks[1].pk).status == "in_review"
    page = client_for(team.freelancer).get(_home(team)).text
    line = page.split(">Step 2</a>")[1].split("</li>")[0]
    assert f"Waits on: its approval, “Founder”, on {team.owner.name}" in line
    assert "Step 1 (" not in line


def test_the_forecasts_say_their_basis(team: Team, work) -> None:  # type: ignore[no-untyped-def]
    page = client_for(team.manager).get(_home(team)).text
    section = page.split('aria-labelledby="h-campaigns"')[1].split("</section>")[0]
    assert "Forecasts: the plan as scheduled, with the team's history" in section


def test_a_campaign_without_a_launch_date_says_so_and_when_its_work_ends(team: Team) -> None:
    # given: the demo's "Care guide blog series": planned, no launch date
    from headway.insights.services.health import campaign_health_refresh

    campaign, _ = chain(team, "Care guide blog series", 2, 1)
    campaign_health_refresh(campaign, trials=500)
    # when
    page = client_for(team.manager).get(_home(team)).text
    # then: its row names no launch to meet, and words the forecast as when the work ends
    row = page.split(">Care guide blog series</a>")[1].split("</tr>")[0]
    assert "no launch date set" in row and "the plan ends" in row
    assert "No launch date set; the work ends by" in row and "in 85% of trials" in row
    assert "% to launch" not in row
