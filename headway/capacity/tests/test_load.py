"""Capacity: the services, the load grid page and its API, with hand-worked numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.capacity import selectors
from headway.capacity.models import Capacity, CapacitySettings
from headway.capacity.services import capacity_set, capacity_settings_set
from headway.conftest import Team, client_for
from headway.core.errors import DomainError, Forbidden
from headway.planning.models import Task
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _own(team: Team, task: Task, effort: float | None = None) -> Task:
    task = Task.objects.get(pk=task.pk)
    fields: dict[str, object] = {"owner": team.member.pk}
    if effort is not None:
        fields["effort_hours"] = effort
    return task_update(actor=team.manager, task=task, version=task.version, **fields)


def _plan(team: Team, name: str = "Spring launch") -> list[Task]:
    """Step 1 (2 days, 20 h) Mon-Tue, Step 2 (3 days, no effort: 18 h) Wed-Fri, Step 3
    (1 day, 6 h) next Monday, all owned by the member."""
    _, tasks = chain(team, name, 2, 3, 1)
    _own(team, tasks[0], 20)
    _own(team, tasks[1])
    _own(team, tasks[2])
    return [Task.objects.get(pk=t.pk) for t in tasks]


def _member_row(view: selectors.LoadView, team: Team) -> selectors.LoadRow:
    return next(r for r in view.rows if r.user_id == team.member.pk)


def test_the_plan_is_where_the_numbers_expect_it(team: Team) -> None:
    tasks = _plan(team)
    assert [(t.start_date, t.due_date) for t in tasks[:3]] == [
        (MONDAY, MONDAY + dt.timedelta(days=1)),
        (MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)),
        (MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=7)),
    ]


def test_grid_books_effort_and_the_default_per_day_against_role_hours(team: Team) -> None:
    _plan(team)
    view = selectors.load_view(team.workspace)
    row = _member_row(view, team)
    assert view.weeks[0] == MONDAY and len(view.weeks) == 12
    # 20 h + 3 days x 6 h = 38 h of a member's default 32 h; then 6 h
    assert row.cells[0].booked == pytest.approx(38.0)
    assert row.cells[0].available == pytest.approx(32.0)
    assert row.cells[0].over and row.cells[0].level == "over"
    assert row.cells[1].booked == pytest.approx(6.0)
    assert row.cells[1].level == "light"
    assert [t.title for t in row.cells[0].tasks] == ["Step 1", "Step 2"]
    assert view.over_count == 1


def test_capacity_and_default_effort_change_the_grid(team: Team) -> None:
    _plan(team)
    capacity_set(
        actor=team.manager,
        workspace=team.workspace,
        user_id=team.member.pk,
        weekly_hours=Decimal(40),
        weekdays=[0, 1, 2, 3, 4],
        skill="designer",
    )
    capacity_settings_set(actor=team.manager, workspace=team.workspace, hours_per_day=4)
    row = _member_row(selectors.load_view(team.workspace), team)
    # 20 h + 3 x 4 h = 32 h of 40 h
    assert row.cells[0].booked == pytest.approx(32.0)
    assert row.cells[0].available == pytest.approx(40.0)
    assert not row.cells[0].over
    assert Event.objects.filter(object_type="capacity.capacity").count() == 1
    assert Event.objects.filter(object_type="capacity.capacitysettings").count() == 1


def test_filters_by_role_and_by_campaign(team: Team) -> None:
    _plan(team)
    _, other = chain(team, "Other", 5)
    _own(team, other[0], 10)
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="designer",
    )  # fmt: skip
    both = _member_row(selectors.load_view(team.workspace), team)
    assert both.cells[0].booked == pytest.approx(48.0)
    spring = Task.objects.get(title="Step 1", campaign__name="Spring launch").campaign_id
    one = _member_row(selectors.load_view(team.workspace, campaign_id=spring), team)
    assert one.cells[0].booked == pytest.approx(38.0)
    designers = selectors.load_view(team.workspace, role="designer")
    assert [r.user_id for r in designers.rows] == [team.member.pk]
    assert [r.label for r in designers.role_rows] == ["Designer"]


def test_freelancer_days_and_engagement_and_time_off(team: Team) -> None:
    capacity_set(
        actor=team.manager,
        workspace=team.workspace,
        user_id=team.freelancer.pk,
        weekly_hours=18,
        weekdays=[1, 2, 3],
        first_day=MONDAY + dt.timedelta(days=9),  # Wednesday of week 2
        day_rate=Decimal("450.00"),
    )
    row = next(
        r for r in selectors.load_view(team.workspace).rows if r.user_id == team.freelancer.pk
    )
    assert [c.available for c in row.cells[:3]] == pytest.approx([0.0, 12.0, 18.0])


def test_clients_carry_no_hours_and_are_not_in_the_grid(team: Team) -> None:
    view = selectors.load_view(team.workspace)
    assert team.client.pk not in [r.user_id for r in view.rows]
    with pytest.raises(DomainError) as exc:
        capacity_set(
            actor=team.manager, workspace=team.workspace, user_id=team.client.pk,
            weekly_hours=10, weekdays=[0],
        )  # fmt: skip
    assert exc.value.field == "user"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"weekly_hours": 200}, "weekly_hours"),
        ({"weekly_hours": "lots"}, "weekly_hours"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"skill": "juggler"}, "skill"),
        ({"first_day": MONDAY, "last_day": MONDAY - dt.timedelta(days=1)}, "last_day"),
        ({"day_rate": -5}, "day_rate"),
    ],
)
def test_bad_capacity_is_refused_naming_the_field(team: Team, fields: dict, field: str) -> None:
    values = {"weekly_hours": 32, "weekdays": [0, 1, 2, 3, 4]} | fields
    with pytest.raises(DomainError) as exc:
        capacity_set(actor=team.manager, workspace=team.workspace, user_id=team.member.pk, **values)
    assert exc.value.field == field
    assert not Capacity.objects.exists()


def test_only_planners_set_capacity(team: Team) -> None:
    with pytest.raises(Forbidden):
        capacity_set(
            actor=team.member, workspace=team.workspace, user_id=team.member.pk,
            weekly_hours=60, weekdays=[0],
        )  # fmt: skip
    with pytest.raises(Forbidden):
        capacity_settings_set(actor=team.member, workspace=team.workspace, hours_per_day=2)
    assert not CapacitySettings.objects.exists()


def test_grid_page_marks_over_allocation_with_a_constant_query_count(team: Team) -> None:
    _plan(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/capacity/"
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "38 / 32 h" in body and "over · 119%" in body
    cell = f"/w/{team.workspace.slug}/capacity/cell/?person={team.member.pk}&week=2026-03-02"
    assert cell.replace("&", "&amp;") in body
    listed = client.get(cell, HTTP_HX_REQUEST="true").content.decode()
    assert "Step 1" in listed and "Step 2" in listed and "<html" not in listed
    assert "Step 1" in client.get(cell).content.decode()
    assert client.get(cell.replace("2026-03-02", "soon")).status_code == 404
    assert client.get(cell.replace(str(team.member.pk), str(team.client.pk))).status_code == 404
    for n in range(5):
        _plan(team, f"More {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["freelancer", "client"])
def test_externals_cannot_see_the_grid(team: Team, who: str) -> None:
    client = client_for(getattr(team, who))
    assert client.get(f"/w/{team.workspace.slug}/capacity/").status_code == 403
    assert client.get(f"/w/{team.workspace.slug}/capacity/people/").status_code == 403
    _, raw = token_create(actor=getattr(team, who), name="api")
    response = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/load", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403


def test_people_page_saves_capacity_and_refuses_bad_input(team: Team) -> None:
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/capacity/people/"
    assert client.get(url).status_code == 200
    data = {
        "form": "capacity",
        "user": team.member.pk,
        "weekly_hours": "30",
        "weekdays": ["0", "2"],
        "skill": "copywriter",
    }
    assert client.post(url, data).status_code == 302
    saved = Capacity.objects.get()
    assert (saved.weekly_hours, saved.weekdays, saved.skill) == (Decimal(30), "02", "copywriter")
    bad = client.post(url, data | {"weekly_hours": "500"})
    assert bad.status_code == 400 and "168" in bad.content.decode()
    assert Capacity.objects.get().weekly_hours == Decimal(30)
    member = client_for(team.member)
    assert member.get(url).status_code == 200
    member.post(url, data | {"weekly_hours": "5"})
    assert Capacity.objects.get().weekly_hours == Decimal(30)


def test_people_form_round_trips(team: Team) -> None:
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=Decimal("22.5"), weekdays=[1, 2], skill="web", first_day=MONDAY,
    )  # fmt: skip
    client = client_for(team.manager)
    page = client.get(
        f"/w/{team.workspace.slug}/capacity/people/?person={team.member.pk}"
    ).content.decode()
    assert 'value="22.5"' in page and 'value="2026-03-02"' in page
    before = Event.objects.count()
    data = {
        "form": "capacity",
        "user": team.member.pk,
        "weekly_hours": "22.5",
        "weekdays": ["1", "2"],
        "skill": "web",
        "first_day": "2026-03-02",
    }
    assert client.post(f"/w/{team.workspace.slug}/capacity/people/", data).status_code == 302
    assert Event.objects.count() == before


def test_day_rates_are_shown_to_planners_only(team: Team) -> None:
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.freelancer.pk,
        weekly_hours=Decimal(24), weekdays=[0, 1, 2], day_rate=Decimal("480.00"),
    )  # fmt: skip
    url = f"/w/{team.workspace.slug}/capacity/people/"
    for who in ("owner", "admin", "manager"):
        page = client_for(getattr(team, who)).get(url).content.decode()
        assert "Day rate" in page and "480.00" in page, who
    response = client_for(team.member).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert team.freelancer.name in text and "24" in text
    assert "Day rate" not in text and "480" not in text
    assert all(p.day_rate is None for p in response.context["people"])
    _, raw = token_create(actor=team.member, name="api")
    answer = client_for(team.member).get(
        f"/api/v1/workspaces/{team.workspace.slug}/load", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 200 and "480" not in answer.content.decode()


def test_load_api(team: Team) -> None:
    _plan(team)
    _, raw = token_create(actor=team.member, name="api")
    client = client_for(team.member)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.get(f"/api/v1/workspaces/{team.workspace.slug}/load?weeks=2", **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["weeks"] == ["2026-03-02", "2026-03-09"]
    row = next(r for r in body["people"] if r["user_id"] == team.member.pk)
    assert row["cells"][0]["booked"] == 38.0 and row["cells"][0]["over"] is True
    assert [t["title"] for t in row["cells"][0]["tasks"]] == ["Step 1", "Step 2"]
    bad = client.get(f"/api/v1/workspaces/{team.workspace.slug}/load?weeks=500", **auth)
    assert bad.status_code == 422 and bad.json()["field"] == "weeks"


def test_a_three_point_estimate_books_its_pert_mean(team: Team) -> None:
    _, tasks = chain(team, "Estimated", 1)
    task = Task.objects.get(pk=tasks[0].pk)
    task_update(
        actor=team.manager, task=task, version=task.version, owner=team.member.pk,
        optimistic_days=1, likely_days=2, pessimistic_days=9,
    )  # fmt: skip
    row = _member_row(selectors.load_view(team.workspace), team)
    # (1 + 4 x 2 + 9) / 6 = 3 days x 6 h
    assert row.cells[0].booked == pytest.approx(18.0)
