"""Reads for approvals: an approver's queue, oldest first, with the time waited against the
step's limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from headway.accounts.models import User
from headway.approvals.models import (
    ApprovalChain,
    ApprovalRequest,
    ApprovalStep,
    Decision,
    RequestStatus,
    WorkKind,
)
from headway.core.bounds import INT64_MAX
from headway.planning.models import Attachment, Campaign, Task
from headway.publishing.models import ContentPiece
from headway.workspaces.models import Membership, Workspace


@dataclass
class QueueItem:
    request: ApprovalRequest
    step: ApprovalStep
    waited: dt.timedelta
    overdue: bool
    as_backup: bool


def approval_queue(
    workspace: Workspace,
    user: User,
    now: dt.datetime,
    include_backup: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> list[QueueItem]:
    """What waits for `user`, oldest first: steps that name them or their role, and (with
    `include_backup`) steps where they are the backup. The matching is done in the
    database, so a page of the queue costs the same however long the queue is."""
    qs = queue_requests(workspace, user, include_backup)
    rows = list(qs[offset : offset + limit] if limit is not None else qs[offset:])
    steps = {
        (s.chain_id, s.position): s
        for s in ApprovalStep.objects.filter(
            chain_id__in={r.chain_id for r in rows}
        ).prefetch_related("approvers")
    }
    role = _role(workspace, user)
    items = []
    for req in rows:
        step = steps[(req.chain_id, req.step)]
        named = user.pk in {u.pk for u in step.approvers.all()} or (
            bool(step.approver_role) and step.approver_role == role
        )
        items.append(
            QueueItem(
                request=req,
                step=step,
                waited=now - req.waiting_since,
                overdue=now > req.due_at,
                as_backup=step.backup_id == user.pk and not named,
            )
        )
    return items


def _role(workspace: Workspace, user: User) -> str | None:
    return (
        Membership.objects.filter(workspace=workspace, user=user)
        .values_list("role", flat=True)
        .first()
    )


def queue_requests(
    workspace: Workspace, user: User, include_backup: bool = True
) -> QuerySet[ApprovalRequest]:
    """The pending requests whose waiting step names `user`, their role or (optionally) them
    as backup, oldest first."""
    who = Q(approvers=user)
    role = _role(workspace, user)
    if role:
        who |= Q(approver_role=role)
    if include_backup:
        who |= Q(backup=user)
    waiting_step = ApprovalStep.objects.filter(
        who, chain=OuterRef("chain"), position=OuterRef("step")
    )
    return (
        ApprovalRequest.objects.filter(workspace=workspace, status=RequestStatus.PENDING)
        .filter(Exists(waiting_step))
        .select_related("task__campaign", "task__owner", "piece__channel", "chain", "requested_by")
        .order_by("waiting_since", "id")
    )


def approval_context(
    task: Task | None = None, piece: ContentPiece | None = None
) -> dict[str, object]:
    """What a task's or a piece's page shows of approvals: every request with its decisions
    (the latest first), the active one, and the chains it could be sent through."""
    subject = task or piece
    assert subject is not None
    requests = list(
        ApprovalRequest.objects.filter(**({"task": task} if task else {"piece": piece}))
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
    # A piece is always a content draft; a task needs the kind its template named, if any.
    kind = task.approval_kind if task is not None else WorkKind.CONTENT_DRAFT
    chains = [] if active else list(ApprovalChain.objects.filter(workspace_id=subject.workspace_id))
    return {
        "approval_requests": requests,
        "approval_active": active,
        "approval_step": step,
        "approval_chains": chains,
        "approval_kind_label": WorkKind(kind).label.lower() if kind in WorkKind.values else "",
        # The menu would otherwise preselect an unrelated chain without a word.
        "approval_kind_missing": bool(chains)
        and kind in WorkKind.values
        and not any(c.kind == kind for c in chains),
    }


def approval_finish_bounds(
    campaign: Campaign, task_ids: list[int]
) -> dict[int, tuple[dt.date, str]]:
    """Approval time counts in the schedule: a task waiting for a decision cannot finish
    before its step is due (in the workspace's time zone)."""
    tz = campaign.workspace.tzinfo
    out = {}
    # Found by campaign, not by a list of its (up to thousands of) task ids.
    wanted = set(task_ids)
    pending = ApprovalRequest.objects.filter(
        task__campaign_id=campaign.pk, status=RequestStatus.PENDING
    ).select_related("chain")
    for req in pending:
        if req.task_id is None or req.task_id not in wanted:
            continue
        due = req.due_at.astimezone(tz).date()
        out[req.task_id] = (due, f"approval due {due:%-d %B} ({req.chain.name})")
    return out


@dataclass
class RequestPage:
    """One approval request as its approvers see it: what it is about, the newest file or
    link of that work with its version, the waiting step and every decision so far."""

    request: ApprovalRequest
    step: ApprovalStep | None
    steps: list[ApprovalStep]
    decisions: list[Decision]
    attachment: Attachment | None
    may_decide: bool


def request_page(req: ApprovalRequest, user: User) -> RequestPage:
    steps = list(
        ApprovalStep.objects.filter(chain_id=req.chain_id)
        .select_related("backup")
        .prefetch_related("approvers")
    )
    step = next((s for s in steps if s.position == req.step), None)
    deciders: set[int] = set()
    if step is not None:
        deciders = {u.pk for u in step.approvers.all()} | {step.backup_id or 0}
        if step.approver_role and _role(req.workspace, user) == step.approver_role:
            deciders.add(user.pk)
    return RequestPage(
        request=req,
        step=step,
        steps=steps,
        decisions=list(req.decisions.select_related("approver", "attachment")),
        attachment=latest_attachment(req),
        may_decide=req.status == RequestStatus.PENDING and user.pk in deciders,
    )


def latest_attachment(req: ApprovalRequest) -> Attachment | None:
    """The newest file or link of the task being approved: the version its approvers judge."""
    if req.task_id is None:
        return None
    return Attachment.objects.filter(task_id=req.task_id).order_by("-created_at", "-id").first()


def workspace_chains(workspace: Workspace) -> list[ApprovalChain]:
    """The workspace's approval chains with their steps and each step's approvers."""
    qs = ApprovalChain.objects.filter(workspace=workspace)
    return list(qs.prefetch_related("steps__approvers"))


def chain_find(workspace: Workspace, chain_id: int) -> ApprovalChain | None:
    """The workspace's chain with this id, or None (also for an id no row can have)."""
    if not 0 < chain_id <= INT64_MAX:
        return None
    return ApprovalChain.objects.filter(workspace=workspace, pk=chain_id).first()
