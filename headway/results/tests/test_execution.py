"""Execution facts from Headway's own data: a campaign run through the services with the clock
moved, then its lateness, approval waits, revision rounds, blocked days and final-window work
read back; the query count does not grow with the number of campaigns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.approvals.models import ApprovalRequest
from headway.approvals.services import StepSpec, approval_decide, approval_resubmit, approval_start
from headway.approvals.services import chain_create as approval_chain_create
from headway.conftest import Team
from headway.planning.models import Campaign, Task, TaskStatus
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_start,
    campaign_set_status,
    campaign_update,
)
from headway.planning.services.tasks import task_create, task_set_status
from headway.results.execution import ExecutionFacts, campaign_execution_facts, describe


def at(team: Team, day: str, hour: int = 10) -> time_machine.travel:
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), team.workspace.tzinfo)
    return time_machine.travel(moment, tick=False)


def run_late_campaign(team: Team, name: str = "Autumn burst", **brief: Any) -> Campaign:
    """Planned for Mon 16 March, launched Thu 26 March (8 working days late, the date moved
    once work was under way); the creative waited 2 + 4 working days on the owner over two
    rounds; one task blocked Thu 9:00 - Mon 9:00 (2 working days) and finished the day before
    launch."""
    owner, manager = team.owner, team.manager
    with at(team, "2026-03-02", 9):
        campaign = campaign_create(
            actor=manager,
            workspace=team.workspace,
            name=name,
            launch_date=dt.date(2026, 3, 16),
            status="planned",
            **brief,
        )
        chain = approval_chain_create(
            actor=owner,
            workspace=team.workspace,
            name=f"Creative sign-off {name}",
            kind="design_asset",
            steps=[StepSpec("Founder", approvers=[owner.pk], limit=2)],
        )
        design = task_create(
            actor=manager, campaign=campaign, title="Design", owner=manager.pk, reschedule=False
        )
        build = task_create(
            actor=manager, campaign=campaign, title="Build", owner=manager.pk, reschedule=False
        )
        task_create(
            actor=manager, campaign=campaign, title="Launch", kind="launch", reschedule=False
        )
        campaign = campaign_set_start(actor=manager, campaign=campaign, start=dt.date(2026, 3, 2))
        campaign = campaign_set_status(actor=manager, campaign=campaign, status="in_progress")
    with at(team, "2026-03-02", 10):
        request = approval_start(actor=manager, task=design, chain=chain, force=True)
    with at(team, "2026-03-04", 10):
        approval_decide(actor=owner, request=request, verdict="changes", comment="Warmer.")
    with at(team, "2026-03-04", 12):
        approval_resubmit(actor=manager, request=ApprovalRequest.objects.get(pk=request.pk))
    with at(team, "2026-03-05", 9):
        task_set_status(
            actor=manager,
            task=Task.objects.get(pk=build.pk),
            status=TaskStatus.BLOCKED,
            blocked_reason="Waiting for the budget",
            blocked_on=owner.pk,
            force=True,
        )
    with at(team, "2026-03-09", 9):
        task_set_status(
            actor=manager,
            task=Task.objects.get(pk=build.pk),
            status=TaskStatus.IN_PROGRESS,
            force=True,
        )
    with at(team, "2026-03-10", 12):
        approval_decide(
            actor=owner,
            request=ApprovalRequest.objects.get(pk=request.pk),
            verdict="approve",
            force=True,
        )
    with at(team, "2026-03-12", 10):
        campaign.refresh_from_db()
        campaign = campaign_update(
            actor=manager,
            campaign=campaign,
            version=campaign.version,
            launch_date=dt.date(2026, 3, 26),
        )
        task_set_status(
            actor=manager,
            task=Task.objects.get(pk=design.pk),
            status=TaskStatus.DONE,
            force=True,
        )
    with at(team, "2026-03-25", 15):
        task_set_status(
            actor=manager, task=Task.objects.get(pk=build.pk), status=TaskStatus.DONE, force=True
        )
    with at(team, "2026-03-26", 11):
        campaign.refresh_from_db()
        campaign = campaign_set_status(actor=manager, campaign=campaign, status="launched")
    return campaign


@pytest.mark.django_db
def test_facts_of_a_late_campaign(team: Team) -> None:
    campaign = run_late_campaign(team)
    with at(team, "2026-04-01"):
        facts = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    assert facts.planned_launch == dt.date(2026, 3, 16)
    assert facts.launched_on == dt.date(2026, 3, 26)
    assert facts.late_days == 8
    assert facts.approval_requests == 1
    assert facts.revision_rounds == 1
    slow = facts.slowest_approval
    assert slow is not None
    assert slow.person_id == team.owner.pk
    assert slow.work == "creative"
    assert slow.working_days == pytest.approx(6.0, abs=0.01)
    assert facts.blocked_days == pytest.approx(2.0, abs=0.01)
    assert (facts.tasks_done, facts.tasks_in_final_window) == (2, 1)
    assert facts.sentences == (
        "launched 8 working days late",
        f"its creative waited 6 working days for {team.owner.name}'s approval",
        "1 revision round",
        "tasks blocked for 2 working days",
        "1 of 2 tasks finished in the final 2 working days before launch",
    )


@pytest.mark.django_db
def test_unlaunched_campaign_and_other_workspaces(team: Team, other_team: Team) -> None:
    with at(team, "2026-03-02"):
        open_one = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Still planning",
            launch_date=dt.date(2026, 4, 20),
        )
        foreign = campaign_create(
            actor=other_team.manager,
            workspace=other_team.workspace,
            name="Theirs",
            launch_date=dt.date(2026, 4, 20),
        )
        facts = campaign_execution_facts(team.workspace, [open_one.pk, foreign.pk])
    assert set(facts) == {open_one.pk}
    assert facts[open_one.pk].launched_on is None
    assert facts[open_one.pk].late_days == 0
    assert facts[open_one.pk].sentences == ()
    assert campaign_execution_facts(team.workspace, []) == {}


@pytest.mark.django_db
def test_pending_approval_counts_until_launch(team: Team) -> None:
    """A request still waiting counts up to the campaign's launch, not to today."""
    with at(team, "2026-03-02", 9):
        campaign = campaign_create(
            actor=team.manager,
            workspace=team.workspace,
            name="Pending",
            launch_date=dt.date(2026, 3, 9),
            status="in_progress",
        )
        chain = approval_chain_create(
            actor=team.owner,
            workspace=team.workspace,
            name="Copy",
            kind="content_draft",
            steps=[StepSpec("Admin", approvers=[team.admin.pk], limit=2)],
        )
        task = task_create(
            actor=team.manager,
            campaign=campaign,
            title="Copy",
            owner=team.manager.pk,
            reschedule=False,
        )
        approval_start(actor=team.manager, task=task, chain=chain, force=True)
    with at(team, "2026-03-05", 9):  # Thursday: three working days later
        campaign.refresh_from_db()
        campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    with at(team, "2026-04-30"):
        facts = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    assert facts.late_days == -2  # planned Monday 9th, out on Thursday 5th
    assert facts.sentences[0] == "launched 2 working days early"
    slow = facts.slowest_approval
    assert slow is not None and slow.person_id == team.admin.pk and slow.work == "copy"
    assert slow.working_days == pytest.approx(3.0, abs=0.01)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_campaigns(team: Team) -> None:
    first = run_late_campaign(team, "One")
    with CaptureQueriesContext(connection) as one:
        campaign_execution_facts(team.workspace, [first.pk])
    others = [run_late_campaign(team, f"More {n}") for n in range(3)]
    with CaptureQueriesContext(connection) as four:
        facts = campaign_execution_facts(team.workspace, [first.pk, *(c.pk for c in others)])
    assert len(four) == len(one) <= 12
    assert all(f.late_days == 8 for f in facts.values())


def test_describe_without_launch_or_waits() -> None:
    facts = ExecutionFacts(
        campaign_id=1, planned_launch=dt.date(2026, 3, 2), launched_on=None, late_days=0
    )
    assert describe(facts) == ()
    on_time = ExecutionFacts(
        campaign_id=1,
        planned_launch=dt.date(2026, 3, 2),
        launched_on=dt.date(2026, 3, 2),
        late_days=0,
        blocked_days=1.5,
    )
    assert describe(on_time) == (
        "launched on its planned date",
        "tasks blocked for 1.5 working days",
    )


@pytest.mark.django_db
def test_facts_use_the_workspace_calendar_its_plans_use(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lateness, blocked days and approval waits count the working days the workspace's plans
    are dated with (planning.scheduling.calendar_for): here a workspace that takes Wednesday
    18 March off and, read with a calendar that works Saturdays, counts them in the waits.
    The lateness is the campaign's launch record, counted when it launched."""
    from headway.engine.calendar import WorkCalendar
    from headway.planning.models import Holiday
    from headway.results import execution

    Holiday.objects.create(workspace=team.workspace, date=dt.date(2026, 3, 18), name="Closed")
    campaign = run_late_campaign(team)
    asked = []
    real = execution.calendar_for

    def saturdays_worked(workspace_id: int) -> WorkCalendar:
        asked.append(workspace_id)
        return WorkCalendar(weekend=frozenset({6}), holidays=real(workspace_id).holidays)

    monkeypatch.setattr(execution, "calendar_for", saturdays_worked)
    with at(team, "2026-04-01"):
        facts = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    assert asked == [team.workspace.pk]
    # Mon 16 - Wed 25 March: 8 weekdays less the holiday on the 18th, as stored at launch
    assert facts.late_days == 7
    assert Campaign.objects.get(pk=campaign.pk).launch_late_days == 7
    # blocked Thu 5 9:00 - Mon 9 9:00: Thursday, Friday and Saturday
    assert facts.blocked_days == pytest.approx(3.0, abs=0.01)
    assert facts.sentences[0] == "launched 7 working days late"
    monkeypatch.undo()
    with at(team, "2026-04-01"):
        plain = campaign_execution_facts(team.workspace, [campaign.pk])[campaign.pk]
    # the usual Monday-Friday week, with the holiday
    assert (plain.late_days, plain.blocked_days) == (7, pytest.approx(2.0, abs=0.01))
