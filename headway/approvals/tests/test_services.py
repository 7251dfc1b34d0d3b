from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from headway.approvals.clock import due_at
from headway.approvals.models import Decision, RequestStatus
from headway.approvals.selectors import approval_queue
from headway.approvals.services import (
    LinkRefused,
    StepSpec,
    approval_decide,
    approval_resubmit,
    approval_start,
    chain_create,
    link_create,
    link_decide,
)
from headway.conftest import Team
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.engine.calendar import WorkCalendar
from headway.planning.models import Task, TaskStatus
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def test_limits_count_working_days_and_hours() -> None:
    cal = WorkCalendar(holidays=frozenset({dt.date(2026, 3, 9)}))
    friday = dt.datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    # 2 working days from Friday 15:00 skip the weekend and the Monday holiday.
    assert due_at(friday, 2, "days", cal, UTC) == dt.datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    # 4 working hours from Friday 15:00: 2 on Friday, 2 on Tuesday (Monday is a holiday).
    assert due_at(friday, 4, "hours", cal, UTC) == dt.datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    evening = dt.datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
    assert due_at(evening, 3, "hours", cal, UTC) == dt.datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def _content_chain(team: Team):  # type: ignore[no-untyped-def]
    return chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Content",
        kind="content_draft",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk], backup=team.admin.pk, limit=2),
            StepSpec(
                "Finance",
                approvers=[team.admin.pk, team.member.pk],
                mode="all",
                limit=8,
                limit_unit="hours",
            ),
        ],
        round_cap=2,
    )


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
def test_a_task_moves_through_its_chain_round_by_round(team: Team) -> None:
    _, tasks = plan_chain(team)
    chain = _content_chain(team)
    # given a draft sent for approval
    request = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.IN_REVIEW
    assert request.due_at == dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    assert [
        i.request for i in approval_queue(team.workspace, team.owner, request.waiting_since)
    ] == [request]
    # when the founder requests changes, the task goes back to work
    with pytest.raises(DomainError, match="Say what should change"):
        approval_decide(actor=team.owner, request=request, verdict="changes")
    approval_decide(actor=team.owner, request=request, verdict="changes", comment="Shorter intro")
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGES_REQUESTED
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.IN_PROGRESS
    # and after resubmission (round 2) the founder approves, then finance needs both people
    request = approval_resubmit(actor=team.manager, request=request)
    assert (request.round, request.step) == (2, 0)
    approval_decide(actor=team.owner, request=request, verdict="approve")
    request.refresh_from_db()
    assert request.step == 1
    approval_decide(actor=team.admin, request=request, verdict="approve")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.step == 1
    with pytest.raises(Forbidden):
        approval_decide(actor=team.client, request=request, verdict="approve")
    approval_decide(actor=team.member, request=request, verdict="approve")
    request.refresh_from_db()
    # then the request is approved and the task is done
    assert request.status == RequestStatus.APPROVED
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.DONE
    assert Decision.objects.filter(request=request).count() == 4


def test_a_step_decided_meanwhile_is_refused_with_who_decided(team: Team) -> None:
    _, tasks = plan_chain(team)
    request = approval_start(actor=team.manager, task=tasks[0], chain=_content_chain(team))
    # the founder and the backup both opened step 0 of round 1
    approval_decide(actor=team.owner, request=request, verdict="approve", step=0, round=1)
    with pytest.raises(Conflict, match="already decided: Alpha Owner approved it"):
        approval_decide(actor=team.admin, request=request, verdict="reject", step=0, round=1)
    request.refresh_from_db()
    assert request.step == 1 and request.status == RequestStatus.PENDING
    assert Decision.objects.filter(request=request, step=0).count() == 1


def test_only_one_active_approval_per_task(team: Team) -> None:
    _, tasks = plan_chain(team)
    chain = _content_chain(team)
    approval_start(actor=team.manager, task=tasks[0], chain=chain)
    with pytest.raises(Conflict, match="already going through an approval"):
        approval_start(actor=team.manager, task=tasks[0], chain=chain)


def test_signed_links_work_once_for_their_person_and_step(team: Team) -> None:
    _, tasks = plan_chain(team)
    request = approval_start(actor=team.manager, task=tasks[0], chain=_content_chain(team))
    raw = link_create(request=request, user=team.owner)
    stale = link_create(request=request, user=team.admin)
    with pytest.raises(LinkRefused, match="This link is for Alpha Owner; you are signed in as"):
        link_decide(raw=raw, verdict="approve", signed_in=team.member)
    decision = link_decide(raw=raw, verdict="approve")
    assert decision.via_link and decision.approver == team.owner
    with pytest.raises(LinkRefused, match="already used"):
        link_decide(raw=raw, verdict="approve")
    with pytest.raises(LinkRefused, match="already been decided"):
        link_decide(raw=stale, verdict="approve")
    with pytest.raises(LinkRefused, match="not valid"):
        link_decide(raw="made-up", verdict="approve")
    later = link_create(request=request, user=team.admin)
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4)),
        pytest.raises(LinkRefused, match="expired"),
    ):
        link_decide(raw=later, verdict="approve")
    request.refresh_from_db()
    assert request.step == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_reminds_before_the_limit_and_escalates_at_it(team: Team, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from headway.approvals.services import approvals_sweep

    _, tasks = plan_chain(team)
    request = approval_start(actor=team.manager, task=tasks[0], chain=_content_chain(team))
    call_command("worker", "--batch")
    mailoutbox.clear()
    start = request.waiting_since
    # a day in: nothing to say
    assert approvals_sweep(start + dt.timedelta(days=1)) == (0, 0)
    # four hours before the limit: the founder is reminded, once
    assert approvals_sweep(request.due_at - dt.timedelta(hours=3)) == (1, 0)
    assert approvals_sweep(request.due_at - dt.timedelta(hours=2)) == (0, 0)
    # at the limit: the backup and the campaign owner hear of it, once
    assert approvals_sweep(request.due_at + dt.timedelta(minutes=1)) == (0, 1)
    assert approvals_sweep(request.due_at + dt.timedelta(hours=5)) == (0, 0)
    call_command("worker", "--batch")
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["Overdue approval: Step 1", "Reminder: Step 1 waits for your decision"]
    overdue = next(m for m in mailoutbox if m.subject.startswith("Overdue"))
    assert sorted(overdue.to) == sorted([team.admin.email, team.manager.email])


def test_the_worker_queues_one_sweep_that_requeues_itself() -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from headway.approvals.tasks import approvals_sweep_job
    from headway.core.management.commands.worker import _start_periodic_jobs

    _start_periodic_jobs()
    _start_periodic_jobs()
    ready = DBTaskResult.objects.filter(
        task_path=approvals_sweep_job.module_path, status=TaskResultStatus.READY
    )
    assert ready.count() == 1
    assert approvals_sweep_job.call(again=True) == "0 reminders, 0 escalations"
    assert ready.count() == 2  # the next sweep, due in a few minutes
    from django.utils import timezone

    # "no run_after" is stored as the largest date, so look for one due in about 5 minutes
    now = timezone.now()
    window = (now + dt.timedelta(minutes=4), now + dt.timedelta(minutes=6))
    assert ready.filter(run_after__range=window).count() == 1


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
def test_a_waiting_approval_holds_its_task_and_moves_what_follows(team: Team) -> None:
    # given Step 1 (Mon 2 - Tue 3 March) sent to a founder with five working days
    _, tasks = plan_chain(team)
    slow = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Slow founder",
        kind="messaging",
        steps=[StepSpec("Founder", approvers=[team.owner.pk], limit=5)],
    )
    request = approval_start(actor=team.manager, task=tasks[0], chain=slow)
    # then the task cannot finish before the approval is due (Monday 9 March)
    first = Task.objects.get(pk=tasks[0].pk)
    assert first.due_date == dt.date(2026, 3, 9)
    assert first.explanation == "approval due 9 March (Slow founder)"
    assert Task.objects.get(pk=tasks[1].pk).start_date == dt.date(2026, 3, 10)
    # and once approved, the hold is gone and the plan closes up again
    approval_decide(actor=team.owner, request=request, verdict="approve")
    assert Task.objects.get(pk=tasks[1].pk).start_date == dt.date(2026, 3, 4)


def test_a_content_piece_goes_through_its_review_chain(team: Team) -> None:
    from headway.conftest import client_for
    from headway.planning.services.campaigns import channels_ensure
    from headway.publishing.models import ContentPiece
    from headway.publishing.services import piece_create

    blog = next(c for c in channels_ensure(team.workspace) if c.key == "blog")
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Care guide",
        kind="blog_post",
        channel=blog.pk,
        stage="drafting",
        owner=team.member.pk,
    )
    chain = _content_chain(team)
    request = approval_start(actor=team.member, piece=piece, chain=chain)
    assert ContentPiece.objects.get(pk=piece.pk).stage == "in_review"
    queue = client_for(team.owner).get(f"/w/{team.workspace.slug}/approvals/").content.decode()
    assert f"/approvals/{request.pk}/" in queue and "Care guide" in queue
    approval_decide(actor=team.owner, request=request, verdict="changes", comment="Add photos")
    assert ContentPiece.objects.get(pk=piece.pk).stage == "changes_requested"
    approval_resubmit(actor=team.member, request=request)
    approval_decide(actor=team.owner, request=request, verdict="approve")
    approval_decide(actor=team.admin, request=request, verdict="approve")
    approval_decide(actor=team.member, request=request, verdict="approve")
    assert ContentPiece.objects.get(pk=piece.pk).stage == "approved"
    page = (
        client_for(team.manager)
        .get(f"/w/{team.workspace.slug}/content/{piece.pk}/")
        .content.decode()
    )
    assert "Add photos" in page and "Approved" in page
    with pytest.raises(DomainError, match="one task or one content piece"):
        approval_start(actor=team.member, chain=chain)
