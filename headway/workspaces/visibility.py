"""What each role may see and do in a workspace: pages, the API, feeds and services all ask here.

Owners, admins, managers and members see everything in their workspace. Freelancers and
clients see their own work and what waits on them: the tasks and pieces they own or that are
blocked on them, what those tasks wait on (read-only), the approval requests whose waiting
step names them (in person, by role or as backup), that they sent or decided, with the task
or piece each is about (read-only); the campaigns of the tasks they see, by name, and the
people those tasks, pieces and requests name. Anything else answers 404, as if it did not
exist; an action on something visible but not theirs answers 403.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalRequest, ApprovalStep, Decision
from headway.capacity.models import Scenario
from headway.insights.models.checkins import CheckIn
from headway.insights.models.escalations import Escalation
from headway.planning.models import (
    Attachment,
    Campaign,
    CampaignTemplate,
    Dependency,
    GoLiveCondition,
    Holiday,
    SuccessMetric,
    Task,
    TimeOff,
)
from headway.publishing.models import CalendarFeed, ContentPiece
from headway.results.models import ColumnMapping, CurrencyRate
from headway.results.reviews.models import Learning, Review
from headway.workspaces.models import Invitation, Membership, Role
from headway.workspaces.scoping import registered_kwargs


def is_internal(membership: Membership) -> bool:
    """Internal roles see the whole workspace; freelancers and clients see their share."""
    return not membership.role_enum.is_external


def can_plan(membership: Membership) -> bool:
    """Owners, admins and managers shape plans: they create campaigns (from a template or
    blank), tasks, links and templates. Members work on the plan without reshaping it."""
    return membership.role_enum.plans


def works_on_tasks(membership: Membership) -> bool:
    """Everyone but a client works on tasks. A client decides approvals and follows what waits
    on them: no card of theirs to drag across a board, no time off that moves work they own."""
    return membership.role_enum != Role.CLIENT


CLIENTS_DO_NOT_WORK_ON_TASKS = (
    "Clients decide approvals and follow what waits on them; the board and time off are the "
    "team's. Your approvals and work are under My work and Approvals."
)


def require_task_work(membership: Membership) -> None:
    """Refuses the pages of those who work on tasks (the board, time off) to a client."""
    if not works_on_tasks(membership):
        raise PermissionDenied(CLIENTS_DO_NOT_WORK_ON_TASKS)


def nav_pages(membership: Membership | None) -> frozenset[str]:
    """The workspace pages the side navigation offers this role: only those it can use."""
    if membership is None:
        return frozenset()
    role = membership.role_enum
    pages = {"dashboard", "my_work", "approvals"}
    if works_on_tasks(membership):
        pages |= {"board", "time_off"}
    if is_internal(membership):
        pages |= {"campaigns", "templates", "content", "calendar", "load", "insights"}
        pages |= {"escalations", "reviews", "people"}
    if role.plans:
        pages.add("results")
    if role.administers:
        pages |= {"audit_trail", "background"}
    return frozenset(pages)


PLANNERS_ONLY = (
    "Only owners, admins and managers create campaigns. Ask one of them to start this "
    "campaign; you can then work on its tasks."
)


def _uid(membership: Membership) -> int:
    return membership.user_id


# -- tasks -----------------------------------------------------------------------------------


def workable_tasks(membership: Membership) -> QuerySet[Task]:
    """The tasks the member may work on (status, checklist, comments, files): every task for
    internal roles; for externals the ones they own or that are blocked on them."""
    qs = Task.objects.filter(workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs
    uid = _uid(membership)
    return qs.filter(Q(owner_id=uid) | Q(blocked_on_id=uid))


def visible_tasks(membership: Membership) -> QuerySet[Task]:
    """Workable tasks, what they wait on, and the subjects of the member's approvals."""
    qs = Task.objects.filter(workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs
    uid = _uid(membership)
    waited_on = Dependency.objects.filter(predecessor=OuterRef("pk")).filter(
        Q(successor__owner_id=uid) | Q(successor__blocked_on_id=uid)
    )
    subject = visible_approval_requests(membership).filter(task=OuterRef("pk"))
    return qs.filter(Q(owner_id=uid) | Q(blocked_on_id=uid) | Exists(waited_on) | Exists(subject))


def can_work_on_task(membership: Membership, task: Task) -> bool:
    return is_internal(membership) or _uid(membership) in (task.owner_id, task.blocked_on_id)


def visible_campaigns(membership: Membership) -> QuerySet[Campaign]:
    """Internal roles: every campaign. Externals: the campaigns of the tasks they see, which
    they know by name only (a filter on their board), not as campaign pages."""
    qs = Campaign.objects.filter(workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs
    return qs.filter(Exists(visible_tasks(membership).filter(campaign=OuterRef("pk"))))


# -- approvals and pieces --------------------------------------------------------------------


def visible_approval_requests(membership: Membership) -> QuerySet[ApprovalRequest]:
    """Externals see the requests whose waiting step names them (in person, by their role or
    as backup), the ones they sent or decided, and the ones about work they own."""
    qs = ApprovalRequest.objects.filter(workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs
    uid = _uid(membership)
    names_them = ApprovalStep.objects.filter(
        Q(approvers__id=uid) | Q(approver_role=membership.role) | Q(backup_id=uid),
        chain=OuterRef("chain"),
        position=OuterRef("step"),
    )
    decided = Decision.objects.filter(request=OuterRef("pk"), approver_id=uid)
    return qs.filter(
        Exists(names_them)
        | Exists(decided)
        | Q(requested_by_id=uid)
        | Q(task__owner_id=uid)
        | Q(piece__owner_id=uid)
    )


def approval_request_or_404(membership: Membership, request_id: Any) -> ApprovalRequest:
    found = (
        visible_approval_requests(membership)
        .select_related("workspace", "chain", "task__campaign", "piece__channel")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404("No such approval request.")
    return found


def can_start_approval(
    membership: Membership, task: Task | None = None, piece: ContentPiece | None = None
) -> bool:
    """Internal roles send any work for approval; externals only the tasks they own."""
    if is_internal(membership):
        return True
    return task is not None and task.owner_id == _uid(membership)


def can_resubmit(membership: Membership, request: ApprovalRequest) -> bool:
    """A new round is started by the team, or by the external who sent or owns the work; an
    approver outside the team cannot restart someone else's approval."""
    if is_internal(membership):
        return True
    uid = _uid(membership)
    subject = request.task or request.piece
    return request.requested_by_id == uid or (subject is not None and subject.owner_id == uid)


def visible_pieces(membership: Membership) -> QuerySet[ContentPiece]:
    """Externals see the pieces they own and the ones their approvals are about."""
    qs = ContentPiece.objects.filter(workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs
    subject = visible_approval_requests(membership).filter(piece=OuterRef("pk"))
    return qs.filter(Q(owner_id=_uid(membership)) | Exists(subject))


def can_add_pieces(membership: Membership) -> bool:
    return is_internal(membership)


def can_edit_piece(membership: Membership, piece: ContentPiece) -> bool:
    return is_internal(membership) or piece.owner_id == _uid(membership)


def can_share_workspace_calendar(membership: Membership) -> bool:
    """The whole workspace's calendar feed holds everything, so only the team may have one."""
    return is_internal(membership)


# -- people ----------------------------------------------------------------------------------


def visible_members(membership: Membership) -> QuerySet[User]:
    """Externals see themselves and the people named by what they see: owners of tasks and
    pieces, whom tasks are blocked on, who sent and who decided their approvals."""
    qs = User.objects.filter(memberships__workspace_id=membership.workspace_id)
    if is_internal(membership):
        return qs.order_by("name").distinct()
    tasks = visible_tasks(membership)
    requests = visible_approval_requests(membership)
    named = (
        Q(pk=_uid(membership))
        | Q(pk__in=tasks.values("owner_id"))
        | Q(pk__in=tasks.values("blocked_on_id"))
        | Q(pk__in=visible_pieces(membership).values("owner_id"))
        | Q(pk__in=requests.values("requested_by_id"))
        | Q(pk__in=Decision.objects.filter(request__in=requests).values("approver_id"))
    )
    return qs.filter(named).order_by("name").distinct()


def visible_memberships(membership: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(
        workspace_id=membership.workspace_id, user__in=visible_members(membership)
    )


# -- every scoped object, for the generated role test and for lookups by URL parameter ------


def _none(model: type[Model]) -> Callable[[Membership], QuerySet[Any]]:
    """Objects only the team sees (plans' inner workings, settings, invitations)."""

    def rows(membership: Membership) -> QuerySet[Any]:
        qs = model._default_manager.filter(workspace_id=membership.workspace_id)
        return qs if is_internal(membership) else qs.none()

    return rows


def _all(model: type[Model]) -> Callable[[Membership], QuerySet[Any]]:
    """Objects everyone in the workspace sees (the holidays every plan is dated on)."""
    return lambda membership: model._default_manager.filter(workspace_id=membership.workspace_id)


def _own(model: type[Model], field: str) -> Callable[[Membership], QuerySet[Any]]:
    def rows(membership: Membership) -> QuerySet[Any]:
        qs = model._default_manager.filter(workspace_id=membership.workspace_id)
        return qs if is_internal(membership) else qs.filter(**{field: _uid(membership)})

    return rows


def _links(membership: Membership) -> QuerySet[Dependency]:
    qs = Dependency.objects.filter(workspace_id=membership.workspace_id)
    return qs if is_internal(membership) else qs.filter(successor__in=workable_tasks(membership))


def _attachments(membership: Membership) -> QuerySet[Attachment]:
    qs = Attachment.objects.filter(workspace_id=membership.workspace_id)
    return qs if is_internal(membership) else qs.filter(task__in=visible_tasks(membership))


def _metrics(membership: Membership) -> QuerySet[SuccessMetric]:
    qs = SuccessMetric.objects.filter(campaign__workspace_id=membership.workspace_id)
    return qs if is_internal(membership) else qs.none()


VISIBLE: dict[type[Model], Callable[[Membership], QuerySet[Any]]] = {
    Task: visible_tasks,
    Campaign: visible_campaigns,
    ApprovalRequest: visible_approval_requests,
    ContentPiece: visible_pieces,
    Membership: visible_memberships,
    Dependency: _links,
    Attachment: _attachments,
    SuccessMetric: _metrics,
    GoLiveCondition: _own(GoLiveCondition, "owner_id"),
    TimeOff: _own(TimeOff, "user_id"),
    CalendarFeed: _own(CalendarFeed, "user_id"),
    Holiday: _all(Holiday),
    CampaignTemplate: _none(CampaignTemplate),
    ApprovalChain: _none(ApprovalChain),
    Invitation: _none(Invitation),
    CheckIn: _none(CheckIn),  # the weekly check-in is the team's meeting
    Escalation: _none(Escalation),  # trouble and who acts on it is the team's business
    Review: _none(Review),  # a look back at results and execution is the team's
    Learning: _none(Learning),
    ColumnMapping: _none(ColumnMapping),  # how imports are read, and the money in them,
    CurrencyRate: _none(CurrencyRate),  # are the planners' business
    Scenario: _none(Scenario),  # what-ifs about taking on work are the planners' business
}


def check_kwargs(membership: Membership, kwargs: Mapping[str, Any]) -> None:
    """Raises Http404 unless every scoped URL parameter names a row the member may see: every
    page and API route under a workspace passes here before its view runs, so an object
    outside a freelancer's or client's share does not exist for them, on any route."""
    if is_internal(membership):
        return
    registry = registered_kwargs()
    for name, value in kwargs.items():
        if name not in registry:
            continue
        model = registry[name][0]()
        rule = VISIBLE.get(model)
        rows = rule(membership) if rule else model._default_manager.none()
        try:
            seen = rows.filter(pk=value).exists()
        except (ValueError, TypeError):
            seen = False
        if not seen:
            raise Http404(f"No such {model._meta.verbose_name}.")


def visible_rows(membership: Membership, model: type[Model]) -> QuerySet[Any]:
    """The rows of `model` the member may see. A model no rule covers is refused loudly, so a
    new kind of object cannot be reached by URL before someone decides who sees it."""
    try:
        rule = VISIBLE[model]
    except KeyError:
        raise LookupError(
            f"headway.workspaces.visibility has no rule for {model.__name__}: say who sees it"
        ) from None
    return rule(membership)
