"""The check-in's day and time: set by owners, admins and managers (service, page form, API);
this week's open check-in and the agenda email follow the saved time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from headway.activity.models import Event
from headway.conftest import Team, client_for
from headway.core.errors import DomainError, Forbidden
from headway.insights.checkin_jobs import checkin_agendas_job
from headway.insights.models import CheckIn, CheckInSchedule
from headway.insights.selectors.checkins import schedule_of
from headway.insights.services.checkins import checkin_open, checkin_schedule_set

UTC = dt.UTC
MONDAY = dt.datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # a Monday, before the default 09:00


def _events() -> int:
    return Event.objects.filter(object_type="insights.checkinschedule").count()


def test_planners_move_the_checkin_and_this_weeks_open_one_follows(team: Team) -> None:
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    assert checkin.scheduled_at == dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    for user, weekday in ((team.owner, 1), (team.admin, 2), (team.manager, 3)):
        checkin_schedule_set(
            actor=user, workspace=team.workspace, weekday=weekday, time=dt.time(14, 30, 12)
        )
        assert schedule_of(team.workspace) == (weekday, dt.time(14, 30))  # to the minute
    assert CheckInSchedule.objects.count() == 1 and _events() == 3
    checkin.refresh_from_db()
    assert checkin.scheduled_at == dt.datetime(2026, 11, 19, 14, 30, tzinfo=UTC)  # Thursday


def test_the_schedule_is_workspace_local(team: Team) -> None:
    team.workspace.time_zone = "Europe/Paris"
    team.workspace.save()
    checkin_schedule_set(
        actor=team.manager, workspace=team.workspace, weekday=4, time=dt.time(10, 0)
    )
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    assert checkin.scheduled_at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 10:00 CET


def test_non_planners_and_bad_values_are_refused_and_nothing_is_stored(team: Team) -> None:
    for user in (team.member, team.freelancer, team.client):
        with pytest.raises(Forbidden):
            checkin_schedule_set(
                actor=user, workspace=team.workspace, weekday=2, time=dt.time(10, 0)
            )
    bad: list[tuple[object, object, str]] = [
        (5, dt.time(10, 0), "weekday"),  # Saturday
        (-1, dt.time(10, 0), "weekday"),
        (True, dt.time(10, 0), "weekday"),
        ("2", dt.time(10, 0), "weekday"),
        (2, None, "time"),
        (2, "10:00", "time"),
        (2, dt.time(10, 0, tzinfo=UTC), "time"),
    ]
    for weekday, time, field in bad:
        with pytest.raises(DomainError) as exc:
            checkin_schedule_set(
                actor=team.manager,
                workspace=team.workspace,
                weekday=weekday,  # type: ignore[arg-type]
                time=time,  # type: ignore[arg-type]
            )
        assert exc.value.field == field
    assert CheckInSchedule.objects.count() == 0 and _events() == 0
    assert schedule_of(team.workspace) == (0, dt.time(9, 0))


def test_the_page_form_saves_and_the_page_shows_the_new_schedule(team: Team) -> None:
    ws = team.workspace.slug
    page = reverse("insights:checkin-current", kwargs={"ws": ws})
    url = reverse("insights:checkin-schedule", kwargs={"ws": ws})
    client = client_for(team.manager)
    before = client.get(page)
    assert "Every Monday at 09:00" in before.text
    assert 'type="time"' in before.text and 'value="09:00"' in before.text
    bad = client.post(url, {"weekday": "6", "time": "10:00"})
    assert bad.status_code == 400 and CheckInSchedule.objects.count() == 0
    bad = client.post(url, {"weekday": "2", "time": "25:00"})
    assert bad.status_code == 400 and CheckInSchedule.objects.count() == 0
    assert 'class="error"' in bad.text
    ok = client.post(url, {"weekday": "2", "time": "15:45"})
    assert ok.status_code == 302 and ok["Location"] == page
    after = client.get(page)
    assert "Every Wednesday at 15:45" in after.text
    assert 'value="15:45"' in after.text and '<option value="2" selected>' in after.text
    # a member sees the schedule but not the form, and cannot post it
    member = client_for(team.member)
    seen = member.get(page)
    assert "Every Wednesday at 15:45" in seen.text and url not in seen.text
    assert member.post(url, {"weekday": "0", "time": "09:00"}).status_code in (400, 403)
    assert schedule_of(team.workspace) == (2, dt.time(15, 45))
    for user in (team.freelancer, team.client):
        assert client_for(user).post(url, {"weekday": "0", "time": "09:00"}).status_code == 403


def test_api_round_trip(team: Team) -> None:
    url = f"/api/v1/workspaces/{team.workspace.slug}/checkins/schedule"
    client = client_for(team.manager)
    got = client.get(url).json()
    assert got == {"weekday": 0, "weekday_name": "Monday", "time": "09:00", "time_zone": "UTC"}
    put = client.put(url, {"weekday": 4, "time": "08:15"}, content_type="application/json")
    assert put.status_code == 200
    assert put.json()["weekday_name"] == "Friday" and put.json()["time"] == "08:15"
    assert client.get(url).json() == put.json()
    for body in ({"weekday": 5, "time": "08:15"}, {"weekday": 1, "time": "8 o'clock"},
                 {"weekday": 1, "time": "08:15+02:00"}, {"weekday": 1}):  # fmt: skip
        refused = client.put(url, body, content_type="application/json")
        assert refused.status_code == 422, body
    member = client_for(team.member)
    assert member.get(url).status_code == 200
    denied = member.put(url, {"weekday": 1, "time": "10:00"}, content_type="application/json")
    assert denied.status_code == 403 and denied.json()["code"]
    assert client_for(team.freelancer).get(url).status_code == 403
    assert schedule_of(team.workspace) == (4, dt.time(8, 15))


@pytest.mark.django_db(transaction=True)
def test_the_agenda_job_sends_relative_to_the_new_time(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    checkin_schedule_set(
        actor=team.manager, workspace=team.workspace, weekday=2, time=dt.time(14, 0)
    )
    sunday_evening = dt.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # Monday 09:00 is 13h away
    with time_machine.travel(sunday_evening, tick=False):
        assert checkin_agendas_job.call(again=False) == "0 agendas sent"
    tuesday_evening = dt.datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # Wednesday 14:00 is 17h away
    with time_machine.travel(tuesday_evening, tick=False):
        assert checkin_agendas_job.call(again=False) == "1 agenda sent"
    call_command("worker", "--batch")
    assert len(mailoutbox) == 1
    checkin = CheckIn.objects.get()
    assert checkin.scheduled_at == dt.datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert checkin.agenda_sent_at == tuesday_evening


def test_the_side_navigation_links_escalations_for_the_team_only(team: Team) -> None:
    ws = team.workspace.slug
    escalations = reverse("insights:escalations", kwargs={"ws": ws})
    here = client_for(team.member).get(escalations)
    assert here.status_code == 200
    assert f'<a href="{escalations}" aria-current="page">Escalations</a>' in here.text
    elsewhere = client_for(team.member).get(reverse("workspaces:dashboard", kwargs={"ws": ws}))
    assert f'<a href="{escalations}">Escalations</a>' in elsewhere.text
    for user in (team.freelancer, team.client):
        page = client_for(user).get(reverse("workspaces:dashboard", kwargs={"ws": ws}))
        assert page.status_code == 200 and escalations not in page.text
