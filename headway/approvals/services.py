"""Every write to approvals: chains, starting a request, decisions (one per step, exactly
once even when two approvers click together), resubmission and signed links."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.approvals.clock import due_at
from headway.approvals.models import (
    ApprovalChain,
    ApprovalRequest,
    ApprovalStep,
    Decision,
    DecisionLink,
    LimitUnit,
    RequestStatus,
    StepMode,
    Verdict,
    WorkKind,
)
from headway.core.bounds import (
    COMMENT_MAX_CHARS,
    REMIND_BEFORE_HOURS_MAX,
    ROUND_CAP_MAX,
    STEP_LIMIT_DAYS_MAX,
    STEP_LIMIT_HOURS_MAX,
    check_int,
    check_text,
    within,
)
from headway.core.errors import Conflict, DomainError, Forbidden
from headway.core.tokens import token_digest
from headway.notifications.sender import notify
from headway.planning.models import Attachment, Task, TaskStatus
from headway.planning.scheduling import calendar_for
from headway.planning.services.access import member_user, membership_of, require_planner
from headway.planning.services.schedule import campaign_reschedule
from headway.planning.services.tasks import task_status_apply
from headway.planning.services.work_order import work_order_check
from headway.publishing.models import ContentPiece, Stage
from headway.publishing.services import piece_stage_apply
from headway.workspaces import visibility
from headway.workspaces.models import Membership, Role, Workspace

LINK_HOURS = 72


@dataclass(frozen=True)
class StepSpec:
    name: str
    approvers: list[int]
    approver_role: str = ""
    backup: int | None = None
    limit: int = 2
    limit_unit: str = LimitUnit.DAYS
    mode: str = StepMode.ANY


@transaction.atomic
def chain_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    kind: str,
    steps: list[StepSpec],
    round_cap: int = 3,
    remind_before_hours: int = 4,
    escalate: bool = True,
) -> ApprovalChain:
    """A chain of ordered steps; each names its approvers (people or a role)."""
    require_planner(actor, workspace)
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the approval chain.", field="name")
    if kind not in WorkKind.values:
        raise DomainError(f"{kind!r} is not a kind of work.", field="kind")
    if not steps:
        raise DomainError("A chain needs at least one step.", field="steps")
    within("name", check_text, name, max_length=120)
    within("round_cap", check_int, round_cap, minimum=1, maximum=ROUND_CAP_MAX)
    within(
        "remind_before_hours",
        check_int,
        remind_before_hours,
        minimum=0,
        maximum=REMIND_BEFORE_HOURS_MAX,
    )
    chain = ApprovalChain.objects.create(
        workspace=workspace,
        name=name,
        kind=kind,
        round_cap=round_cap,
        remind_before_hours=remind_before_hours,
        escalate=escalate,
    )
    for n, spec in enumerate(steps):
        _step_create(workspace, chain, n, spec)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=chain,
        workspace=workspace,
        changes=created_changes(chain, ["name", "kind", "round_cap"]) | {"steps": [0, len(steps)]},
    )
    return chain


def _step_create(workspace: Workspace, chain: ApprovalChain, n: int, spec: StepSpec) -> None:
    where = f"steps[{n}]"
    if spec.limit_unit not in LimitUnit.values or spec.limit < 1:
        raise DomainError("A time limit is 1 or more working hours or days.", field=where)
    most = STEP_LIMIT_DAYS_MAX if spec.limit_unit == LimitUnit.DAYS else STEP_LIMIT_HOURS_MAX
    if spec.limit > most:
        raise DomainError(
            f"A time limit is at most {most:,} working {spec.limit_unit}.", field=where
        )
    within(where, check_text, spec.name or "", max_length=80)
    if spec.mode not in StepMode.values:
        raise DomainError(f"{spec.mode!r} is not any or all.", field=where)
    if spec.approver_role and spec.approver_role not in Role.values:
        raise DomainError(f"{spec.approver_role!r} is not a role.", field=where)
    people = [member_user(workspace, pk, where) for pk in spec.approvers]
    if not people and not spec.approver_role:
        raise DomainError("Each step names an approver or a role.", field=where)
    step = ApprovalStep.objects.create(
        chain=chain,
        position=n,
        name=spec.name or f"Step {n + 1}",
        approver_role=spec.approver_role,
        backup=member_user(workspace, spec.backup, where),
        limit=spec.limit,
        limit_unit=spec.limit_unit,
        mode=spec.mode,
    )
    step.approvers.set([p for p in people if p is not None])


def step_approvers(step: ApprovalStep) -> set[int]:
    """The user ids who decide this step (named people and holders of its role)."""
    ids = {u.pk for u in step.approvers.all()}
    if step.approver_role:
        ids |= set(
            Membership.objects.filter(
                workspace_id=step.chain.workspace_id, role=step.approver_role
            ).values_list("user_id", flat=True)
        )
    return ids


def _due(request: ApprovalRequest, step: ApprovalStep, start: dt.datetime) -> dt.datetime:
    ws = request.workspace
    return due_at(start, step.limit, step.limit_unit, calendar_for(ws.pk), ws.tzinfo)


def _current_step(request: ApprovalRequest) -> ApprovalStep:
    return ApprovalStep.objects.select_related("chain").get(
        chain=request.chain, position=request.step
    )


@transaction.atomic
def approval_start(
    *,
    actor: User,
    chain: ApprovalChain,
    task: Task | None = None,
    piece: ContentPiece | None = None,
    at: dt.datetime | None = None,
    force: bool = False,
) -> ApprovalRequest:
    """Sends a task (or a content piece) into review through `chain`; its first step's clock
    starts now (or at `at`, for work that was already waiting before it was recorded). A task
    whose predecessors are unfinished goes to review only when `force` confirms it."""
    subject: Task | ContentPiece | None = task or piece
    if subject is None or (task is not None and piece is not None):
        raise DomainError("Send one task or one content piece for approval.", field="task")
    membership = membership_of(actor, subject.workspace)
    if not visibility.can_start_approval(membership, task=task, piece=piece):
        raise Forbidden("You can only send your own tasks for approval.")
    if chain.workspace_id != subject.workspace_id:
        raise DomainError("That approval chain belongs to another workspace.", field="chain")
    active = ApprovalRequest.objects.filter(
        status__in=[RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED]
    ).filter(**({"task": task} if task is not None else {"piece": piece}))
    if active.exists():
        raise Conflict(f"“{subject.title}” is already going through an approval.", code="active")
    if task is not None:
        work_order_check(task, TaskStatus.IN_REVIEW, force=force)
    now = at or timezone.now()
    request = ApprovalRequest(
        workspace=subject.workspace,
        task=task,
        piece=piece,
        chain=chain,
        requested_by=actor,
        waiting_since=now,
        due_at=now,
    )
    moved = _begin_round(request, now, actor)
    _record(request, Verb.SENT_FOR_APPROVAL, actor, {"chain": [None, chain.name], **moved})
    return request


def _begin_round(request: ApprovalRequest, now: dt.datetime, actor: User) -> dict[str, list[str]]:
    """The first step's clock starts: the work is in review, its approvers are told, and
    the plan makes room for the wait. Returns how the work moved."""
    request.due_at = _due(request, request.chain.steps.get(position=0), now)
    request.save()
    moved = _set_subject(request, REVIEW, actor)
    notify_step(request)
    _reschedule(request)
    return moved


def _record(
    request: ApprovalRequest, verb: Verb, actor: User | None, changes: dict[str, Any]
) -> None:
    """The one activity event of an approval move, on the work itself (the task or piece a
    reader follows), naming the request and round and carrying the work's status change."""
    subject = request.task if request.task is not None else request.piece
    assert subject is not None
    event_record(
        actor=actor,
        verb=verb,
        obj=subject,
        workspace=request.workspace,
        changes={"request": [None, request.pk], "round": [None, request.round], **changes},
    )


# What happens to the work when a request moves: it is in review, goes back for changes,
# was rejected, or is approved.
REVIEW, BACK, REJECTED, APPROVED = "review", "back", "rejected", "approved"
TASK_STATUS = {
    REVIEW: TaskStatus.IN_REVIEW,
    BACK: TaskStatus.IN_PROGRESS,
    REJECTED: TaskStatus.IN_PROGRESS,
    APPROVED: TaskStatus.DONE,
}
PIECE_STAGE = {
    REVIEW: Stage.IN_REVIEW,
    BACK: Stage.CHANGES_REQUESTED,
    REJECTED: Stage.DRAFTING,
    APPROVED: Stage.APPROVED,
}


def _set_subject(request: ApprovalRequest, outcome: str, actor: User) -> dict[str, list[str]]:
    """Moves the work where `outcome` puts it and returns the change, which the approval's
    own event records: the work gets no second, "updated", event for the same move."""
    if request.task is not None:
        before, status = request.task.status, TASK_STATUS[outcome]
        if before == status:
            return {}
        task_status_apply(actor=actor, task=request.task, status=status, record=False)
        return {"status": [before, status]}
    piece = request.piece
    assert piece is not None
    return piece_stage_apply(actor=actor, piece=piece, stage=PIECE_STAGE[outcome], record=False)


def _reschedule(request: ApprovalRequest) -> None:
    """Approval time counts in the campaign's schedule (tasks only)."""
    if request.task is not None:
        campaign_reschedule(request.task.campaign)


def notify_step(request: ApprovalRequest) -> int:
    """Emails each approver of the waiting step a signed link to decide from (sent by the
    background worker once the transaction commits); returns how many were queued."""
    step = _current_step(request)
    people = User.objects.filter(pk__in=step_approvers(step)).exclude(email="")
    hours = getattr(settings, "APPROVAL_LINK_HOURS", LINK_HOURS)
    for person in people:
        # Each approver gets a link of their own, so each gets a message of their own.
        raw = link_create(request=request, user=person)
        notify(
            recipients=[person],
            workspace=request.workspace,
            subject=f"Approval needed: {request.subject_title}",
            template="notifications/approval_step.txt",
            context={
                "request": request,
                "step": step,
                "hours": hours,
                "url": settings.BASE_URL + reverse("approvals:link", args=[raw]),
            },
        )
    return len(people)


def _locked(request_id: int) -> ApprovalRequest:
    return (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related(
            "workspace", "chain", "task__workspace", "task__campaign", "piece__workspace"
        )
        .get(pk=request_id)
    )


@transaction.atomic
def approval_decide(
    *,
    actor: User,
    request: ApprovalRequest,
    verdict: str,
    comment: str = "",
    step: int | None = None,
    round: int | None = None,
    via_link: bool = False,
    force: bool = False,
) -> Decision:
    """Records one decision on the waiting step. `step` and `round` are what the approver
    saw: a step decided meanwhile is refused with a clear message, so no step is skipped or
    decided twice. Approve moves to the next step (or approves the task); request changes
    sends the work back for a new round; reject ends the request. The approval that would
    mark a task done while its predecessors are unfinished needs `force`."""
    if verdict not in Verdict.values:
        raise DomainError(f"{verdict!r} is not approve, changes or reject.", field="verdict")
    req = _locked(request.pk)
    if (
        req.status != RequestStatus.PENDING
        or (step is not None and step != req.step)
        or (round is not None and round != req.round)
    ):
        raise Conflict(_already(req), code="already_decided")
    current = _current_step(req)
    allowed = step_approvers(current) | ({current.backup_id} if current.backup_id else set())
    if actor.pk not in allowed:
        raise Forbidden("You are not an approver of this step.")
    comment = (comment or "").strip()
    if verdict == Verdict.CHANGES and not comment:
        raise DomainError("Say what should change.", field="comment")
    within("comment", check_text, comment, max_length=COMMENT_MAX_CHARS)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                attachment=_latest_file(req.task) if req.task is not None else None,
                request=req,
                step=req.step,
                round=req.round,
                approver=actor,
                verdict=verdict,
                comment=comment,
                via_link=via_link,
            )
    except IntegrityError:
        raise Conflict("You have already decided this step.", code="already_decided") from None
    moved = _advance(req, current, decision, actor, force)
    _reschedule(req)
    _record(req, VERDICT_VERBS[Verdict(verdict)], actor, {"step": [None, current.name], **moved})
    return decision


def _latest_file(task: Task) -> Attachment | None:
    """The version a decision judges: the task's newest file when it was decided."""
    return Attachment.objects.filter(task=task).exclude(file="").order_by("-version").first()


def _already(req: ApprovalRequest) -> str:
    last = req.decisions.select_related("approver").order_by("-created_at", "-id").first()
    if last is None:
        return "This approval has moved on since you opened it. Reload to see where it is."
    who = last.approver.name if last.approver else "someone"
    return (
        f"This step was already decided: {who} {last.get_verdict_display()} it "
        f"{timezone.localtime(last.created_at, req.workspace.tzinfo):%-d %B at %H:%M}."
    )


VERDICT_VERBS = {
    Verdict.APPROVE: Verb.APPROVED,
    Verdict.CHANGES: Verb.CHANGES_REQUESTED,
    Verdict.REJECT: Verb.REJECTED,
}


def _advance(
    req: ApprovalRequest, step: ApprovalStep, decision: Decision, actor: User, force: bool
) -> dict[str, list[str]]:
    """Moves the request on after `decision`; returns how the work moved (empty while it
    stays in review)."""
    now = timezone.now()
    if decision.verdict != Verdict.APPROVE:
        req.status = (
            RequestStatus.CHANGES_REQUESTED
            if decision.verdict == Verdict.CHANGES
            else RequestStatus.REJECTED
        )
        req.decided_at = now
        req.save(update_fields=["status", "decided_at", "updated_at"])
        return _set_subject(req, BACK if decision.verdict == Verdict.CHANGES else REJECTED, actor)
    if step.mode == StepMode.ALL:
        approved = set(
            req.decisions.filter(
                step=req.step, round=req.round, verdict=Verdict.APPROVE
            ).values_list("approver_id", flat=True)
        )
        if not step_approvers(step) <= approved:
            return {}  # others still have to decide
    nxt = req.chain.steps.filter(position=req.step + 1).first()
    if nxt is None:
        if req.task is not None:
            # Raising here undoes the decision too: the approver confirms and decides again.
            work_order_check(req.task, TaskStatus.DONE, force=force)
        req.status = RequestStatus.APPROVED
        req.decided_at = now
        req.save(update_fields=["status", "decided_at", "updated_at"])
        return _set_subject(req, APPROVED, actor)
    req.step = nxt.position
    req.waiting_since = now
    req.due_at = _due(req, nxt, now)
    req.reminded_at = req.escalated_at = None
    req.save(
        update_fields=[
            "step",
            "waiting_since",
            "due_at",
            "reminded_at",
            "escalated_at",
            "updated_at",
        ]
    )
    notify_step(req)
    return {}


@transaction.atomic
def approval_resubmit(*, actor: User, request: ApprovalRequest) -> ApprovalRequest:
    """After changes were requested: the next round starts at the chain's first step."""
    req = _locked(request.pk)
    if not visibility.can_resubmit(membership_of(actor, req.workspace), req):
        raise Forbidden("Only the team, or whoever sent the work, can start a new round.")
    if req.status != RequestStatus.CHANGES_REQUESTED:
        raise Conflict("Only work sent back for changes can be resubmitted.", code="not_changes")
    now = timezone.now()
    req.round += 1
    req.step = 0
    req.status = RequestStatus.PENDING
    req.decided_at = None
    req.waiting_since = now
    req.reminded_at = req.escalated_at = None
    moved = _begin_round(req, now, actor)
    _record(req, Verb.RESUBMITTED, actor, moved)
    return req


def link_create(*, request: ApprovalRequest, user: User) -> str:
    """A signed link for `user` to decide the waiting step of this round; the raw token is
    returned once and stored only as its digest."""
    raw = secrets.token_urlsafe(32)
    hours = getattr(settings, "APPROVAL_LINK_HOURS", LINK_HOURS)
    DecisionLink.objects.create(
        request=request,
        user=user,
        step=request.step,
        round=request.round,
        token_digest=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    return raw


def _local_text(moment: dt.datetime, workspace: Workspace) -> str:
    """A moment as the people who got the emailed link read it: in their workspace's zone."""
    return f"{moment.astimezone(workspace.tzinfo):%-d %B at %H:%M} {workspace.tzinfo.key}"


class LinkRefused(DomainError):
    status = 410
    code = "link_refused"


def link_check(raw: str, signed_in: Any = None) -> DecisionLink:
    """The link behind `raw`, or LinkRefused saying why it does nothing: unknown, used,
    expired, for another person, or for a step already decided."""
    link = (
        DecisionLink.objects.select_related(
            "user", "request__task", "request__piece", "request__workspace"
        )
        .filter(token_digest=token_digest(raw or ""))
        .first()
    )
    if link is None:
        raise LinkRefused("This approval link is not valid. Open the task in Headway instead.")
    if link.used_at is not None:
        used = _local_text(link.used_at, link.request.workspace)
        raise LinkRefused(f"This link was already used on {used}.")
    if link.expires_at <= timezone.now():
        expired = _local_text(link.expires_at, link.request.workspace)
        raise LinkRefused(f"This link expired on {expired}. Open the task in Headway to decide.")
    signed = signed_in is not None and getattr(signed_in, "is_authenticated", False)
    if signed and signed_in.pk != link.user_id:
        raise LinkRefused(
            f"This link is for {link.user.name}; you are signed in as {signed_in.name}."
        )
    req = link.request
    if req.status != RequestStatus.PENDING or (req.step, req.round) != (link.step, link.round):
        raise LinkRefused("This step has already been decided; the link no longer applies.")
    return link


@transaction.atomic
def link_decide(
    *, raw: str, verdict: str, comment: str = "", signed_in: Any = None, force: bool = False
) -> Decision:
    """Decides through a signed link, once."""
    link = link_check(raw, signed_in)
    used = DecisionLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise LinkRefused("This link was already used.")
    return approval_decide(
        actor=link.user,
        request=link.request,
        verdict=verdict,
        comment=comment,
        step=link.step,
        round=link.round,
        via_link=True,
        force=force,
    )


def _tell_about(
    request: ApprovalRequest, people: list[User], subject: str, template: str, step: ApprovalStep
) -> None:
    """A reminder or escalation about `request`, with a link to its page."""
    url = reverse("approvals:request", args=[request.workspace.slug, request.pk])
    notify(
        recipients=people,
        workspace=request.workspace,
        subject=subject,
        template=template,
        context={"request": request, "step": step, "url": settings.BASE_URL + url},
    )


@transaction.atomic
def approvals_sweep(now: dt.datetime) -> tuple[int, int]:
    """Reminds the approvers of steps nearing their limit and, at the limit, tells the
    backup approver and the campaign owner (per chain settings). Each goes out once per
    step; returns (reminders, escalations)."""
    pending = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .filter(status=RequestStatus.PENDING)
        .filter(models.Q(reminded_at__isnull=True) | models.Q(escalated_at__isnull=True))
        .select_related("chain", "task__campaign__owner", "piece__campaign__owner", "workspace")
        .prefetch_related("chain__steps__approvers", "chain__steps__backup")
    )
    reminders = escalations = 0
    for req in pending:
        step = next(s for s in req.chain.steps.all() if s.position == req.step)
        late = now >= req.due_at
        window = dt.timedelta(hours=req.chain.remind_before_hours)
        if req.reminded_at is None and (late or now >= req.due_at - window):
            approvers = list(User.objects.filter(pk__in=step_approvers(step)))
            _tell_about(
                req,
                approvers,
                f"Reminder: {req.subject_title} waits for your decision",
                "notifications/approval_reminder.txt",
                step,
            )
            req.reminded_at = now
            reminders += 1
        if late and req.escalated_at is None and req.chain.escalate:
            campaign = req.task.campaign if req.task is not None else req.piece.campaign  # type: ignore[union-attr]
            owner = campaign.owner if campaign is not None else None
            people = [p for p in (step.backup, owner) if p is not None]
            _tell_about(
                req,
                people,
                f"Overdue approval: {req.subject_title}",
                "notifications/approval_escalation.txt",
                step,
            )
            req.escalated_at = now
            escalations += 1
            event_record(
                actor=None,
                verb=Verb.UPDATED,
                obj=req,
                workspace=req.workspace,
                changes={"escalated": [False, True]},
            )
        req.save(update_fields=["reminded_at", "escalated_at", "updated_at"])
    return reminders, escalations
