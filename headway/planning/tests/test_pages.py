from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.conftest import Team, client_for
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.planning.models import Campaign, Dependency, Task, TaskStatus
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create
from headway.planning.tests.factories import chain
from headway.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def _grow(team: Team, campaign: Campaign, n: int) -> None:
    last = Task.objects.filter(campaign=campaign).order_by("-id").first()
    for k in range(n):
        t = task_create(
            actor=team.manager,
            campaign=campaign,
            title=f"Extra {k}",
            duration_days=1,
            owner=team.member.pk if k % 2 else None,
            reschedule=False,
        )
        dependency_add(actor=team.manager, predecessor=last, successor=t)
        last = t


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["campaign", "board", "campaigns", "my-work"])
def test_page_query_counts_do_not_grow_with_tasks(team: Team, page: str) -> None:
    campaign, _ = chain(team)
    client = client_for(team.member)
    ws = team.workspace.slug
    url = {
        "campaign": f"/w/{ws}/campaigns/{campaign.pk}/",
        "board": f"/w/{ws}/board/",
        "campaigns": f"/w/{ws}/campaigns/",
        "my-work": f"/w/{ws}/my-work/",
    }[page]
    _grow(team, campaign, 3)
    client.get(url)  # the first visit adds the standard channels
    small = _queries(client, url)
    _grow(team, campaign, 25)
    assert _queries(client, url) == small


def test_demo_pages_render_with_the_plan(team: Team) -> None:
    demo_load()
    ws = Workspace.objects.get(name=HARBOR_AND_PINE)
    jordan = Membership.objects.get(workspace=ws, title="Marketing manager").user
    client = client_for(jordan)
    listing = client.get(f"/w/{ws.slug}/campaigns/").content.decode()
    assert listing.count("<tr>") >= 9  # header + 8 campaigns
    assert "working days short" in listing or "working day short" in listing
    festival = Campaign.objects.get(workspace=ws, name="Harbor Days festival film")
    page = client.get(f"/w/{ws.slug}/campaigns/{festival.pk}/").content.decode()
    assert "Music licence cleared" in page and "at risk" in page
    assert '<svg class="gantt"' in page
    shoe = Campaign.objects.get(workspace=ws, name="Trail shoe launch")
    page = client.get(f"/w/{ws.slug}/campaigns/{shoe.pk}/").content.decode()
    assert "badge-crit" in page and 'class="link crit"' in page
    board = client.get(f"/w/{ws.slug}/board/").content.decode()
    blocked_column = board.split('data-status="blocked"')[1].split("</section>")[0]
    assert "Edit the festival film" in blocked_column
    assert 'data-status="blocked"' in board
    mine = client.get(f"/w/{ws.slug}/my-work/").content.decode()
    assert "Who waits on it" in mine


def test_the_board_moves_a_card_and_answers_htmx_with_the_board(team: Team) -> None:
    _, tasks = chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/status/"
    response = client.post(
        url, {"status": "in_progress", "from": "board", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="board"' in response.content.decode()
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.IN_PROGRESS
    # An unowned task cannot start: the board says why and nothing changes.
    response = client.post(
        f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/status/",
        {"status": "in_progress", "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert "has no owner" in response.content.decode()
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.NOT_STARTED


@pytest.mark.parametrize("who", ["freelancer", "client"])
def test_externals_see_only_their_own_tasks(team: Team, who: str) -> None:
    _, tasks = chain(team)
    outsider = getattr(team, who)
    Task.objects.filter(pk=tasks[0].pk).update(owner=outsider)
    client = client_for(outsider)
    # a client follows their work under My work (the board is the team's: 403 for them)
    page = "my-work" if who == "client" else "board"
    board = client.get(f"/w/{team.workspace.slug}/{page}/").content.decode()
    assert "Step 1" in board and "Step 2" not in board
    assert client.get(f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/").status_code == 404
    assert client.get(f"/w/{team.workspace.slug}/campaigns/").status_code == 403


def test_a_duration_change_shows_the_cascade_before_saving(team: Team) -> None:
    _, tasks = chain(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/"
    data = {"title": "Step 1", "kind": "task", "duration_days": "4", "version": tasks[0].version}
    page = client.post(url, data).content.decode()
    assert "moves 3 tasks; the launch moves 2 working days later" in page
    assert Task.objects.get(pk=tasks[0].pk).duration_days == 2
    response = client.post(url, data | {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url
    assert Task.objects.get(pk=tasks[0].pk).duration_days == 4


def test_a_stale_edit_is_refused_on_the_page(team: Team) -> None:
    _, tasks = chain(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/"
    Task.objects.filter(pk=tasks[0].pk).update(version=5, title="Changed elsewhere")
    response = client.post(
        url, {"title": "Mine", "kind": "task", "duration_days": "2", "version": 1}
    )
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()
    assert Task.objects.get(pk=tasks[0].pk).title == "Changed elsewhere"


def test_new_campaign_from_template_page_says_it_is_short(team: Team) -> None:
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/campaigns/new/"
    assert client.get(url).status_code == 200
    from headway.planning.models import CampaignTemplate

    template = CampaignTemplate.objects.get(workspace=team.workspace, name="Product launch")
    launch = dt.date.today() + dt.timedelta(days=14)
    response = client.post(
        url,
        {
            "mode": "template",
            "template": template.pk,
            "name": "Quick launch",
            "launch_date": launch.isoformat(),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "too early for this plan" in body
    assert "not feasible" in body
    past = client.post(
        url, {"mode": "blank", "name": "Old", "currency": "USD", "launch_date": "2020-01-06"}
    )
    assert past.status_code == 400 and "in the past" in past.content.decode()


def test_templates_pages_show_steps_relative_to_the_launch(team: Team) -> None:
    client = client_for(team.manager)
    listing = client.get(f"/w/{team.workspace.slug}/templates/").content.decode()
    assert "Product launch" in listing and "26 working days" in listing
    from headway.planning.models import CampaignTemplate

    t = CampaignTemplate.objects.get(workspace=team.workspace, name="Blog post")
    page = client.get(f"/w/{team.workspace.slug}/templates/{t.pk}/").content.decode()
    assert "5 working days before launch" in page  # the outline starts a week ahead
    # sharing the post waits on the publish milestone, so it starts at the launch
    row = page.split("Share on social")[1].split("</tr>")[0]
    assert "at launch" in row


def test_campaign_status_change_and_its_refusal_are_shown(team: Team) -> None:
    campaign, _ = chain(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/status/"
    page = client.post(url, {"status": "in_progress"}, follow=True).content.decode()
    assert "Campaign is now in progress." in page
    from headway.planning.services.links import condition_create

    condition_create(
        actor=team.manager,
        campaign=campaign,
        title="Partner sign-off",
        kind="partner",
        owner=team.member.pk,
    )
    page = client.post(url, {"status": "launched"}, follow=True).content.decode()
    assert "cannot launch while go-live conditions are unmet: Partner sign-off" in page
    campaign.refresh_from_db()
    assert campaign.status == "in_progress"


@pytest.mark.django_db
def test_adding_and_removing_a_link_asks_first_with_what_moves(team: Team) -> None:
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        _, tasks = chain(team)
        extra = task_create(
            actor=team.manager, campaign=tasks[0].campaign, title="Legal check", duration_days=7
        )
        client = client_for(team.manager)
        ws = team.workspace.slug
        url = f"/w/{ws}/tasks/{tasks[2].pk}/links/"
        data = {"predecessor": extra.pk, "type": "FS", "lag": 0}
        page = client.post(url, data).content.decode()
        assert "Add this link?" in page and "the launch moves 2 working days later" in page
        assert not Dependency.objects.filter(predecessor=extra).exists()
        client.post(url, data | {"confirm": "on"})
        dep = Dependency.objects.get(predecessor=extra)
        remove = f"/w/{ws}/links/{dep.pk}/remove/"
        page = client.post(remove).content.decode()
        assert "Remove this link?" in page and "2 working days earlier" in page
        assert Dependency.objects.filter(pk=dep.pk).exists()
        client.post(remove, {"confirm": "on"})
        assert not Dependency.objects.filter(pk=dep.pk).exists()


def test_a_task_is_deleted_after_confirmation_and_the_plan_closes_up(team: Team) -> None:
    campaign, tasks = chain(team)
    client = client_for(team.manager)
    page = client.get(f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/").content.decode()
    assert "Delete this task" in page
    response = client.post(f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/#plan"
    assert not Task.objects.filter(pk=tasks[1].pk).exists()
    assert (
        Task.objects.get(pk=tasks[2].pk).start_date == Task.objects.get(pk=tasks[0].pk).start_date
    )  # step 3 no longer waits on anything
    member = client_for(team.member)
    member.post(f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/delete/")
    assert Task.objects.filter(pk=tasks[0].pk).exists()
