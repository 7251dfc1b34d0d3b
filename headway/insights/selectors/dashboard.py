"""The workspace's home page, per role: what each person should look at first, every item
linking to where it is acted on. Queries are constant in the number of campaigns and tasks
(each list is one or two queries; the open campaigns are read once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from headway.approvals.models import ApprovalRequest, ApprovalStep, RequestStatus
from headway.approvals.selectors import QueueItem, approval_queue
from headway.insights.models import EscalationSource, EscalationState
from headway.insights.selectors import findings
from headway.insights.selectors.escalations import escalations_list, reason_mid_sentence
from headway.insights.selectors.findings import Item, Section
from headway.insights.selectors.health import HealthView
from headway.insights.selectors.kept import kept
from headway.planning.models import Campaign, TaskStatus
from headway.planning.selectors import TaskRow, my_work
from headway.workspaces import visibility
from headway.workspaces.models import Membership, Role

QUEUE_SHOWN = 10
NEXT_TASKS = 5


class Layout:
    MANAGER = "manager"
    APPROVER = "approver"
    SPECIALIST = "specialist"
    FREELANCER = "freelancer"
    CLIENT = "client"


@dataclass
class CampaignLine:
    campaign: Campaign
    health: HealthView | None


@dataclass
class Dashboard:
    layout: str
    sections: list[Section] = field(default_factory=list)
    campaigns: list[CampaignLine] = field(default_factory=list)
    queue: list[QueueItem] = field(default_factory=list)
    queue_total: int = 0
    work: list[TaskRow] = field(default_factory=list)
    work_total: int = 0


@dataclass
class WorkLine(TaskRow):
    """A next task with what it waits on now: a task in review waits on its approval (the
    step and who decides it), not on the work before it, which is done with."""

    review: str = ""


def _review_waits(rows: list[TaskRow]) -> list[TaskRow]:
    """`rows` with each task in review saying whose approval it waits on: two queries (three
    with the approvers), none when no task is in review."""
    ids = [r.task.pk for r in rows if r.task.status == TaskStatus.IN_REVIEW]
    if not ids:
        return rows
    requests = {
        q.task_id: q
        for q in ApprovalRequest.objects.filter(task_id__in=ids, status=RequestStatus.PENDING)
        .select_related("chain")
        .order_by("waiting_since", "id")
    }
    steps = {
        (s.chain_id, s.position): s
        for s in ApprovalStep.objects.filter(
            chain_id__in={q.chain_id for q in requests.values()}
        ).prefetch_related("approvers")
    }
    out: list[TaskRow] = []
    for r in rows:
        if r.task.status != TaskStatus.IN_REVIEW:
            out.append(r)
            continue
        q = requests.get(r.task.pk)
        if q is None:
            text = "its review (no approval has been sent)"
        else:
            step = steps.get((q.chain_id, q.step))
            names = ", ".join(a.name for a in step.approvers.all()) if step else ""
            if not names and step is not None and step.approver_role:
                names = f"the {step.get_approver_role_display().lower()}s"
            where = step.name if step is not None else q.chain.name
            text = f"its approval, “{where}”, on {names or 'nobody named'}"
        line = WorkLine(**{f: getattr(r, f) for f in r.__dataclass_fields__}, review=text)
        out.append(line)
    return out


def layout_for(membership: Membership) -> str:
    """Owners are the founders who approve; admins and managers run the plans; members are
    specialists; freelancers and clients have their own share."""
    return {
        Role.OWNER: Layout.APPROVER,
        Role.ADMIN: Layout.MANAGER,
        Role.MANAGER: Layout.MANAGER,
        Role.MEMBER: Layout.SPECIALIST,
        Role.FREELANCER: Layout.FREELANCER,
        Role.CLIENT: Layout.CLIENT,
    }[membership.role_enum]


def dashboard(membership: Membership, now: dt.datetime) -> Dashboard:
    layout = layout_for(membership)
    build = {
        Layout.MANAGER: _manager,
        Layout.APPROVER: _approver,
        Layout.SPECIALIST: _specialist,
        Layout.FREELANCER: _freelancer,
        Layout.CLIENT: _client,
    }[layout]
    board = Dashboard(layout=layout)
    build(board, membership, now)
    return board


def _today(membership: Membership, now: dt.datetime) -> dt.date:
    return now.astimezone(membership.workspace.tzinfo).date()


def _campaign_lines(membership: Membership) -> list[CampaignLine]:
    ws = membership.workspace
    campaigns = list(
        findings.open_campaigns(ws).select_related("owner").order_by("launch_date", "id")
    )
    health = findings.health_of(ws, campaigns)
    return [CampaignLine(c, health.get(c.pk)) for c in campaigns]


def _escalations(membership: Membership) -> list[Item]:
    """Escalations nobody has acknowledged yet, oldest first, on the person each waits for
    (the first SHOWN, and how many there are)."""
    ws = membership.workspace
    url = reverse("insights:escalations", kwargs={"ws": ws.slug})
    rows, total = findings._capped(
        escalations_list(ws, EscalationState.OPEN)
        .filter(acknowledged_at__isnull=True)
        .order_by("opened_at", "id")
    )
    return findings.Items(
        [
            Item(
                kind="escalation",
                key=f"escalation:{e.pk}",
                # the campaign is named once, in the text; the reasons are today's
                text=e.current_text,
                detail=" · ".join(
                    x
                    for x in (
                        # a risk raised by hand is the member's sentence: name the campaign
                        e.campaign.name if e.source != EscalationSource.HEALTH else "",
                        f"opened because {reason_mid_sentence(e.opened_because)} (when opened)"
                        if e.opened_because
                        else "",
                        "sent to the managers" if e.escalated_at else "",
                    )
                    if x
                ),
                owner=e.owner,
                url=url,
                since=e.opened_at,
                object_kind="escalation",
                object_id=e.pk,
            )
            for e in rows
        ],
        total,
    )


def _manager(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    ws = membership.workspace
    today = _today(membership, now)
    board.campaigns, steady = kept(ws, "dashboard-manager", [today],
                                   lambda: _manager_steady(membership, today))  # fmt: skip
    board.sections = [
        steady["launches"],
        Section("escalations", "Escalations waiting", "No escalation waits for an answer.",
                _escalations(membership)),
        Section("approvals", "Approvals past their limit", "No approval waits past its limit.",
                findings.approvals_past_limit(ws, now)),
        steady["unowned"],
        steady["overloaded"],
        steady["gaps"],
    ]  # fmt: skip


def _manager_steady(
    membership: Membership, today: dt.date
) -> tuple[list[CampaignLine], dict[str, Section]]:
    """What the manager's home shows that moves only with the data and the day: kept (see
    `kept`) while neither changes. Escalations and approvals past their limit are read each
    time (the clock moves them)."""
    ws = membership.workspace
    monday = today - dt.timedelta(days=today.weekday())
    sections = [
        Section("launches", "Launching this week", "No launch this week.",
                findings.launches_between(ws, monday, monday + dt.timedelta(days=6))),
        Section("unowned", "Unowned work in the next two weeks",
                "All work starting in the next two weeks has an owner.",
                findings.unowned_work(ws, today)),
        Section("overloaded", "Over-allocated in the next two weeks",
                "Nobody is booked beyond their hours in any week of the next 14 days.",
                findings.over_allocations(ws, today)),
        Section("gaps", "Calendar gaps in the next 14 days",
                "Every channel's cadence is filled for the next 14 days.",
                findings.calendar_gaps(ws, today)),
    ]  # fmt: skip
    return _campaign_lines(membership), {s.key: s for s in sections}


def _queue(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    queue = approval_queue(membership.workspace, membership.user, now)
    board.queue_total = len(queue)
    board.queue = queue[:QUEUE_SHOWN]


def _approver(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    _queue(board, membership, now)
    _manager(board, membership, now)
    at_risk = findings.campaigns_in_trouble(
        membership.workspace,
        [line.campaign for line in board.campaigns],
        {line.campaign.pk: line.health for line in board.campaigns if line.health},
    )
    board.sections.insert(
        0, Section("at_risk", "Launches at risk", "Every open campaign is on track.", at_risk)
    )


def _waiting_on(membership: Membership, rows: list[TaskRow]) -> list[Item]:
    """Work that waits on this person: tasks blocked on them, and others' tasks that follow
    theirs."""
    ws = membership.workspace
    uid = membership.user_id
    items = [
        Item(
            kind="blocked_on_you",
            key=f"blocked:task:{t.pk}",
            text=f"{t.title} ({t.campaign.name}) is blocked on you",
            detail=t.blocked_reason,
            owner=t.owner,
            url=reverse("planning:task", kwargs={"ws": ws.slug, "task_id": t.pk}),
            object_kind="task",
            object_id=t.pk,
        )
        for t in visibility.workable_tasks(membership)
        .filter(blocked_on_id=uid, status=TaskStatus.BLOCKED)
        .select_related("campaign", "owner")
        .order_by("due_date", "id")
    ]
    for r in rows:
        if len(items) > findings.SHOWN:
            break
        for s in r.waited_by:
            if s.owner_id != uid and s.status != TaskStatus.DONE:
                items.append(
                    Item(
                        kind="waits_on_you",
                        key=f"waits:task:{s.pk}",
                        text=f"{s.title} ({s.owner.name if s.owner else 'unowned'})"
                        f" waits on your {r.task.title}",
                        url=reverse("planning:task", kwargs={"ws": ws.slug, "task_id": r.task.pk}),
                        owner=s.owner,
                        object_kind="task",
                        object_id=r.task.pk,
                    )
                )
    return findings.Items(items)


def _specialist(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    rows = my_work(membership.workspace, membership.user, _today(membership, now))
    board.work_total = len(rows)
    board.work = _review_waits(rows[:NEXT_TASKS])
    _queue(board, membership, now)
    board.sections = [
        Section("waiting", "Waiting on you", "Nobody's work waits on yours right now.",
                _waiting_on(membership, rows), top=5),
    ]  # fmt: skip


def _freelancer(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    rows = my_work(membership.workspace, membership.user, _today(membership, now))
    board.work_total = len(rows)
    board.work = _review_waits(rows)
    _queue(board, membership, now)


def _client(board: Dashboard, membership: Membership, now: dt.datetime) -> None:
    _queue(board, membership, now)
    board.sections = [
        Section("waiting", "Work waiting on you", "No work is blocked on you.",
                _waiting_on(membership, []), top=5),
    ]  # fmt: skip
