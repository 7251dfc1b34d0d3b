"""The levelled plan: what would move if everyone worked within their hours, on the load page
(its section), as a page of its own and over the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.accounts.services import token_create
from headway.capacity.levelled import level_inputs, levelled_view
from headway.conftest import Team, client_for
from headway.planning.models import Campaign, Task
from headway.planning.services.calendar import timeoff_add
from headway.planning.services.tasks import task_set_status, task_update
from headway.planning.tests.factories import chain

MONDAY = dt.date(2026, 3, 2)


def day(k: int) -> dt.date:
    return MONDAY + dt.timedelta(days=k)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _campaign(team: Team, name: str, days: int, hours: float) -> tuple[Campaign, Task]:
    """One task of `days` days from today owned by the member (32 h a week: 6.4 h a day),
    then the launch milestone."""
    campaign, tasks = chain(team, name, days)
    task = task_update(
        actor=team.manager,
        task=tasks[0],
        version=tasks[0].version,
        owner=team.member.pk,
        effort_hours=hours,
    )
    return campaign, task


def _clash(team: Team) -> tuple[Task, Task]:
    """Spring launch's 3 full days and the newsletter's 2, both from Monday: the member is
    booked 12.8 h a day on Monday and Tuesday."""
    _, spring = _campaign(team, "Spring launch", 3, 19.2)
    _, letter = _campaign(team, "Newsletter", 2, 12.8)
    return spring, letter


def test_the_later_campaign_waits_for_its_owner(team: Team) -> None:
    # given two campaigns of equal float whose tasks the member works at the same time
    spring, letter = _clash(team)
    # when
    view = levelled_view(team.workspace)
    # then Spring launch (the smaller id) keeps its dates; the newsletter's task runs
    # Thursday-Friday, after Spring's ends on Wednesday 4 March, and its launch moves too
    assert [m.task_id for m in view.moves] == [letter.pk]
    move = view.moves[0]
    assert (move.start, move.due, move.new_start, move.new_due) == (MONDAY, day(1), day(3), day(4))
    assert move.days == 3
    assert move.owner == "Alpha"
    assert move.reason == "waits for Alpha (busy on Spring launch until 4 Mar)"
    [launch] = view.launches
    assert launch.name == "Newsletter"
    assert (launch.before, launch.after, launch.days) == (day(2), day(7), 3)
    assert launch.reason == "“Step 1” waits for Alpha (busy on Spring launch until 4 Mar)"
    assert spring.pk not in {m.task_id for m in view.moves}


def test_a_change_to_the_plan_is_levelled_afresh(team: Team) -> None:
    _, letter = _clash(team)
    assert [m.task_id for m in levelled_view(team.workspace).moves] == [letter.pk]
    task_update(actor=team.manager, task=letter, version=letter.version, effort_hours=0)
    assert levelled_view(team.workspace).moves == []


def test_an_earlier_launch_date_goes_first(team: Team) -> None:
    spring, letter = _clash(team)
    Campaign.objects.filter(pk=letter.campaign_id).update(launch_date=day(10))
    Campaign.objects.filter(pk=spring.campaign_id).update(launch_date=day(20))
    view = levelled_view(team.workspace)
    assert [m.task_id for m in view.moves] == [spring.pk]
    assert view.moves[0].reason == "waits for Alpha (busy on Newsletter until 3 Mar)"


def test_half_days_fit_and_nothing_moves(team: Team) -> None:
    _campaign(team, "Spring launch", 3, 9.6)
    _campaign(team, "Newsletter", 2, 6.4)
    view = levelled_view(team.workspace)
    assert view.moves == [] and view.launches == []


def test_work_that_has_started_keeps_its_dates(team: Team) -> None:
    spring, letter = _clash(team)
    task_set_status(actor=team.member, task=letter, version=letter.version, status="in_progress")
    view = levelled_view(team.workspace)
    assert [m.task_id for m in view.moves] == [spring.pk]


def test_a_task_over_its_owners_daily_hours_is_listed(team: Team) -> None:
    _, spring = _campaign(team, "Spring launch", 2, 20.0)
    view = levelled_view(team.workspace)
    [over] = view.over_day
    assert (over.task_id, over.hours_per_day, over.capacity) == (spring.pk, 10.0, 6.4)


def test_inputs_count_the_owners_working_days_and_their_days_off(team: Team) -> None:
    _, spring = _campaign(team, "Spring launch", 3, 19.2)
    timeoff_add(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        first_day=day(1), last_day=day(1),
    )  # fmt: skip
    spring.refresh_from_db()
    assert (spring.start_date, spring.due_date) == (MONDAY, day(3))  # stretched over Tuesday
    inputs = level_inputs(team.workspace)
    task = next(t for t in inputs.tasks if t.id == spring.pk)
    assert task.duration == 3 and task.hours_per_day == pytest.approx(6.4)
    assert levelled_view(team.workspace).moves == []


def test_the_load_page_loads_the_section_and_the_section_renders(team: Team) -> None:
    _clash(team)
    client = client_for(team.manager)
    ws = team.workspace.slug
    page = client.get(f"/w/{ws}/capacity/").content.decode()
    assert "If everyone works within their hours" in page
    assert f'hx-get="/w/{ws}/capacity/levelled/"' in page
    section = client.get(f"/w/{ws}/capacity/levelled/", HTTP_HX_REQUEST="true")
    body = section.content.decode()
    assert section.status_code == 200 and "<html" not in body
    assert "Launches that would move" in body and "Newsletter" in body
    assert "Waits for Alpha (busy on Spring launch until 4 Mar)" in body
    assert "3 working days later" in body
    full = client.get(f"/w/{ws}/capacity/levelled/").content.decode()
    assert "<html" in full and "Back to the load" in full


def test_the_section_says_when_nothing_moves(team: Team) -> None:
    _campaign(team, "Spring launch", 3, 6.0)
    body = client_for(team.member).get(f"/w/{team.workspace.slug}/capacity/levelled/")
    assert "Nothing moves: everyone's work fits within their hours." in body.content.decode()


def test_the_campaign_filter_keeps_its_moves_only(team: Team) -> None:
    spring, letter = _clash(team)
    assert levelled_view(team.workspace, spring.campaign_id).moves == []
    assert [m.task_id for m in levelled_view(team.workspace, letter.campaign_id).moves] == [
        letter.pk
    ]
    url = f"/w/{team.workspace.slug}/capacity/?campaign={spring.campaign_id}"
    page = client_for(team.manager).get(url).content.decode()
    assert f"capacity/levelled/?campaign={spring.campaign_id}" in page


def test_the_section_costs_the_same_queries_for_more_campaigns(team: Team) -> None:
    _clash(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/capacity/levelled/"
    client.get(url)  # the first page of a visit stores the workspace in the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        _campaign(team, f"More {n}", 2, 12.8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_levelled_api(team: Team) -> None:
    _, letter = _clash(team)
    _, raw = token_create(actor=team.member, name="api")
    response = client_for(team.member).get(
        f"/api/v1/workspaces/{team.workspace.slug}/capacity/levelled",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["tasks"] == [
        {
            "task_id": letter.pk,
            "title": "Step 1",
            "campaign_id": letter.campaign_id,
            "campaign": "Newsletter",
            "owner": "Alpha",
            "start": "2026-03-02",
            "due": "2026-03-03",
            "new_start": "2026-03-05",
            "new_due": "2026-03-06",
            "days": 3,
            "reason": "waits for Alpha (busy on Spring launch until 4 Mar)",
            "float_left": 0,  # its launch moves: no time in hand
        }
    ]
    assert [(x["name"], x["after"], x["days"]) for x in data["launches"]] == [
        ("Newsletter", "2026-03-09", 3)
    ]
    assert data["over_capacity"] == [] and data["unstaffed"] == 0


@pytest.mark.parametrize("who", ["freelancer", "client"])
def test_externals_cannot_see_the_levelled_plan(team: Team, who: str) -> None:
    _clash(team)
    user = getattr(team, who)
    client = client_for(user)
    assert client.get(f"/w/{team.workspace.slug}/capacity/levelled/").status_code == 403
    _, raw = token_create(actor=user, name="api")
    response = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/capacity/levelled",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert response.json()["code"]


def test_other_workspaces_work_is_not_levelled(team: Team, other_team: Team) -> None:
    _clash(team)
    assert levelled_view(other_team.workspace).moves == []
    client = client_for(other_team.manager)
    assert client.get(f"/w/{team.workspace.slug}/capacity/levelled/").status_code in (403, 404)


@pytest.mark.django_db
def test_the_demo_shows_priyas_overbooked_week_as_a_date() -> None:
    from headway.capacity.demo import demo_capacity
    from headway.core.demo import HARBOR_AND_PINE, HARBOR_PEOPLE, _workspace
    from headway.planning.demo import demo_planning
    from headway.workspaces.models import WorkspaceKind

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        demo_capacity(harbor)
        view = levelled_view(harbor)
    # Priya's design jobs two weeks out: one waits for the other, the landing page after it
    priya = [m for m in view.moves if m.owner == "Priya"]
    assert priya, [m.title for m in view.moves]
    assert any(m.reason.startswith("waits for Priya (busy on ") for m in priya)
    assert all("waits for Priya (busy on " in m.reason for m in view.moves)
    [shoe] = view.launches  # the only launch that moves, and for Priya
    assert shoe.name == "Trail shoe launch" and "waits for Priya" in shoe.reason
    assert all(m.days > 0 and m.new_start > m.start for m in view.moves)


def test_a_plan_that_cannot_be_levelled_is_said_so_not_a_500(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from headway.capacity import levelled
    from headway.engine.leveling import LevelError

    def refuse(*args: object) -> None:
        raise LevelError("the plan runs further than twenty years ahead")

    _clash(team)
    monkeypatch.setattr(levelled, "level", refuse)
    monkeypatch.setattr(levelled, "cache", type("NoCache", (), {"get": lambda s, k: None})())
    client = client_for(team.manager)
    page = client.get(f"/w/{team.workspace.slug}/capacity/levelled/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "The plan cannot be levelled: the plan runs further than twenty years ahead" in (
        page.content.decode()
    )
    _, raw = token_create(actor=team.manager, name="api")
    response = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/capacity/levelled",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_levellable"


def test_planned_dates_are_the_stored_plans_dates_exactly(team: Team) -> None:
    """The member works Tuesday to Friday; both tasks are stored from Monday. The newsletter's
    task moves, and its "planned" dates are the ones the campaign page shows (from Monday),
    not the member's first working day."""
    from headway.capacity.services import capacity_set

    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=32, weekdays=[1, 2, 3, 4],
    )  # fmt: skip
    _campaign(team, "Spring launch", 3, 8.0)
    _, letter = _campaign(team, "Newsletter", 2, 8.0)
    letter.refresh_from_db()
    view = levelled_view(team.workspace)
    [move] = [m for m in view.moves if m.task_id == letter.pk]
    assert (move.start, move.due) == (letter.start_date, letter.due_date) == (MONDAY, day(1))
    assert move.new_start > day(1)
    [launch] = [m for m in view.launches if m.name == "Newsletter"]
    stored = Task.objects.get(campaign__name="Newsletter", kind="launch").start_date
    assert launch.before == stored


def test_the_section_says_its_basis(team: Team) -> None:
    _clash(team)
    body = client_for(team.member).get(f"/w/{team.workspace.slug}/capacity/levelled/")
    assert "Basis: if everyone works within their hours" in body.content.decode()
