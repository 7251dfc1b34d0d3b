"""Over-allocations on the manager's dashboard and in the check-in: who is booked beyond
their hours in any week of the next 14 days, by how much, linking to that week of the load grid."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.insights.selectors.findings import over_allocations
from headway.planning.models import Task
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _plan(team: Team, user, name: str = "Spring launch", lead: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Step 1 (2 days, 20 h) and Step 2 (3 days, the default 6 h a day) for `user`: 38 h in
    the week `lead` weeks from now, against a member's default 32 h."""
    _, tasks = chain(team, name, *([5 * lead] if lead else []), 2, 3)
    for task, effort in ((tasks[-3], 20.0), (tasks[-2], None)):  # the last is the launch
        task = Task.objects.get(pk=task.pk)
        fields: dict[str, object] = {"owner": user.pk}
        if effort is not None:
            fields["effort_hours"] = effort
        task_update(actor=team.manager, task=task, version=task.version, **fields)


def _cell(team: Team, week: dt.date) -> str:
    return (
        reverse("capacity:cell", kwargs={"ws": team.workspace.slug})
        + f"?person={team.member.pk}&week={week.isoformat()}"
    )


def test_a_person_booked_beyond_their_hours_is_listed_with_the_week_and_hours(
    team: Team,
) -> None:
    _plan(team, team.member)
    items = over_allocations(team.workspace, MONDAY + dt.timedelta(days=2))
    assert len(items) == 1
    item = items[0]
    assert item.owner is not None and item.owner.pk == team.member.pk
    assert item.text.startswith(f"{team.member.name}: ")
    assert item.text.endswith("38 h booked of 32 h available, week of 2 Mar")
    assert item.detail == "6 h over (119%): move or reassign work"
    assert item.url == _cell(team, MONDAY)
    assert item.key == f"overloaded:{team.member.pk}:2026-03-02"


def test_only_this_week_and_next_count(team: Team) -> None:
    _plan(team, team.member, "Far off", lead=3)
    assert over_allocations(team.workspace, MONDAY) == []
    _plan(team, team.member, "Next week", lead=1)
    weeks = [i.since for i in over_allocations(team.workspace, MONDAY)]
    assert weeks == [MONDAY + dt.timedelta(days=7)]


def test_a_week_starting_on_day_13_is_within_the_next_two_weeks(team: Team) -> None:
    """From Tuesday 3 March the next 14 days run to Monday 16 March: the week of 16 March
    starts on day 13 and is counted (the week of 9 March alone was, before); the week of
    23 March is not."""
    tuesday = MONDAY + dt.timedelta(days=1)
    _plan(team, team.member, "In two weeks", lead=2)
    items = over_allocations(team.workspace, tuesday)
    assert [i.since for i in items] == [MONDAY + dt.timedelta(days=14)]
    client = client_for(team.manager)
    ws = team.workspace.slug
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        home = client.get(reverse("workspaces:dashboard", kwargs={"ws": ws})).text
        agenda = client.get(reverse("insights:checkin-current", kwargs={"ws": ws})).text
    for page in (home, agenda):
        assert "h available, week of 16 Mar" in page
    # from Monday 2 March the 14 days end on Sunday 15 March: two weeks
    assert over_allocations(team.workspace, MONDAY) == []


def test_the_dashboard_and_the_checkin_show_it_and_link_to_the_load_cell(team: Team) -> None:
    _plan(team, team.member)
    client = client_for(team.manager)
    ws = team.workspace.slug
    cell = _cell(team, MONDAY).replace("&", "&amp;")
    home = client.get(reverse("workspaces:dashboard", kwargs={"ws": ws})).text
    agenda = client.get(reverse("insights:checkin-current", kwargs={"ws": ws})).text
    for page in (home, agenda):
        assert "Over-allocated in the next two weeks" in page
        assert cell in page and "h available, week of 2 Mar" in page
    body = client.get(f"/api/v1/workspaces/{ws}/checkins/current").json()
    section = next(s for s in body["sections"] if s["key"] == "overloaded")
    assert section["items"][0]["owner"]["id"] == team.member.pk
    assert section["items"][0]["object"] == {
        "kind": "person_week",
        "id": team.member.pk,
        "url": _cell(team, MONDAY),
    }


def test_nobody_over_says_so(team: Team) -> None:
    page = client_for(team.manager).get(
        reverse("workspaces:dashboard", kwargs={"ws": team.workspace.slug})
    )
    assert "Nobody is booked beyond their hours in any week of the next 14 days." in page.text


def test_the_pages_cost_the_same_queries_with_more_people_over(team: Team) -> None:
    client = client_for(team.manager)
    ws = team.workspace.slug
    urls = [reverse("workspaces:dashboard", kwargs={"ws": ws}),
            reverse("insights:checkin-current", kwargs={"ws": ws})]  # fmt: skip
    _plan(team, team.member)
    for url in urls:
        client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            client.get(url)
    _plan(team, team.manager, "Second")
    _plan(team, team.owner, "Third", lead=1)
    assert len(over_allocations(team.workspace, MONDAY)) == 3
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        for url in urls:
            assert client.get(url).status_code == 200
    assert len(many) == len(few)
