"""A campaign from a template with "assign suggested": each task goes to the person doing its
kind of work with the most free hours in its weeks (J1: all four design tasks went to Alex,
the 18-hour freelancer, at over 300%, while Priya, the 32-hour designer, sat at 15%); with no
capacity recorded for that kind of work, to the first member whose title suggests it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from headway.capacity.services import capacity_set
from headway.conftest import Team
from headway.planning.models import Task
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create
from headway.planning.services.templates import campaign_from_template, template_create
from headway.workspaces.models import Membership

pytestmark = pytest.mark.django_db

LAUNCH = dt.date(2026, 3, 30)  # a Monday: the three weeks of design are 9, 16 and 23 March
SPEC = {
    "tasks": [
        {"key": "a", "title": "Design A", "role": "designer", "duration": 5, "effort": 20},
        {"key": "b", "title": "Design B", "role": "designer", "duration": 5, "effort": 20,
         "after": ["a"]},
        {"key": "c", "title": "Design C", "role": "designer", "duration": 5, "effort": 20,
         "after": ["b"]},
        {"key": "live", "title": "Live", "kind": "launch", "after": ["c"]},
    ]
}  # fmt: skip


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _titled(team: Team) -> None:
    """The freelancer's title ("Freelance designer") comes first by the title rule: their
    name sorts before the member's."""
    Membership.objects.filter(workspace=team.workspace, user=team.freelancer).update(
        title="Freelance designer"
    )
    Membership.objects.filter(workspace=team.workspace, user=team.member).update(title="Designer")


def _designers(team: Team) -> None:
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.freelancer.pk,
        weekly_hours=18, weekdays=[1, 2, 3], skill="designer",
    )  # fmt: skip
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="designer",
    )  # fmt: skip


def _owners(team: Team) -> dict[str, int | None]:
    template = template_create(
        actor=team.manager, workspace=team.workspace, name="Design run", spec=SPEC
    )
    campaign = campaign_from_template(
        actor=team.manager, workspace=team.workspace, template=template, name="Spring",
        launch_date=LAUNCH, assign_suggested=True,
    )  # fmt: skip
    tasks = Task.objects.filter(campaign=campaign, title__startswith="Design")
    dates = [(str(t.start_date), str(t.due_date)) for t in tasks.order_by("position")]
    assert dates == [
        ("2026-03-09", "2026-03-13"),
        ("2026-03-16", "2026-03-20"),
        ("2026-03-23", "2026-03-27"),
    ]
    return {t.title: t.owner_id for t in tasks}


def test_the_designer_with_the_most_free_hours_gets_the_design(team: Team) -> None:
    # given a 32-hour designer and an 18-hour freelance designer, both free
    _titled(team)
    _designers(team)
    # then each week's 20 hours go to the 32-hour designer (32 free against 18), not all to
    # the freelancer the title rule names first
    assert _owners(team) == {
        "Design A": team.member.pk,
        "Design B": team.member.pk,
        "Design C": team.member.pk,
    }


def test_a_designer_booked_that_week_leaves_it_to_the_other(team: Team) -> None:
    # given the 32-hour designer has 30 hours of other work in the week of 16 March
    _titled(team)
    _designers(team)
    other = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Other", launch_date=LAUNCH,
        status="in_progress",
    )  # fmt: skip
    task_create(
        actor=team.manager, campaign=other, title="Busy week", duration_days=5, effort_hours=30,
        owner=team.member.pk, role_needed="designer", not_before=dt.date(2026, 3, 16),
    )  # fmt: skip
    # then that week's design goes to the freelancer (18 h free against 2)
    assert _owners(team) == {
        "Design A": team.member.pk,
        "Design B": team.freelancer.pk,
        "Design C": team.member.pk,
    }


def test_without_recorded_capacity_the_title_rule_stays(team: Team) -> None:
    # given nobody's kind of work is recorded
    _titled(team)
    # then the first member whose title suggests design takes all of it, as before
    assert set(_owners(team).values()) == {team.freelancer.pk}


def _unowned_design(team: Team, title: str, week: dt.date) -> Task:
    campaign = Task.objects.filter(workspace=team.workspace).first()
    if campaign is None:
        created = campaign_create(
            actor=team.manager, workspace=team.workspace, name="Page", launch_date=LAUNCH,
            status="in_progress",
        )  # fmt: skip
    else:
        created = campaign.campaign
    return task_create(
        actor=team.manager, campaign=created, title=title, duration_days=5, effort_hours=20,
        role_needed="designer", not_before=week,
    )  # fmt: skip


def _suggested_on_page(team: Team, task: Task) -> str:
    from headway.conftest import client_for

    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/campaigns/{task.campaign_id}/")
    row = page.content.decode().split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    return row.split("Suggested for designer: ")[1].split("<")[0]


def test_the_campaign_page_suggests_the_owner_j1_would_give(team: Team) -> None:
    # given the title rule names the 18-hour freelancer first, and the 32-hour designer has
    # 30 hours booked in the week of 16 March only
    _titled(team)
    _designers(team)
    busy = _unowned_design(team, "Busy week", dt.date(2026, 3, 16))
    Task.objects.filter(pk=busy.pk).update(owner=team.member, effort_hours=30)
    free_week = _unowned_design(team, "Design in a free week", dt.date(2026, 3, 9))
    booked_week = _unowned_design(team, "Design in a booked week", dt.date(2026, 3, 16))
    # then the page suggests what "assign suggested" gives: the designer with the most free
    # hours in the task's weeks, not the first title that mentions design
    assert _suggested_on_page(team, free_week) == team.member.name
    assert _suggested_on_page(team, booked_week) == team.freelancer.name


def test_the_page_and_assign_suggested_use_one_suggestion(team: Team) -> None:
    from headway.planning.suggestions import suggested_owners

    _titled(team)
    _designers(team)
    a = _unowned_design(team, "Design A", dt.date(2026, 3, 9))
    b = _unowned_design(team, "Design B", dt.date(2026, 3, 9))
    # 20 hours to the 32-hour designer first leaves her 12 free that week, against the
    # freelancer's 18: the second task of the same week goes to the freelancer
    owners = suggested_owners(team.workspace, [a.pk, b.pk])
    assert {t: u.pk for t, u in owners.items()} == {a.pk: team.member.pk, b.pk: team.freelancer.pk}
