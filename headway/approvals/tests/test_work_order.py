"""Work order in approvals: sending, or finally approving, a task whose predecessors are
unfinished asks for confirmation first and names them."""

from __future__ import annotations

import pytest

from headway.accounts.services import token_create
from headway.approvals.models import ApprovalChain, ApprovalRequest, DecisionLink, RequestStatus
from headway.approvals.services import (
    approval_decide,
    approval_start,
    link_create,
)
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, client_for
from headway.core.tokens import token_digest
from headway.planning.models import Task, TaskStatus
from headway.planning.services.work_order import PredecessorsNotDone
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db


def _setup(team: Team) -> tuple[list[Task], ApprovalChain]:
    _, tasks = plan_chain(team)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(owner=team.member)
    return [Task.objects.get(pk=t.pk) for t in tasks], founder_chain(team, name="Founder")


def _in_review_early(team: Team) -> tuple[Task, ApprovalRequest]:
    tasks, chain = _setup(team)
    req = approval_start(actor=team.member, task=tasks[1], chain=chain, force=True)
    return Task.objects.get(pk=tasks[1].pk), req


def test_sending_a_task_before_its_predecessor_is_done_asks_first(team: Team) -> None:
    tasks, chain = _setup(team)
    with pytest.raises(PredecessorsNotDone, match="It waits on: “Step 1”"):
        approval_start(actor=team.member, task=tasks[1], chain=chain)
    assert not ApprovalRequest.objects.exists()
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.NOT_STARTED
    approval_start(actor=team.member, task=tasks[1], chain=chain, force=True)
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.IN_REVIEW


def test_the_final_approval_asks_and_records_nothing_until_confirmed(team: Team) -> None:
    task, req = _in_review_early(team)
    # when the founder approves while Step 1 is unfinished
    with pytest.raises(PredecessorsNotDone, match="“Step 2” would be done"):
        approval_decide(actor=team.owner, request=req, verdict="approve")
    # then the decision is not recorded and the step still waits
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING and not req.decisions.exists()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_REVIEW
    # requesting changes never asks
    approval_decide(actor=team.owner, request=req, verdict="changes", comment="Wait for Step 1")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_a_confirmed_final_approval_marks_the_task_done(team: Team) -> None:
    task, req = _in_review_early(team)
    approval_decide(actor=team.owner, request=req, verdict="approve", force=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_send_page_asks_for_confirmation_naming_the_predecessor(team: Team) -> None:
    tasks, chain = _setup(team)
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/approval/"
    response = client.post(url, {"chain": chain.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Send “Step 2” for approval before what it waits on is done?" in page
    assert f'/tasks/{tasks[0].pk}/">Step 1</a>' in page
    assert not ApprovalRequest.objects.exists()
    response = client.post(url, {"chain": chain.pk, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/#approval"
    assert ApprovalRequest.objects.filter(task=tasks[1]).exists()


def test_queue_decision_asks_before_approving_early_work(team: Team) -> None:
    task, req = _in_review_early(team)
    client = client_for(team.owner)
    url = f"/w/{team.workspace.slug}/approvals/{req.pk}/decide/"
    post = {"verdict": "approve", "step": 0, "round": 1, "comment": "Looks right"}
    response = client.post(url, post)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Approve “Step 2” before what it waits on is done?" in page
    assert "autofocus>Approve anyway</button>" in page
    assert '<input type="hidden" name="comment" value="Looks right">' in page
    assert not req.decisions.exists()
    response = client.post(url, {**post, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/approvals/"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_signed_link_asks_again_and_stays_usable(team: Team) -> None:
    task, req = _in_review_early(team)
    raw = link_create(request=req, user=team.owner)
    client = client_for(team.owner)
    response = client.post(f"/approve/{raw}/", {"verdict": "approve", "comment": "Fine"})
    page = response.content.decode()
    assert "It waits on: “Step 1”." in page
    assert '<input type="hidden" name="confirm" value="on">' in page
    assert ">Fine</textarea>" in page and "Approve anyway" in page
    assert DecisionLink.objects.get(token_digest=token_digest(raw)).used_at is None
    response = client.post(f"/approve/{raw}/", {"verdict": "approve", "confirm": "on"})
    assert "Thank you" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_api_refuses_early_approvals_with_409_unless_forced(client, team: Team) -> None:
    tasks, chain = _setup(team)
    ws = team.workspace.slug
    _, raw = token_create(actor=team.member, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/workspaces/{ws}/tasks/{tasks[1].pk}/approvals"
    r = client.post(url, {"chain_id": chain.pk}, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "predecessors_not_done"
    assert "waits on: “Step 1”" in r.json()["message"]
    r = client.post(
        url, {"chain_id": chain.pk, "force": True}, content_type="application/json", **auth
    )
    assert r.status_code == 201
    _, owner_raw = token_create(actor=team.owner, name="api")
    owner = {"HTTP_AUTHORIZATION": f"Bearer {owner_raw}"}
    decide = f"/api/v1/workspaces/{ws}/approvals/{r.json()['id']}/decisions"
    r = client.post(decide, {"verdict": "approve"}, content_type="application/json", **owner)
    assert r.status_code == 409 and r.json()["field"] == "status"
    r = client.post(
        decide, {"verdict": "approve", "force": True}, content_type="application/json", **owner
    )
    assert r.status_code == 201
    assert Task.objects.get(pk=tasks[1].pk).status == TaskStatus.DONE
