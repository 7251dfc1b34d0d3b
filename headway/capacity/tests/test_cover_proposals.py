"""Absence cover: the workspace owner is proposed last (only when nobody else fits), and the
summary lists only the launches that move, the others under "not affected"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.capacity.cover import OWNER_LAST, OWNER_ONLY, cover_preview
from headway.capacity.services import capacity_set
from headway.capacity.tests.test_cover import FRI, MONDAY, WED, _campaign
from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _social(team: Team, *who: object) -> None:
    for user in who:
        capacity_set(
            actor=team.manager, workspace=team.workspace, user_id=user.pk,  # type: ignore[attr-defined]
            weekly_hours=32, weekdays=[0, 1, 2, 3, 4], skill="social",
        )  # fmt: skip


def _proposals(team: Team) -> list[tuple[int, str]]:
    preview = cover_preview(
        workspace=team.workspace, user_id=team.member.pk, first_day=WED, last_day=FRI
    )
    [slip] = preview.tasks
    return [(c.user_id, c.fit) for c in slip.candidates]


def test_the_owner_is_not_proposed_when_someone_else_fits(team: Team) -> None:
    # given the owner (the founder) and the admin both do social work with the same free hours
    _campaign(team)
    _social(team, team.owner, team.admin)
    # then only the admin is proposed
    assert _proposals(team) == [(team.admin.pk, "does social work")]


def test_the_owner_is_proposed_last_resort_and_the_proposal_says_why(team: Team) -> None:
    # given only the owner does social work
    _campaign(team)
    _social(team, team.owner)
    # then the owner is proposed, saying they are the only other one who does that work
    [(user_id, why)] = _proposals(team)
    assert user_id == team.owner.pk
    assert why == "does social work" + OWNER_ONLY.format(work="social")
    assert why.endswith("the only other person who does social work")


def test_the_owner_is_proposed_when_the_others_who_fit_are_full(team: Team) -> None:
    # given the owner and the admin do social work, and the admin has no free hours
    _campaign(team)
    _social(team, team.owner)
    capacity_set(
        actor=team.manager, workspace=team.workspace, user_id=team.admin.pk,
        weekly_hours=32, weekdays=[0, 1], skill="social",
    )  # fmt: skip
    # then the owner is proposed, saying nobody else who fits has free hours
    [(user_id, why)] = _proposals(team)
    assert user_id == team.owner.pk
    assert why == "does social work" + OWNER_LAST


def test_the_summary_counts_only_launches_that_move_and_lists_the_others_apart(
    team: Team,
) -> None:
    # given the member also owns work in a webinar two months away, untouched by the time off
    _campaign(team)
    _social(team, team.admin)
    webinar = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Spring webinar",
        launch_date=MONDAY + dt.timedelta(days=70), status="in_progress",
    )  # fmt: skip
    task_create(
        actor=team.manager, campaign=webinar, title="Slides", duration_days=2,
        owner=team.member.pk,
    )  # fmt: skip
    preview = cover_preview(
        workspace=team.workspace, user_id=team.member.pk, first_day=WED, last_day=FRI
    )
    assert [m.name for m in preview.launches_affected] == ["Summer social"]
    assert [m.name for m in preview.launches_unaffected] == ["Spring webinar"]
    # when the manager previews it on the page
    page = client_for(team.manager).post(
        f"/w/{team.workspace.slug}/capacity/cover/",
        {"form": "off", "user": team.member.pk, "first_day": "2026-03-04",
         "last_day": "2026-03-06"},
    )  # fmt: skip
    body = page.content.decode()
    # then one launch moves, the webinar is not in the table but under "not affected"
    assert page.status_code == 200
    assert "<strong>1</strong> launch moves" in " ".join(body.split())
    assert f'data-launch="{webinar.pk}"' not in body
    assert 'badge-ok">no change' not in body
    assert "Not affected:" in body and f'data-unaffected="{webinar.pk}"' in body
