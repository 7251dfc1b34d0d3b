"""The weekly check-in: services (open, decisions, close with the summary email, agendas
emailed before the meeting), the agenda's sections, pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.insights.models import CheckIn, CheckInDecision, CheckInItem
from headway.insights.selectors.checkins import checkin_agenda, live_snapshot
from headway.insights.services.checkins import (
    checkin_close,
    checkin_decision_add,
    checkin_item_discuss,
    checkin_open,
    checkins_send_agendas,
)
from headway.planning.models import Task
from headway.planning.services.campaigns import campaign_set_status, campaign_update
from headway.planning.services.tasks import task_set_status, task_update
from headway.planning.tests.factories import chain

UTC = dt.UTC
MONDAY = dt.datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # a Monday
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


def _section(agenda, key):  # type: ignore[no-untyped-def]
    return next(s for s in agenda.sections if s.key == key)


@pytest.fixture
def plan(team: Team):  # type: ignore[no-untyped-def]
    with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):
        campaign, tasks = chain(team, "Spring launch", 2, 3, 1, launch=dt.date(2027, 1, 29))
        campaign = campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
        owned = [task_update(actor=team.manager, task=t, version=t.version, owner=team.member.pk)
                 for t in tasks[:1]]  # fmt: skip
    return campaign, owned + tasks[1:]


def _closed_last_week(team: Team) -> CheckIn:
    with time_machine.travel(MONDAY, tick=False):
        checkin = checkin_open(workspace=team.workspace, now=MONDAY)
        return checkin_close(actor=team.manager, checkin=checkin, now=MONDAY)


# -- services --------------------------------------------------------------------------------


def test_open_is_one_per_week_at_the_workspace_time(team: Team) -> None:
    first = checkin_open(workspace=team.workspace, now=MONDAY)
    again = checkin_open(workspace=team.workspace, now=MONDAY + dt.timedelta(days=3))
    assert first.pk == again.pk
    assert first.week == dt.date(2026, 11, 16)
    assert first.scheduled_at == dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    nxt = checkin_open(workspace=team.workspace, now=NEXT_MONDAY)
    assert nxt.pk != first.pk and nxt.week == dt.date(2026, 11, 23)


def test_a_decision_needs_text_one_member_owner_and_a_due_date(
    team: Team, other_team: Team
) -> None:
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    base = {"actor": team.manager, "checkin": checkin, "text": "Do it", "owner_id": team.member.pk,
            "due_date": dt.date(2026, 11, 20)}  # fmt: skip
    for change, field in (
        ({"text": "  "}, "text"),
        ({"owner_id": None}, "owner"),
        ({"owner_id": other_team.member.pk}, "owner"),
        ({"due_date": None}, "due_date"),
        ({"due_date": dt.date(2026, 11, 1)}, "due_date"),
        ({"text": "x\x00y"}, "text"),
    ):
        with pytest.raises(DomainError) as exc:
            checkin_decision_add(**{**base, **change})
        assert exc.value.field == field, change
    assert CheckInDecision.objects.count() == 0
    decision = checkin_decision_add(**base)
    assert (decision.owner, decision.task) == (team.member, None)


def test_a_decision_can_become_a_task_in_a_campaign(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    campaign, _ = plan
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    decision = checkin_decision_add(
        actor=team.manager, checkin=checkin, text="Book the photographer",
        owner_id=team.member.pk, due_date=dt.date(2026, 11, 20), campaign=campaign,
    )  # fmt: skip
    task = decision.task
    assert task is not None
    assert (task.campaign, task.title, task.owner) == (
        campaign,
        "Book the photographer",
        team.member,
    )


def test_externals_take_no_part(team: Team) -> None:
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    with pytest.raises(DomainError):
        checkin_item_discuss(actor=team.freelancer, checkin=checkin, key="blocked:task:1")
    with pytest.raises(Forbidden):
        checkin_close(actor=team.member, checkin=checkin, now=MONDAY)


def test_discussed_marks_toggle_and_a_closed_checkin_takes_no_more(team: Team) -> None:
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    checkin_item_discuss(actor=team.member, checkin=checkin, key="blocked:task:1")
    checkin_item_discuss(actor=team.member, checkin=checkin, key="blocked:task:1")
    assert CheckInItem.objects.filter(checkin=checkin).count() == 1
    checkin_item_discuss(actor=team.member, checkin=checkin, key="blocked:task:1", discussed=False)
    assert not CheckInItem.objects.filter(checkin=checkin).exists()
    checkin_close(actor=team.manager, checkin=checkin, now=MONDAY)
    with pytest.raises(Conflict):
        checkin_item_discuss(actor=team.member, checkin=checkin, key="blocked:task:1")
    with pytest.raises(Conflict):
        checkin_close(actor=team.manager, checkin=checkin, now=MONDAY)


@pytest.mark.django_db(transaction=True)
def test_close_keeps_the_snapshot_and_emails_the_summary_to_the_team(
    team: Team, plan, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    campaign, tasks = plan
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    checkin_decision_add(
        actor=team.manager, checkin=checkin, text="Ask legal about the claim",
        owner_id=team.admin.pk, due_date=dt.date(2026, 11, 19),
    )  # fmt: skip
    call_command("worker", "--batch")
    mailoutbox.clear()
    closed = checkin_close(actor=team.manager, checkin=checkin, now=MONDAY)
    assert closed.closed_at == MONDAY and closed.closed_by == team.manager
    assert closed.snapshot["tasks"][str(tasks[0].pk)]["due"] == tasks[0].due_date.isoformat()
    assert closed.snapshot["campaigns"][str(campaign.pk)]["launch"] == "2027-01-29"
    call_command("worker", "--batch")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    internal = {team.owner.email, team.admin.email, team.manager.email, team.member.email}
    assert set(mail.to) | set(mail.bcc) == internal
    assert "Ask legal about the claim" in mail.body and team.admin.name in mail.body
    assert mail.subject.startswith("Check-in of 16 Nov: 1 decision")


@pytest.mark.django_db(transaction=True)
def test_the_agenda_goes_to_the_managers_once_before_the_meeting(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    sunday_evening = dt.datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    assert checkins_send_agendas(sunday_evening - dt.timedelta(days=1)) == 0  # too early
    assert checkins_send_agendas(sunday_evening) == 1
    assert checkins_send_agendas(sunday_evening + dt.timedelta(hours=1)) == 0  # once
    call_command("worker", "--batch")
    assert len(mailoutbox) == 1
    to = set(mailoutbox[0].to) | set(mailoutbox[0].bcc)
    assert to == {team.owner.email, team.admin.email, team.manager.email}
    assert "Slipped since the last check-in" in mailoutbox[0].body
    assert CheckIn.objects.get().week == dt.date(2026, 11, 23)


# -- the agenda ------------------------------------------------------------------------------


def test_the_agenda_shows_what_slipped_since_last_week_with_the_change_behind_it(
    team: Team, plan
) -> None:  # type: ignore[no-untyped-def]
    campaign, tasks = plan
    _closed_last_week(team)
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        task_update(actor=team.manager, task=tasks[1], version=tasks[1].version,
                    duration_days=Decimal(6))  # fmt: skip
    this_week = checkin_open(workspace=team.workspace, now=NEXT_MONDAY)
    agenda = checkin_agenda(team.workspace, this_week, NEXT_MONDAY)
    slipped = _section(agenda, "slipped").items
    kinds = [(i.kind, i.object_id) for i in slipped]
    assert kinds[0] == ("slipped_projected", campaign.pk)
    assert ("slipped_task", tasks[1].pk) in kinds and ("slipped_task", tasks[0].pk) not in kinds
    step2 = next(i for i in slipped if i.object_id == tasks[1].pk)
    assert "+3 days" in step2.text or "+5 days" in step2.text
    assert f"{team.manager.name} updated task “Step 2” (duration days 3.0 → 6.0)" in step2.detail
    assert agenda.baseline is not None and agenda.baseline.week == dt.date(2026, 11, 16)


def test_an_edit_that_moves_no_date_is_not_named_as_the_change_behind_a_slip(
    team: Team, plan
) -> None:  # type: ignore[no-untyped-def]
    # given a duration edit that moved the launch, then a later edit of the brief's UTM value
    campaign, tasks = plan
    _closed_last_week(team)
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        task_update(actor=team.manager, task=tasks[1], version=tasks[1].version,
                    duration_days=Decimal(6))  # fmt: skip
    campaign.refresh_from_db()
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        campaign_update(actor=team.owner, campaign=campaign, version=campaign.version,
                        utm_campaign="spring-2027")  # fmt: skip
    # when the agenda explains the launch's slip
    this_week = checkin_open(workspace=team.workspace, now=NEXT_MONDAY)
    slipped = _section(checkin_agenda(team.workspace, this_week, NEXT_MONDAY), "slipped").items
    launch = next(i for i in slipped if i.kind == "slipped_projected")
    # then it names the duration edit, not the UTM value
    assert "duration days 3.0 → 6.0" in launch.detail and "utm" not in launch.detail


def test_a_first_checkin_has_no_slippage_and_an_earlier_date_is_not_slippage(
    team: Team, plan
) -> None:  # type: ignore[no-untyped-def]
    _, tasks = plan
    first = _closed_last_week(team)
    assert _section(checkin_agenda(team.workspace, first, MONDAY), "slipped").items == []
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        task_update(actor=team.manager, task=tasks[1], version=tasks[1].version, duration_days=1)
    second = checkin_open(workspace=team.workspace, now=NEXT_MONDAY)
    assert _section(checkin_agenda(team.workspace, second, NEXT_MONDAY), "slipped").items == []


def test_blocked_unowned_and_decisions_due_sections(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    _, tasks = plan
    with time_machine.travel(MONDAY, tick=False):
        last = checkin_open(workspace=team.workspace, now=MONDAY)
        checkin_decision_add(actor=team.manager, checkin=last, text="Call the printer",
                             owner_id=team.member.pk, due_date=dt.date(2026, 11, 19))  # fmt: skip
        checkin_decision_add(actor=team.manager, checkin=last, text="Later thing",
                             owner_id=team.member.pk, due_date=dt.date(2026, 12, 30))  # fmt: skip
        checkin_close(actor=team.manager, checkin=last, now=MONDAY)
        task_set_status(actor=team.manager, task=tasks[0], status="blocked",
                        blocked_reason="The brief", blocked_on=team.owner.pk)  # fmt: skip
        _, soon = chain(team, "Soon", 1, 1)
    this_week = checkin_open(workspace=team.workspace, now=NEXT_MONDAY)
    agenda = checkin_agenda(team.workspace, this_week, NEXT_MONDAY)
    blocked = _section(agenda, "blocked").items
    assert [(i.object_id, i.owner) for i in blocked] == [(tasks[0].pk, team.owner)]
    unowned = {i.object_id for i in _section(agenda, "unowned").items}
    assert soon[0].pk in unowned and soon[1].pk in unowned
    assert tasks[1].pk not in unowned  # starts in January, beyond the two weeks
    assert soon[2].pk not in unowned  # the launch is a milestone
    assert [i.text for i in _section(agenda, "decisions").items] == ["Call the printer"]


# -- pages -----------------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    """Rows of every table: a read must leave every count as it was."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_reading_this_weeks_agenda_stores_nothing(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    # given a workspace with last week's check-in closed and nothing stored for this one
    _closed_last_week(team)
    client = client_for(team.manager)
    ws = team.workspace.slug
    with time_machine.travel(NEXT_MONDAY, tick=False):
        before = _row_counts()
        # when the page and the API are read, twice each
        for _ in range(2):
            page = client.get(reverse("insights:checkin-current", kwargs={"ws": ws}))
            body = client.get(f"/api/v1/workspaces/{ws}/checkins/current").json()
        # then nothing was stored, and the agenda is this week's
        assert _row_counts() == before
    assert page.status_code == 200 and "week of 23 November 2026" in page.text
    assert body["id"] is None and body["week"] == "2026-11-23"
    assert body["baseline_week"] == "2026-11-16"
    assert CheckIn.objects.count() == 1


def test_the_first_write_stores_this_weeks_checkin_and_a_refused_one_stores_nothing(
    team: Team,
) -> None:
    client = client_for(team.manager)
    ws = team.workspace.slug
    with time_machine.travel(MONDAY, tick=False):
        page = client.get(reverse("insights:checkin-current", kwargs={"ws": ws}))
        decide = reverse("insights:current-decision-add", kwargs={"ws": ws})
        assert f'action="{decide}"' in page.text
        before = _row_counts()
        bad = client.post(decide, {"text": "Nobody owns it", "owner": "", "due_date": "2026-12-01"})
        assert bad.status_code == 400 and _row_counts() == before
        toggle = reverse("insights:current-checkin-discuss", kwargs={"ws": ws})
        client.post(toggle, {"key": "gap:Email:x", "discussed": "1"}, HTTP_HX_REQUEST="true")
    checkin = CheckIn.objects.get()
    assert checkin.week == dt.date(2026, 11, 16)
    assert list(checkin.items.values_list("key", flat=True)) == ["gap:Email:x"]
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        page = client.get(reverse("insights:checkin-current", kwargs={"ws": ws}))
    url = reverse("insights:decision-add", kwargs={"ws": ws, "checkin_id": checkin.pk})
    assert f'action="{url}"' in page.text


def test_the_page_lists_the_agenda_records_a_decision_and_closes(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    campaign, _ = plan
    client = client_for(team.manager)
    ws = team.workspace.slug
    response = client.get(reverse("insights:checkin-current", kwargs={"ws": ws}))
    assert response.status_code == 200
    assert not CheckIn.objects.exists()
    for title in ("Slipped since the last check-in", "Blocked, and on whom",
                  "Approvals past their limit", "Calendar gaps in the next 14 days"):  # fmt: skip
        assert title in response.text
    url = reverse("insights:current-decision-add", kwargs={"ws": ws})
    bad = client.post(url, {"text": "Nobody owns this", "owner": "", "due_date": "2026-12-01"})
    assert bad.status_code == 400 and CheckInDecision.objects.count() == 0
    assert not CheckIn.objects.exists()
    ok = client.post(url, {"text": "Move the shoot", "owner": team.member.pk,
                           "due_date": "2030-01-04", "campaign": campaign.pk})  # fmt: skip
    assert ok.status_code == 302
    assert CheckInDecision.objects.get().task.campaign == campaign
    checkin = CheckIn.objects.get()
    discuss = reverse("insights:checkin-discuss", kwargs={"ws": ws, "checkin_id": checkin.pk})
    toggled = client.post(discuss, {"key": "gap:Email:x", "discussed": "1"}, HTTP_HX_REQUEST="true")
    assert toggled.status_code == 200 and 'aria-pressed="true"' in toggled.text
    close = reverse("insights:checkin-close", kwargs={"ws": ws, "checkin_id": checkin.pk})
    assert client.post(close).status_code == 302
    checkin.refresh_from_db()
    assert checkin.is_closed
    history = client.get(reverse("insights:checkins", kwargs={"ws": ws}))
    assert checkin.week.strftime("%-d %b %Y") in history.text


def test_externals_do_not_see_the_checkin(team: Team) -> None:
    checkin = checkin_open(workspace=team.workspace, now=MONDAY)
    ws = team.workspace.slug
    for user in (team.freelancer, team.client):
        client = client_for(user)
        assert client.get(reverse("insights:checkin-current", kwargs={"ws": ws})).status_code == 403
        url = reverse("insights:checkin", kwargs={"ws": ws, "checkin_id": checkin.pk})
        assert client.get(url).status_code == 404


def _grow(team: Team, n: int) -> None:
    for k in range(n):
        _, tasks = chain(team, f"Campaign {k}", 1, 2, launch=dt.date(2026, 12, 18))
        task = task_update(actor=team.manager, task=tasks[0], version=tasks[0].version,
                           owner=team.member.pk)  # fmt: skip
        task_set_status(actor=team.manager, task=task, status="blocked",
                        blocked_reason="waiting", blocked_on=team.owner.pk)  # fmt: skip


def test_the_agenda_page_costs_the_same_queries_with_more_campaigns(team: Team) -> None:
    client = client_for(team.manager)
    url = reverse("insights:checkin-current", kwargs={"ws": team.workspace.slug})

    def count() -> tuple[int, int]:
        """Queries of a page built afresh, then of the same page kept."""
        cache.clear()
        with CaptureQueriesContext(connection) as built:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as kept:
            client.get(url)
        return len(built), len(kept)

    _grow(team, 2)
    client.get(url)
    small = count()
    _grow(team, 8)
    large = count()
    assert large == small
    assert small[1] < small[0]


# -- API -------------------------------------------------------------------------------------


def _api(team: Team, user=None):  # type: ignore[no-untyped-def]
    return client_for(user or team.manager), f"/api/v1/workspaces/{team.workspace.slug}/checkins"


def test_api_current_lists_sections_of_items(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    _, tasks = plan
    task_set_status(actor=team.manager, task=tasks[0], status="blocked",
                    blocked_reason="brief", blocked_on=team.owner.pk)  # fmt: skip
    client, base = _api(team)
    body = client.get(base + "/current").json()
    assert [s["key"] for s in body["sections"]] == [
        "slipped", "at_risk", "blocked", "approvals", "unowned", "overloaded", "gaps", "conditions",
        "decisions", "underperformed",
    ]  # fmt: skip
    blocked = next(s for s in body["sections"] if s["key"] == "blocked")["items"][0]
    assert blocked["kind"] == "blocked"
    assert blocked["owner"] == {"id": team.owner.pk, "name": team.owner.name}
    assert blocked["object"]["kind"] == "task" and blocked["object"]["id"] == tasks[0].pk
    assert set(blocked) >= {"kind", "text", "owner", "object", "since"}


def test_api_decisions_and_close(team: Team, other_team: Team) -> None:
    client, base = _api(team)
    assert client.get(base + "/current").json()["id"] is None
    url = f"{base}/current/decisions"
    bad = client.post(url, {"text": "x", "owner": other_team.member.pk, "due_date": "2030-01-01"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code in (403, 422) and bad.json()["field"] == "owner"
    missing = client.post(
        url, {"text": "x", "owner": team.member.pk}, content_type="application/json"
    )
    assert missing.status_code == 422
    assert not CheckIn.objects.exists()
    ok = client.post(url, {"text": "Ship it", "owner": team.member.pk, "due_date": "2030-01-01"},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 201 and ok.json()["owner"]["id"] == team.member.pk
    checkin_id = client.get(base + "/current").json()["id"]
    assert checkin_id == CheckIn.objects.get().pk == ok.json()["checkin_id"]
    marked = client.post(f"{base}/current/discussed", {"key": "gap:Email:x"},
                         content_type="application/json")  # fmt: skip
    assert marked.json() == {"key": "gap:Email:x", "discussed": True}
    closed = client.post(f"{base}/{checkin_id}/close", content_type="application/json")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    again = client.post(f"{base}/current/close", content_type="application/json")
    assert again.status_code == 409
    assert client.get(base).json()[0]["decision_count"] == 1


def test_api_close_of_an_unstored_week_stores_and_closes_it(team: Team) -> None:
    client, base = _api(team)
    closed = client.post(f"{base}/current/close", content_type="application/json")
    assert closed.status_code == 200 and closed.json()["id"] == CheckIn.objects.get().pk
    assert CheckIn.objects.get().is_closed
    member, _ = _api(team, team.member)
    refused = member.post(f"{base}/current/close", content_type="application/json")
    assert refused.status_code == 403


def test_api_refuses_externals_and_other_workspaces(team: Team, other_team: Team) -> None:
    client, base = _api(team, team.freelancer)
    assert client.get(base + "/current").status_code == 403
    theirs = checkin_open(workspace=other_team.workspace, now=MONDAY)
    client, base = _api(team)
    assert (
        client.post(f"{base}/{theirs.pk}/close", content_type="application/json").status_code == 404
    )


def test_live_snapshot_reads_open_work_only(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    campaign, tasks = plan
    task_set_status(actor=team.manager, task=tasks[0], status="done")
    snap = live_snapshot(team.workspace)
    assert tasks[0].pk not in snap.tasks and tasks[1].pk in snap.tasks
    assert snap.campaigns[campaign.pk].launch == dt.date(2027, 1, 29)


@pytest.mark.django_db(transaction=True)
def test_the_command_and_the_job_send_the_agendas(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from headway.insights.checkin_jobs import checkin_agendas_job

    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 22, 20, 0, tzinfo=UTC), tick=False):
        call_command("checkin", "send-agendas", stdout=out)
        assert out.getvalue().strip() == "1 agenda sent"
        assert checkin_agendas_job.call(again=False) == "0 agendas sent"  # already sent
    call_command("worker", "--batch")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Agenda for the check-in of 23 Nov: ")


def test_a_kept_agenda_follows_every_recorded_change_and_the_clock(team: Team, plan) -> None:  # type: ignore[no-untyped-def]
    # given the agenda read once (and so kept)
    _, tasks = plan
    client, base = _api(team)
    with time_machine.travel(MONDAY, tick=False):
        first = client.get(base + "/current").json()
        blocked = next(s for s in first["sections"] if s["key"] == "blocked")
        assert blocked["items"] == []
        # when a task is blocked in the same instant
        task_set_status(actor=team.manager, task=tasks[0], status="blocked",
                        blocked_reason="brief", blocked_on=team.owner.pk)  # fmt: skip
        again = client.get(base + "/current").json()
    # then the next read shows it
    blocked = next(s for s in again["sections"] if s["key"] == "blocked")
    assert [i["object"]["id"] for i in blocked["items"]] == [tasks[0].pk]
    # and a change no event records is seen within a minute
    Task.objects.filter(pk=tasks[0].pk).update(status="not_started")
    with time_machine.travel(MONDAY + dt.timedelta(seconds=30), tick=False):
        kept = client.get(base + "/current").json()
    with time_machine.travel(MONDAY + dt.timedelta(seconds=61), tick=False):
        fresh = client.get(base + "/current").json()
    assert next(s for s in kept["sections"] if s["key"] == "blocked")["items"]
    assert not next(s for s in fresh["sections"] if s["key"] == "blocked")["items"]
