"""Absence cover (J3): the preview of time off, its proposals, reassigning, and the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.capacity.cover import cover_preview
from headway.capacity.services import capacity_set, cover_assign
from headway.conftest import Team, client_for
from headway.core.errors import DomainError, Forbidden
from headway.planning.models import Campaign, Task, TimeOff
from headway.planning.services.calendar import timeoff_add
from headway.planning.services.campaigns import campaign_create, channels_ensure
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create
from headway.publishing.models import ContentPiece

MONDAY = dt.date(2026, 3, 2)
WED, FRI = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)
LAUNCH = MONDAY + dt.timedelta(days=8)  # Tuesday of week 2


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _campaign(team: Team) -> tuple[Campaign, list[Task]]:
    """In progress from today: Brief (2 days, manager) Mon-Tue, Posts (3 days, the member,
    social) Wed-Fri, Schedule (1 day, manager) next Monday, launch next Tuesday."""
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Summer social",
        launch_date=LAUNCH,
        status="in_progress",
    )
    brief = task_create(
        actor=team.manager, campaign=campaign, title="Brief", duration_days=2,
        owner=team.manager.pk,
    )  # fmt: skip
    posts = task_create(
        actor=team.manager, campaign=campaign, title="Posts", duration_days=3,
        owner=team.member.pk, role_needed="social",
    )  # fmt: skip
    sched = task_create(
        actor=team.manager, campaign=campaign, title="Schedule", duration_days=1,
        owner=team.manager.pk,
    )  # fmt: skip
    launch = task_create(actor=team.manager, campaign=campaign, title="Go live", kind="launch")
    for a, b in ((brief, posts), (posts, sched), (sched, launch)):
        dependency_add(actor=team.manager, predecessor=a, successor=b)
    campaign.refresh_from_db()
    return campaign, [Task.objects.get(pk=t.pk) for t in (brief, posts, sched, launch)]


def _covers(team: Team) -> None:
    for who, hours, days in ((team.admin, 32, [0, 1, 2, 3, 4]), (team.freelancer, 12, [1, 2, 3])):
        capacity_set(
            actor=team.manager, workspace=team.workspace, user_id=who.pk,
            weekly_hours=hours, weekdays=days, skill="social",
        )  # fmt: skip


def _state() -> tuple[int, int, list[tuple[int, dt.date | None, dt.date | None]]]:
    tasks = list(Task.objects.order_by("pk").values_list("pk", "start_date", "due_date"))
    return TimeOff.objects.count(), Event.objects.count(), tasks


def test_the_campaign_is_on_its_date_before(team: Team) -> None:
    campaign, tasks = _campaign(team)
    assert campaign.projected_launch == LAUNCH
    assert (tasks[1].start_date, tasks[1].due_date) == (WED, FRI)


def test_preview_lists_the_slip_the_launch_and_the_cover_and_stores_nothing(team: Team) -> None:
    # given
    _campaign(team)
    _covers(team)
    channel = channels_ensure(team.workspace)[0]
    ContentPiece.objects.create(
        workspace=team.workspace, title="Thursday reel", kind="social_post", channel=channel,
        owner=team.member, publish_at=dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    before = _state()
    # when the member is away Wednesday to Friday
    preview = cover_preview(
        workspace=team.workspace, user_id=team.member.pk, first_day=WED, last_day=FRI
    )
    # then Posts slips 3 working days and the launch moves 3 working days
    assert preview.working_days == 3
    [slip] = preview.tasks
    assert (slip.title, slip.new_start, slip.new_due) == (
        "Posts",
        MONDAY + dt.timedelta(days=7),
        MONDAY + dt.timedelta(days=9),
    )
    assert slip.slip_days == 3
    assert slip.hours_in_window == pytest.approx(18.0)  # 3 days x the default 6 h
    [move] = preview.launches
    assert (move.before, move.after, move.days) == (LAUNCH, LAUNCH + dt.timedelta(days=3), 3)
    assert move.moved_tasks == 3  # Posts, Schedule and the launch
    # the admin does social work with 32 h free and brings the launch back; the freelancer
    # (Tue-Thu, 12 h a week: 8 h on Wed-Thu) cannot do 18 h in the window, so comes second
    assert [c.user_id for c in slip.candidates] == [team.admin.pk, team.freelancer.pk]
    admin, freelancer = slip.candidates
    assert admin.free_hours == pytest.approx(19.2) and admin.recovers
    assert admin.launch_after == LAUNCH
    assert freelancer.free_hours == pytest.approx(8.0)
    assert [s.title for s in preview.slots] == ["Thursday reel"]
    # and nothing was stored
    assert _state() == before


def test_reassigning_to_the_cover_keeps_the_launch_when_the_time_off_is_saved(team: Team) -> None:
    campaign, tasks = _campaign(team)
    _covers(team)
    cover_assign(
        actor=team.manager, workspace=team.workspace, task_id=tasks[1].pk, user_id=team.admin.pk
    )
    assert Task.objects.get(pk=tasks[1].pk).owner_id == team.admin.pk
    after = cover_preview(
        workspace=team.workspace, user_id=team.member.pk, first_day=WED, last_day=FRI
    )
    assert after.tasks == [] and after.launches == [] and after.changes_nothing
    timeoff_add(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        first_day=WED, last_day=FRI,
    )  # fmt: skip
    campaign.refresh_from_db()
    assert campaign.projected_launch == LAUNCH


def test_accepting_the_slip_stores_the_time_off_and_the_launch_moves(team: Team) -> None:
    campaign, _ = _campaign(team)
    timeoff_add(
        actor=team.manager, workspace=team.workspace, user_id=team.member.pk,
        first_day=WED, last_day=FRI,
    )  # fmt: skip
    campaign.refresh_from_db()
    assert campaign.projected_launch == LAUNCH + dt.timedelta(days=3)


def test_no_proposal_when_nobody_else_does_the_work(team: Team) -> None:
    _campaign(team)
    preview = cover_preview(
        workspace=team.workspace, user_id=team.member.pk, first_day=WED, last_day=FRI
    )
    assert preview.tasks[0].candidates == []


def test_cover_assign_is_for_planners_and_members_of_the_workspace(
    team: Team, other_team: Team
) -> None:
    _, tasks = _campaign(team)
    with pytest.raises(Forbidden):
        cover_assign(
            actor=team.member, workspace=team.workspace, task_id=tasks[1].pk, user_id=team.admin.pk
        )
    with pytest.raises(DomainError):
        cover_assign(
            actor=team.manager, workspace=team.workspace, task_id=tasks[1].pk,
            user_id=other_team.member.pk,
        )  # fmt: skip
    with pytest.raises(DomainError):
        cover_assign(
            actor=team.manager, workspace=team.workspace, task_id=tasks[1].pk,
            user_id=team.client.pk,
        )  # fmt: skip
    assert Task.objects.get(pk=tasks[1].pk).owner_id == team.member.pk


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(FRI, WED, "last_day"), (WED, WED + dt.timedelta(days=400), "last_day"),
     (dt.date(1, 1, 1), WED, "first_day")],
)  # fmt: skip
def test_bad_dates_are_refused_naming_the_field(
    team: Team, first: dt.date, last: dt.date, field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        cover_preview(
            workspace=team.workspace, user_id=team.member.pk, first_day=first, last_day=last
        )
    assert exc.value.field == field


def test_preview_page_proposes_cover_and_reassigns_in_one_step(team: Team) -> None:
    _, tasks = _campaign(team)
    _covers(team)
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/capacity/cover/"
    data = {
        "form": "off",
        "user": team.member.pk,
        "first_day": "2026-03-04",
        "last_day": "2026-03-06",
    }
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "slips 3 working days" in body and "3 working days later" in body
    assert f"Reassign to {team.admin.name}" in body
    assert not TimeOff.objects.exists()
    done = client.post(
        f"{url}assign/",
        {"task": tasks[1].pk, "cover": team.admin.pk, "user": team.member.pk,
         "first_day": "2026-03-04", "last_day": "2026-03-06", "note": ""},
    )  # fmt: skip
    assert done.status_code == 302 and done.url.startswith(url + "?user=")
    assert Task.objects.get(pk=tasks[1].pk).owner_id == team.admin.pk
    again = client.get(done.url).content.decode()
    assert "Nothing moves" in again


def test_preview_page_shows_bad_dates_on_the_field(team: Team) -> None:
    client = client_for(team.manager)
    data = {"user": team.member.pk, "first_day": "2026-03-06", "last_day": "2026-03-04"}
    page = client.post(f"/w/{team.workspace.slug}/capacity/cover/", data)
    assert page.status_code == 400
    assert "The last day comes before the first." in page.content.decode()


def test_members_preview_only_their_own_and_cannot_reassign(team: Team) -> None:
    _, tasks = _campaign(team)
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/capacity/cover/"
    mine = client.post(
        url, {"user": team.member.pk, "first_day": "2026-03-04", "last_day": "2026-03-06"}
    )
    assert mine.status_code == 200 and "Reassign to" not in mine.content.decode()
    other = client.post(
        url, {"user": team.admin.pk, "first_day": "2026-03-04", "last_day": "2026-03-06"}
    )
    assert other.status_code == 400
    client.post(f"{url}assign/", {"task": tasks[1].pk, "cover": team.admin.pk})
    assert Task.objects.get(pk=tasks[1].pk).owner_id == team.member.pk


@pytest.mark.parametrize("who", ["freelancer", "client"])
def test_externals_cannot_preview(team: Team, who: str) -> None:
    client = client_for(getattr(team, who))
    assert client.get(f"/w/{team.workspace.slug}/capacity/cover/").status_code == 403


def test_time_off_page_offers_the_preview(team: Team) -> None:
    body = client_for(team.manager).get(f"/w/{team.workspace.slug}/time-off/").content.decode()
    assert "Preview what it moves" in body
    assert f'formaction="/w/{team.workspace.slug}/capacity/cover/"' in body
    external = client_for(team.freelancer).get(f"/w/{team.workspace.slug}/time-off/")
    assert "Preview what it moves" not in external.content.decode()


def _api(team: Team, user: object) -> tuple[object, dict[str, str]]:
    _, raw = token_create(actor=user, name="api")
    return client_for(user), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}  # type: ignore[arg-type]


def test_api_preview_returns_slips_and_proposals_and_stores_nothing(team: Team) -> None:
    _campaign(team)
    _covers(team)
    client, auth = _api(team, team.manager)
    url = f"/api/v1/workspaces/{team.workspace.slug}/time-off"
    payload = {"user_id": team.member.pk, "first_day": "2026-03-04", "last_day": "2026-03-06"}
    before = _state()
    response = client.post(url + "?preview=true", payload, content_type="application/json", **auth)  # type: ignore[attr-defined]
    assert response.status_code == 200
    body = response.json()
    assert [s["title"] for s in body["slips"]] == ["Posts"]
    assert body["slips"][0]["slip_days"] == 3
    assert body["slips"][0]["proposals"][0]["user_id"] == team.admin.pk
    assert body["slips"][0]["proposals"][0]["launch_days"] == 0
    assert body["launches"][0]["days"] == 3
    assert _state() == before
    stored = client.post(url, payload, content_type="application/json", **auth)  # type: ignore[attr-defined]
    assert stored.status_code == 201 and TimeOff.objects.count() == 1


def test_api_preview_refuses_bad_input_and_other_people_for_members(team: Team) -> None:
    client, auth = _api(team, team.manager)
    url = f"/api/v1/workspaces/{team.workspace.slug}/time-off?preview=true"
    bad = {"user_id": team.member.pk, "first_day": "2026-03-06", "last_day": "2026-03-04"}
    response = client.post(url, bad, content_type="application/json", **auth)  # type: ignore[attr-defined]
    assert response.status_code == 400 and response.json()["field"] == "last_day"
    member, mauth = _api(team, team.member)
    other = {"user_id": team.admin.pk, "first_day": "2026-03-04", "last_day": "2026-03-06"}
    assert member.post(url, other, content_type="application/json", **mauth).status_code == 403  # type: ignore[attr-defined]
    freelancer, fauth = _api(team, team.freelancer)
    own = {"user_id": team.freelancer.pk, "first_day": "2026-03-04", "last_day": "2026-03-06"}
    assert freelancer.post(url, own, content_type="application/json", **fauth).status_code == 403  # type: ignore[attr-defined]
