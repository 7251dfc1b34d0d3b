"""Health computed from real plans, stored with its reasons and forecast; escalations follow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.activity.models import Event
from headway.conftest import Team
from headway.core.errors import DomainError
from headway.insights.models import CampaignHealth, Escalation, EscalationState, HealthState
from headway.insights.selectors.health import campaign_health
from headway.insights.selectors.health_inputs import health_inputs
from headway.insights.services.escalations import (
    escalation_acknowledge,
    escalation_raise,
    escalations_sweep,
)
from headway.insights.services.health import campaign_health_refresh
from headway.planning.models import Campaign, Task
from headway.planning.services.tasks import task_set_status
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _plan(team: Team, name: str = "Spring", launch: dt.date = dt.date(2026, 3, 27)) -> Campaign:
    campaign, tasks = chain(team, name, 2, 3, 1, launch=launch)
    for t in tasks:
        if not t.is_milestone:
            Task.objects.filter(pk=t.pk).update(owner=team.member)
    campaign.refresh_from_db()
    return campaign


def _block_first(team: Team, campaign: Campaign) -> Task:
    first = Task.objects.filter(campaign=campaign).order_by("position", "id").first()
    assert first is not None
    Task.objects.filter(pk=first.pk).update(critical=True, total_float=0)
    first.refresh_from_db()
    return task_set_status(
        actor=team.member,
        task=first,
        status="blocked",
        blocked_reason="Waiting for the photos",
        blocked_on=team.admin.pk,
    )


@time_machine.travel(MONDAY, tick=False)
def test_a_comfortable_plan_is_on_track_with_a_forecast(team: Team) -> None:
    campaign = _plan(team)
    row = campaign_health_refresh(campaign, trials=2000)
    assert row.state == HealthState.ON_TRACK and row.reasons == []
    view = campaign_health(team.workspace, campaign.pk)
    assert view is not None and view.forecast is not None
    assert view.forecast.p_on_time == 1.0
    assert view.forecast.sentence.startswith("100% to launch by 27 Mar — ")
    assert "default spread" in view.forecast.sentence
    # unchanged plan, same forecast
    again = campaign_health_refresh(campaign, trials=2000)
    assert (again.p50_date, again.p85_date) == (row.p50_date, row.p85_date)


@time_machine.travel(MONDAY, tick=False)
def test_a_blocked_critical_task_blocks_and_names_whom_it_waits_on(team: Team) -> None:
    campaign = _plan(team)
    first = _block_first(team, campaign)
    campaign_health_refresh(campaign, trials=500)
    view = campaign_health(team.workspace, campaign.pk)
    assert view is not None and view.state == "blocked"
    reason = view.reason_for_task(first.pk)
    assert reason is not None and reason.owner == team.admin
    assert reason.url.endswith(f"/tasks/{first.pk}/")


def test_since_moves_only_when_the_state_changes(team: Team) -> None:
    with time_machine.travel(MONDAY, tick=False):
        campaign = _plan(team)
        first = campaign_health_refresh(campaign, trials=200).since
    with time_machine.travel(MONDAY + dt.timedelta(hours=2), tick=False):
        assert campaign_health_refresh(campaign, trials=200).since == first
        _block_first(team, campaign)
        row = campaign_health_refresh(campaign, trials=200)
        assert row.state == HealthState.BLOCKED and row.since > first
    changes = [
        e.changes["state"]
        for e in Event.objects.filter(object_type="insights.campaignhealth").order_by("id")
    ]
    assert changes == [[None, "on_track"], ["on_track", "blocked"]]


def test_the_launch_date_passing_makes_a_campaign_late(team: Team) -> None:
    with time_machine.travel(MONDAY, tick=False):
        campaign = _plan(team, launch=dt.date(2026, 3, 13))
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC), tick=False):
        row = campaign_health_refresh(campaign, trials=200)
    assert row.state == HealthState.LATE
    assert row.reasons[0]["code"] == "launch_date_passed"
    assert row.p_on_time == 0.0


def test_escalation_lifecycle(team: Team) -> None:
    # given a campaign owned by the manager that turns blocked on a Friday
    friday = dt.datetime(2026, 3, 6, 10, tzinfo=dt.UTC)
    with time_machine.travel(friday, tick=False):
        campaign = _plan(team)
        campaign_health_refresh(campaign, trials=200)
        _block_first(team, campaign)
        campaign_health_refresh(campaign, trials=200)
        [esc] = Escalation.objects.filter(campaign=campaign)
        assert esc.state == EscalationState.OPEN and esc.owner == team.manager
        assert "blocked" in esc.text and esc.reasons[0]["code"] == "critical_blocked"
        # refreshing again while still blocked opens nothing new
        campaign_health_refresh(campaign, trials=200)
        assert Escalation.objects.filter(campaign=campaign).count() == 1
    # when nobody acknowledges it by Monday 10:00 (one working day), it goes on once
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 59, tzinfo=dt.UTC), tick=False):
        assert escalations_sweep(dt.datetime(2026, 3, 9, 9, 59, tzinfo=dt.UTC)) == 0
    monday = dt.datetime(2026, 3, 9, 10, 1, tzinfo=dt.UTC)
    assert escalations_sweep(monday) == 1
    assert escalations_sweep(monday + dt.timedelta(hours=3)) == 0
    esc.refresh_from_db()
    assert esc.escalated_at == monday
    # then the owner acknowledges with what and by when
    with time_machine.travel(monday, tick=False):
        with pytest.raises(DomainError) as err:
            escalation_acknowledge(actor=team.manager, escalation=esc, note=" ", by_date=None)
        assert err.value.field == "note"
        escalation_acknowledge(
            actor=team.manager,
            escalation=esc,
            note="Admin sends the photos",
            by_date=dt.date(2026, 3, 10),
        )
        esc.refresh_from_db()
        assert esc.state == EscalationState.ACKNOWLEDGED
        # and when the campaign is back on track, it is resolved
        task = Task.objects.get(pk=esc.reasons[0]["object"]["id"])
        task_set_status(actor=team.member, task=task, status="in_progress")
        Task.objects.filter(campaign=campaign).update(critical=False, total_float=5)
        row = campaign_health_refresh(campaign, trials=200)
    assert row.state == HealthState.ON_TRACK
    esc.refresh_from_db()
    assert esc.state == EscalationState.RESOLVED and esc.resolved_at is not None
    states = [
        e.changes.get("state")
        for e in Event.objects.filter(object_type="insights.escalation").order_by("id")
    ]
    assert states == [None, None, ["open", "acknowledged"], ["acknowledged", "resolved"]]


@time_machine.travel(MONDAY, tick=False)
def test_any_member_raises_a_risk_in_a_sentence(team: Team) -> None:
    campaign = _plan(team)
    task = Task.objects.filter(campaign=campaign).first()
    with pytest.raises(DomainError):
        escalation_raise(actor=team.member, campaign=campaign, text="   ", task=task)
    assert not Escalation.objects.exists()
    esc = escalation_raise(
        actor=team.member, campaign=campaign, text="The printer has not confirmed", task=task
    )
    assert (esc.owner, esc.raised_by, esc.task, esc.source) == (
        team.manager,
        team.member,
        task,
        "raised",
    )
    other, _ = chain(team, "Other", 1)
    with pytest.raises(DomainError) as err:
        escalation_raise(actor=team.member, campaign=other, text="x", task=task)
    assert err.value.field == "task"


def _input_queries(team: Team) -> int:
    campaigns = list(Campaign.objects.filter(workspace=team.workspace))
    with CaptureQueriesContext(connection) as ctx:
        health_inputs(team.workspace, campaigns, trials=10)
    return len(ctx.captured_queries)


@time_machine.travel(MONDAY, tick=False)
def test_fetching_inputs_takes_constant_queries(team: Team) -> None:
    for i in range(2):
        _plan(team, f"C{i}")
    few = _input_queries(team)
    for i in range(2, 10):
        _plan(team, f"C{i}")
    assert _input_queries(team) == few


@time_machine.travel(MONDAY, tick=False)
def test_recomputes_are_debounced_to_one_waiting_job_per_campaign(team: Team) -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from headway.insights.health_jobs import campaign_health_job
    from headway.insights.health_triggers import _enqueue

    campaign = _plan(team)
    other = _plan(team, "Other")
    for _ in range(3):
        _enqueue(campaign.pk, team.workspace.pk)
    _enqueue(other.pk, team.workspace.pk)
    waiting = DBTaskResult.objects.filter(
        task_path=campaign_health_job.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 2
    assert campaign_health_job.call(campaign_id=campaign.pk, workspace_id=team.workspace.pk)
    assert CampaignHealth.objects.filter(campaign=campaign).exists()


def test_one_transaction_asks_the_queue_once_per_campaign(team: Team, settings) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from headway.insights import health_triggers

    settings.HEALTH_RECOMPUTE_ON_CHANGE = True
    asked: list[int] = []
    real = health_triggers._enqueue
    health_triggers._enqueue = lambda cid, wid: asked.append(cid)  # type: ignore[assignment]
    try:
        with transaction.atomic():
            for cid in (1, 2, 1, 1, 2):  # a save, its event and plan_changed, per campaign
                health_triggers.health_recompute_soon(cid, team.workspace.pk)
            pending = [f for _, f, _ in transaction.get_connection().run_on_commit]
            assert sorted(getattr(f, "health_campaign_id", 0) for f in pending) == [1, 2]
    finally:
        health_triggers._enqueue = real  # type: ignore[assignment]


@time_machine.travel(MONDAY, tick=False)
def test_a_task_status_change_queues_one_recompute(team: Team, settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import TestCase
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from headway.insights.health_jobs import campaign_health_job

    campaign = _plan(team)
    settings.HEALTH_RECOMPUTE_ON_CHANGE = True
    with TestCase.captureOnCommitCallbacks(execute=True):
        _block_first(team, campaign)
    waiting = DBTaskResult.objects.filter(
        task_path=campaign_health_job.module_path, status=TaskResultStatus.READY
    )
    assert [w.args_kwargs["kwargs"]["campaign_id"] for w in waiting] == [campaign.pk]


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_emailed_and_then_owners_and_managers(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    friday = dt.datetime(2026, 3, 6, 10, tzinfo=dt.UTC)
    with time_machine.travel(friday, tick=False):
        campaign = _plan(team)
        _block_first(team, campaign)
        campaign_health_refresh(campaign, trials=100)
        call_command("worker", "--batch")
    [opened] = mailoutbox
    assert opened.to == [team.manager.email] and "please acknowledge" in opened.subject
    assert "is blocked and on the critical path" in opened.body and "/escalations/" in opened.body
    mailoutbox.clear()
    escalations_sweep(dt.datetime(2026, 3, 9, 10, 1, tzinfo=dt.UTC))
    call_command("worker", "--batch")
    [overdue] = mailoutbox
    assert sorted(overdue.to) == sorted([team.owner.email, team.manager.email])
    assert overdue.subject == f"Unacknowledged: {campaign.name}"


@time_machine.travel(MONDAY, tick=False)
def test_the_forecast_threshold_comes_from_settings(team: Team, settings) -> None:  # type: ignore[no-untyped-def]
    campaign = _plan(team)
    # 100% to launch on time: at risk only when the threshold is above certainty
    assert campaign_health_refresh(campaign, trials=200).state == HealthState.ON_TRACK
    settings.HEALTH_ON_TIME_MIN = 1.01
    row = campaign_health_refresh(campaign, trials=200)
    assert row.state == HealthState.AT_RISK and row.reasons[0]["code"] == "forecast_low"
