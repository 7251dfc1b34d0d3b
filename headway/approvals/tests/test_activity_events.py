"""Each approval move is one activity event that says what happened, on the work itself."""

from __future__ import annotations

import pytest

from headway.activity.models import Event
from headway.approvals.services import (
    StepSpec,
    approval_decide,
    approval_resubmit,
    approval_start,
    chain_create,
)
from headway.conftest import Team, client_for
from headway.planning.models import Task
from headway.planning.services.campaigns import channels_ensure
from headway.planning.tests.factories import chain as plan_chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db


def _founder_chain(team: Team):  # type: ignore[no-untyped-def]
    return chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="content_draft",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )


def _since(mark: int) -> list[Event]:
    return list(Event.objects.filter(pk__gt=mark).order_by("id"))


def test_a_task_round_trip_records_one_event_per_move(team: Team) -> None:
    _, tasks = plan_chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    chain = _founder_chain(team)
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when the draft is sent, sent back, resubmitted and approved
    req = approval_start(actor=team.member, task=Task.objects.get(pk=tasks[0].pk), chain=chain)
    approval_decide(actor=team.owner, request=req, verdict="changes", comment="Shorter")
    approval_resubmit(actor=team.member, request=req)
    approval_decide(actor=team.owner, request=req, verdict="approve")
    # then the log has four events, all on the task, each naming the move and its status
    events = _since(mark)
    assert [(e.verb, e.object_type, e.object_id) for e in events] == [
        ("sent_for_approval", "planning.task", str(tasks[0].pk)),
        ("changes_requested", "planning.task", str(tasks[0].pk)),
        ("resubmitted", "planning.task", str(tasks[0].pk)),
        ("approved", "planning.task", str(tasks[0].pk)),
    ]
    assert [e.changes["status"] for e in events] == [
        ["not_started", "in_review"],
        ["in_review", "in_progress"],
        ["in_progress", "in_review"],
        ["in_review", "done"],
    ]
    assert [e.changes["round"][1] for e in events] == [1, 1, 2, 2]
    assert all(e.changes["request"] == [None, req.pk] for e in events)


def test_a_middle_step_approval_is_one_event_without_a_status_change(team: Team) -> None:
    _, tasks = plan_chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    two = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Two steps",
        kind="content_draft",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk]),
            StepSpec("Finance", approvers=[team.admin.pk]),
        ],
    )
    req = approval_start(actor=team.member, task=Task.objects.get(pk=tasks[0].pk), chain=two)
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    approval_decide(actor=team.owner, request=req, verdict="approve")
    [event] = _since(mark)
    assert event.verb == "approved" and event.changes["step"] == [None, "Founder"]
    assert "status" not in event.changes


def test_a_piece_decision_is_one_event_with_its_stage(team: Team) -> None:
    channel = channels_ensure(team.workspace)[0]
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Care guide",
        kind="blog_post",
        channel=channel.pk,
        stage="drafting",
        owner=team.member.pk,
    )
    chain = _founder_chain(team)
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    req = approval_start(actor=team.manager, piece=piece, chain=chain)
    approval_decide(actor=team.owner, request=req, verdict="reject")
    events = _since(mark)
    assert [(e.verb, e.object_type) for e in events] == [
        ("sent_for_approval", "publishing.contentpiece"),
        ("rejected", "publishing.contentpiece"),
    ]
    assert events[1].changes["stage"] == ["in_review", "drafting"]


def test_the_campaign_activity_says_approved_once(team: Team) -> None:
    campaign, tasks = plan_chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    req = approval_start(
        actor=team.member, task=Task.objects.get(pk=tasks[0].pk), chain=_founder_chain(team)
    )
    approval_decide(actor=team.owner, request=req, verdict="approve")
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/")
    text = page.content.decode()
    assert text.count("<strong>Alpha Owner</strong> approved") == 1
    assert "<strong>Alpha Member</strong> sent for approval" in text
    assert "<strong>Alpha Owner</strong> updated" not in text
