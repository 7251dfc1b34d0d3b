"""Reads for approvals: an approver's queue, oldest first, with the time waited against the
step's limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalRequest, ApprovalStep, RequestStatus
from headway.planning.models import Task
from headway.workspaces.models import Membership, Workspace


@dataclass
class QueueItem:
    request: ApprovalRequest
    step: ApprovalStep
    waited: dt.timedelta
    overdue: bool
    as_backup: bool


def _pending(workspace: Workspace) -> QuerySet[ApprovalRequest]:
    steps = ApprovalStep.objects.prefetch_related("approvers").order_by("position")
    return (
        ApprovalRequest.objects.filter(workspace=workspace, status=RequestStatus.PENDING)
        .select_related("task__campaign", "task__owner", "chain", "requested_by")
        .prefetch_related(Prefetch("chain__steps", queryset=steps))
        .order_by("waiting_since", "id")
    )


def approval_queue(
    workspace: Workspace, user: User, now: dt.datetime, include_backup: bool = True
) -> list[QueueItem]:
    """What waits for `user`: steps that name them or their role, and, when overdue or
    always with `include_backup`, steps where they are the backup."""
    role = (
        Membership.objects.filter(workspace=workspace, user=user)
        .values_list("role", flat=True)
        .first()
    )
    items = []
    for req in _pending(workspace):
        step = next((s for s in req.chain.steps.all() if s.position == req.step), None)
        if step is None:
            continue
        named = user.pk in {u.pk for u in step.approvers.all()} or (
            bool(step.approver_role) and step.approver_role == role
        )
        backup = step.backup_id == user.pk
        if not named and not (backup and include_backup):
            continue
        items.append(
            QueueItem(
                request=req,
                step=step,
                waited=now - req.waiting_since,
                overdue=now > req.due_at,
                as_backup=backup and not named,
            )
        )
    return items


def approval_context(task: Task) -> dict[str, object]:
    """What the task page shows of approvals: every request for the task with its decisions
    (the latest first), the active one, and the chains it could be sent through."""
    requests = list(
        ApprovalRequest.objects.filter(task=task)
        .select_related("chain")
        .prefetch_related("decisions__approver", "decisions__attachment", Prefetch("chain__steps"))
        .order_by("-created_at", "-id")
    )
    active = next(
        (
            r
            for r in requests
            if r.status in (RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED)
        ),
        None,
    )
    step = None
    if active is not None:
        step = next((s for s in active.chain.steps.all() if s.position == active.step), None)
    return {
        "approval_requests": requests,
        "approval_active": active,
        "approval_step": step,
        "approval_chains": []
        if active
        else list(ApprovalChain.objects.filter(workspace_id=task.workspace_id)),
    }
