"""The calendar over the API: pieces, launches and task due dates day by day, in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team
from headway.planning.models import Channel, Task
from headway.planning.tests.factories import chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db


def _get(client: Client, team: Team, user: Any, query: str) -> Any:
    _, raw = token_create(actor=user, name="api")
    return client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/calendar?{query}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def _plan(team: Team) -> tuple[list[Task], dt.date]:
    launch = dt.date.today() + dt.timedelta(days=40)
    _, tasks = chain(team, launch=launch)
    for t in tasks[:2]:
        Task.objects.filter(pk=t.pk).update(owner=team.freelancer if t == tasks[0] else None)
    channel = Channel.objects.filter(workspace=team.workspace).first()
    assert channel is not None
    noon = dt.datetime.combine(launch, dt.time(12), dt.UTC)
    piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Launch post",
        kind="blog_post",
        channel=channel.pk,
        owner=team.manager.pk,
        stage="assigned",
        publish_at=noon,
    )
    return [Task.objects.get(pk=t.pk) for t in tasks], launch


def test_the_calendar_lists_each_day_with_pieces_launches_and_due_tasks(
    client: Client, team: Team
) -> None:
    tasks, launch = _plan(team)
    first = min(t.start_date for t in tasks if t.start_date)
    response = _get(client, team, team.manager, f"start={first}&end={launch}")
    assert response.status_code == 200, response.content
    body = response.json()
    days = body["days"]
    assert days[0]["date"] == first.isoformat()
    assert days[-1]["date"] == launch.isoformat()
    assert len(days) == (launch - first).days + 1
    by_date = {d["date"]: d for d in days}
    launch_tasks = [t for t in tasks if t.kind == "launch"]
    assert launch_tasks and launch_tasks[0].start_date is not None
    launch_day = by_date[launch_tasks[0].start_date.isoformat()]
    assert [t["id"] for t in launch_day["launches"]] == [launch_tasks[0].pk]
    assert [p["title"] for p in by_date[launch.isoformat()]["pieces"]] == ["Launch post"]
    due = {t["id"]: day for day, d in by_date.items() for t in d["due"]}
    for t in tasks:
        assert t.due_date is not None
        assert due[t.pk] == t.due_date.isoformat()


def test_a_freelancer_sees_only_their_own_work(client: Client, team: Team) -> None:
    tasks, launch = _plan(team)
    first = min(t.start_date for t in tasks if t.start_date)
    days = _get(client, team, team.freelancer, f"start={first}&end={launch}").json()["days"]
    seen = [t["id"] for d in days for t in d["due"] + d["launches"]]
    assert seen == [tasks[0].pk]
    assert not any(d["pieces"] for d in days)


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-01-10&end=2026-01-09",
        "start=2026-01-01&end=2027-01-02",
        "start=2026-01-01&end=9999-12-31",
    ],
)
def test_a_range_out_of_bounds_is_refused(client: Client, team: Team, query: str) -> None:
    response = _get(client, team, team.manager, query)
    assert response.status_code == 422
    assert response.json()["field"] == "end"


def test_a_full_year_is_answered(client: Client, team: Team) -> None:
    response = _get(client, team, team.manager, "start=2028-01-01&end=2028-12-31")
    assert response.status_code == 200
    assert len(response.json()["days"]) == 366
