"""Reads for planning pages and the API, scoped to one workspace, with a query count that
does not grow with the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from headway.accounts.models import User
from headway.activity.models import Event
from headway.core.bounds import INT64_MAX
from headway.core.prepared import PreparedRead
from headway.planning.models import (
    Attachment,
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    Channel,
    ChecklistItem,
    Dependency,
    GoLiveCondition,
    Holiday,
    SuccessMetric,
    Task,
    TaskKind,
    TaskStatus,
    TimeOff,
)
from headway.planning.services.links import condition_at_risk
from headway.workspaces.models import Membership, Workspace

OPEN_TASK = ~Q(tasks__status=TaskStatus.DONE)


@dataclass
class CampaignFilter:
    channel: str = ""
    owner: int | None = None
    status: str = ""


def conditions_at_risk(campaigns: list[Campaign], today: dt.date) -> None:
    """Sets `at_risk` on each campaign of `campaigns_list`: its unmet go-live conditions
    whose due date or lead time is running out."""
    for c in campaigns:
        c.at_risk = [g for g in c.open_conditions if condition_at_risk(g, today)]  # type: ignore[attr-defined]


def campaigns_list(
    workspace: Workspace, today: dt.date, filters: CampaignFilter | None = None
) -> QuerySet[Campaign]:
    """Campaigns with their problem counts (unowned, blocked, late work) and the next open
    milestone: one query."""
    f = filters or CampaignFilter()
    qs = Campaign.objects.filter(workspace=workspace).select_related("owner")
    if f.channel:
        qs = qs.filter(channels__key=f.channel)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.status:
        qs = qs.filter(status=f.status)
    next_milestone = Task.objects.filter(campaign=OuterRef("pk"), kind__in=["milestone", "launch"])
    next_milestone = next_milestone.exclude(status=TaskStatus.DONE).order_by("start_date", "id")
    work = Q(tasks__kind=TaskKind.TASK) & OPEN_TASK
    qs = qs.prefetch_related(
        Prefetch(
            "conditions",
            queryset=GoLiveCondition.objects.filter(met_at__isnull=True),
            to_attr="open_conditions",
        )
    )
    return (
        qs.annotate(
            unowned=Count("tasks", filter=work & Q(tasks__owner__isnull=True), distinct=True),
            blocked=Count("tasks", filter=Q(tasks__status=TaskStatus.BLOCKED), distinct=True),
            late=Count("tasks", filter=work & Q(tasks__due_date__lt=today), distinct=True),
            task_count=Count("tasks", filter=Q(tasks__kind=TaskKind.TASK), distinct=True),
            done_count=Count(
                "tasks",
                filter=Q(tasks__kind=TaskKind.TASK, tasks__status=TaskStatus.DONE),
                distinct=True,
            ),
            next_title=Subquery(next_milestone.values("title")[:1]),
            next_date=Subquery(next_milestone.values("start_date")[:1]),
        )
        .order_by(*_campaign_order())
        .distinct()
    )


def _campaign_order() -> list[Any]:
    """The order a manager reads the list in: campaigns still being worked (draft, planned,
    in progress) first, soonest launch first and undated ones after them; then launched,
    reviewed, closed and cancelled ones, the latest launch first."""
    open_ = Q(status__in=[CampaignStatus.DRAFT, CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS])
    return [
        Case(When(open_, then=Value(0)), default=Value(1)),
        Case(When(open_, then=F("launch_date"))).asc(nulls_last=True),
        Case(When(~open_, then=F("launch_date"))).desc(nulls_last=True),
        "name",
        "id",
    ]


@dataclass
class TaskRow:
    task: Task
    waits_on: list[Task] = field(default_factory=list)
    waited_by: list[Task] = field(default_factory=list)
    waited_by_hidden: int = 0  # successors the viewer may not see, counted only
    problems: list[str] = field(default_factory=list)
    suggested: User | None = None  # who could own it (planning.suggestions)


def _problems(task: Task, today: dt.date) -> list[str]:
    out = []
    if task.kind == TaskKind.TASK and task.owner_id is None and task.status != TaskStatus.DONE:
        out.append("unowned")
    if task.status == TaskStatus.BLOCKED:
        out.append("blocked")
    if task.status != TaskStatus.DONE and task.due_date and task.due_date < today:
        out.append("late")
    return out


def _tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("owner", "channel", "blocked_on", "campaign")


def _tasks_with_links(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("owner", "channel", "blocked_on", "campaign").prefetch_related(
        Prefetch(
            "predecessor_links",
            queryset=Dependency.objects.select_related("predecessor__owner"),
        ),
        Prefetch(
            "successor_links",
            queryset=Dependency.objects.select_related("successor__owner"),
        ),
    )


class LinkRef(NamedTuple):
    """A link as plain values (a tuple: a 1,000-task plan's 2,000 links are made in a
    fraction of a frozen dataclass's time)."""

    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag: int


def _links_of(tasks: list[Task]) -> tuple[list[LinkRef], dict[int, Task]]:
    """The links touching `tasks` as plain rows, and the tasks at their other ends: two
    queries however many tasks and links there are."""
    ids = {t.pk for t in tasks}
    if not ids:
        return [], {}
    campaigns = {t.campaign_id for t in tasks}
    rows = Dependency.objects.filter(
        Q(successor__campaign_id__in=campaigns) | Q(predecessor__campaign_id__in=campaigns)
    ).values_list("pk", "predecessor_id", "successor_id", "type", "lag")
    links = [LinkRef(*r) for r in rows if r[1] in ids or r[2] in ids]
    others = {i for k in links for i in (k.predecessor_id, k.successor_id)} - ids
    known = {t.pk: t for t in tasks}
    if others:
        known |= {
            t.pk: t for t in Task.objects.filter(pk__in=others).select_related("owner", "campaign")
        }
    return links, known


def task_rows(
    tasks: list[Task],
    today: dt.date,
    suggestions: Mapping[int, User] | None = None,
    links_of: tuple[list[LinkRef], dict[int, Task]] | None = None,
) -> list[TaskRow]:
    """Each task with what it waits on (unfinished predecessors) and who waits on it, and
    an unowned task's suggested owner from `suggestions` (by task id); `links_of` is
    `_links_of(tasks)` when the caller has it already."""
    links, known = links_of or _links_of(tasks)
    preds: dict[int, list[Task]] = {}
    succs: dict[int, list[Task]] = {}
    for k in links:
        preds.setdefault(k.successor_id, []).append(known[k.predecessor_id])
        succs.setdefault(k.predecessor_id, []).append(known[k.successor_id])
    rows = []
    for t in tasks:
        rows.append(
            TaskRow(
                task=t,
                waits_on=[p for p in preds.get(t.pk, []) if p.status != TaskStatus.DONE],
                waited_by=succs.get(t.pk, []),
                problems=_problems(t, today),
                suggested=(suggestions or {}).get(t.pk) if t.owner_id is None else None,
            )
        )
    return rows


@dataclass
class MilestoneGroup:
    milestone: Task | None
    rows: list[TaskRow]


@dataclass
class CampaignPage:
    campaign: Campaign
    groups: list[MilestoneGroup]
    tasks: list[Task]
    links: list[LinkRef]
    conditions: list[GoLiveCondition]
    at_risk: set[int]
    events: list[Event]
    problems: dict[str, int]


# What the campaign page never shows of a task: when it was created, saved or done, its effort,
# blocker note and start-no-earlier-than date. Left unread, that is values a row less to
# convert (a 1,000-task plan's page spent more on converting them than on its SQL).
PAGE_UNSHOWN = (
    "created_at",
    "updated_at",
    "done_at",
    "effort_hours",
    "blocked_reason",
    "approval_kind",
    "not_before",
)


def campaign_page(
    campaign: Campaign,
    today: dt.date,
    suggest: Callable[[list[int]], Mapping[int, User]] | None = None,
    *,
    unshown: tuple[str, ...] = (),
) -> CampaignPage:
    """Everything the campaign page shows, in a fixed number of queries; the tasks' fields
    named in `unshown` are left unread (PAGE_UNSHOWN for the page). `suggest` gives the
    unowned tasks' suggested owners from their ids (`suggested_owners`, for planners)."""
    # The page shows each task's owner, not its channel or blocker: owners are fetched once
    # each (a handful of people, not a copy per task) and the campaign is the one at hand.
    tasks = list(Task.objects.filter(campaign=campaign).defer(*unshown).prefetch_related("owner"))
    for t in tasks:
        t.campaign = campaign
    links_of = _links_of(tasks)
    unowned = [t.pk for t in tasks if t.owner_id is None and not t.is_milestone]
    suggestions = suggest(unowned) if suggest is not None and unowned else {}
    rows = task_rows(tasks, today, suggestions, links_of)
    by_milestone: dict[int | None, list[TaskRow]] = {}
    for r in rows:
        if not r.task.is_milestone:
            by_milestone.setdefault(r.task.milestone_id, []).append(r)
    milestones = sorted(
        (r for r in rows if r.task.is_milestone),
        key=lambda r: (r.task.start_date or dt.date.max, r.task.position),
    )
    groups = [MilestoneGroup(m.task, by_milestone.pop(m.task.pk, [])) for m in milestones]
    loose = [r for key, rs in by_milestone.items() for r in rs]
    if loose:
        groups.insert(0, MilestoneGroup(None, loose))
    ids = {t.pk for t in tasks}
    links = [k for k in links_of[0] if k.predecessor_id in ids and k.successor_id in ids]
    conditions = list(campaign.conditions.select_related("owner", "met_by", "task"))
    events = list(
        Event.objects.filter(workspace_id=campaign.workspace_id)
        .filter(
            Q(object_type="planning.campaign", object_id=str(campaign.pk))
            | Q(object_type="planning.task", object_id__in=[str(i) for i in ids])
        )
        .select_related("actor")[:12]
    )
    problems = {"unowned": 0, "blocked": 0, "late": 0}
    for r in rows:
        for p in r.problems:
            problems[p] += 1
    return CampaignPage(
        campaign=campaign,
        groups=groups,
        tasks=tasks,
        links=links,
        conditions=conditions,
        at_risk={c.pk for c in conditions if condition_at_risk(c, today)},
        events=events,
        problems=problems,
    )


@dataclass
class BoardFilter:
    person: int | None = None
    channel: str = ""
    campaign: int | None = None


BOARD_PAGE = 50  # cards per column and per "show more"


@dataclass
class BoardColumn:
    """One status's cards: `rows` start at `offset` in the column's order; `total` counts the
    whole column. `pinned` is a card shown ahead of its place (the one just moved), kept out
    of the column's pages."""

    status: TaskStatus
    rows: list[TaskRow]
    total: int
    offset: int = 0
    pinned: int | None = None

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.rows) - (1 if self.pinned else 0)

    @property
    def more(self) -> int:
        return max(self.total - self.next_offset - (1 if self.pinned else 0), 0)


def _board_tasks(
    workspace: Workspace, filters: BoardFilter, within: QuerySet[Task] | None
) -> QuerySet[Task]:
    qs = Task.objects.filter(
        workspace=workspace,
        kind=TaskKind.TASK,
        campaign__status__in=[
            CampaignStatus.DRAFT,
            CampaignStatus.PLANNED,
            CampaignStatus.IN_PROGRESS,
            CampaignStatus.LAUNCHED,
        ],
    )
    if within is not None:
        qs = qs.filter(pk__in=within.values("pk"))
    if filters.person:
        qs = qs.filter(owner_id=filters.person)
    if filters.channel:
        qs = qs.filter(channel__key=filters.channel)
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    return qs


def _column_order(status: str) -> list[Any]:
    """Done shows the most recently finished first; the other columns the soonest due."""
    if status == TaskStatus.DONE:
        return [F("done_at").desc(nulls_last=True), "-id"]
    return ["due_date", "id"]


def _card_rows(tasks: QuerySet[Task], today: dt.date) -> list[TaskRow]:
    # A card shows its campaign, owner and problems: no links, channel or blocker to read.
    cards = tasks.select_related("owner", "campaign")
    return [TaskRow(task=t, problems=_problems(t, today)) for t in cards]


def board_columns(
    workspace: Workspace,
    today: dt.date,
    filters: BoardFilter,
    within: QuerySet[Task] | None = None,
    *,
    limit: int | None = BOARD_PAGE,
    limits: dict[str, int] | None = None,
    pinned: int | None = None,
) -> list[BoardColumn]:
    """Open campaigns' tasks by status, filtered by person, channel and campaign; `within`
    limits them to the tasks a viewer works on. Each column holds its first `limit` cards
    (`limits` widens a column; None: all) and its full count; `pinned` (the card just moved)
    is shown at the head of its column when its place is further down. A query per column
    and one for the counts, however many tasks there are."""
    qs = _board_tasks(workspace, filters, within)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    pin = qs.filter(pk=pinned).select_related("owner", "campaign").first() if pinned else None
    columns = []
    for s in TaskStatus.values:
        size = (limits or {}).get(s, limit)
        total = counts.get(s, 0)
        column = qs.filter(status=s).order_by(*_column_order(s))
        rows = _card_rows(column[:size] if size is not None else column, today) if total else []
        held = None
        if pin is not None and pin.status == s and all(r.task.pk != pin.pk for r in rows):
            held = pin.pk
            # beyond the page, so the page without it is the page as read
            rows = [TaskRow(task=pin, problems=_problems(pin, today)), *rows]
        columns.append(BoardColumn(TaskStatus(s), rows, total, 0, held))
    return columns


def board_column(
    workspace: Workspace,
    today: dt.date,
    filters: BoardFilter,
    status: TaskStatus,
    offset: int,
    within: QuerySet[Task] | None = None,
    *,
    skip: int | None = None,
) -> BoardColumn:
    """The next page of one column from `offset`, for "show more"; `skip` leaves out the
    card pinned at the head of the column."""
    column = _board_tasks(workspace, filters, within).filter(status=status)
    if skip:
        column = column.exclude(pk=skip)
    total = column.count()  # without the pinned card: what the pages hold
    column = column.order_by(*_column_order(status))
    rows = _card_rows(column[offset : offset + BOARD_PAGE], today)
    return BoardColumn(status, rows, total, offset, None)


def my_work(workspace: Workspace, user: User, today: dt.date) -> list[TaskRow]:
    """A person's open tasks in the order that unblocks the most: critical first, then least
    float, then due date; each with what it waits on and who waits on it."""
    qs = Task.objects.filter(workspace=workspace, owner=user).exclude(status=TaskStatus.DONE)
    qs = qs.exclude(campaign__status__in=[CampaignStatus.CANCELLED, CampaignStatus.CLOSED])
    rows = task_rows(list(_tasks(qs)), today)
    rows.sort(
        key=lambda r: (
            not r.task.critical,
            r.task.total_float,
            r.task.due_date or dt.date.max,
            -len(r.waited_by),
        )
    )
    return rows


def task_detail(task_id: int, workspace: Workspace) -> Task:
    return (
        _tasks_with_links(Task.objects.filter(workspace=workspace, pk=task_id))
        .prefetch_related(
            "checklist", "comments__author", "comments__mentions", "attachments__added_by"
        )
        .get()
    )


def people(workspace: Workspace) -> list[User]:
    return list(User.objects.filter(memberships__workspace=workspace).order_by("name").distinct())


def workspace_channels(workspace: Workspace) -> list[Channel]:
    return list(Channel.objects.filter(workspace=workspace))


def workspace_templates(workspace: Workspace) -> list[CampaignTemplate]:
    return list(CampaignTemplate.objects.filter(workspace=workspace))


def filters_from(params: Any, cls: Any) -> Any:
    """A filter dataclass from query parameters; unknown or malformed values are ignored."""
    values: dict[str, Any] = {}
    for name, f in cls.__dataclass_fields__.items():
        raw = params.get(name, "")
        if not raw:
            continue
        if "int" in str(f.type):
            if str(raw).isascii() and str(raw).isdigit() and len(str(raw)) < 19:
                values[name] = int(raw)
        else:
            values[name] = str(raw)[:60]
    return cls(**values)


# -- one object of the workspace, by id ------------------------------------------------------
# Each raises the model's DoesNotExist for an id outside the workspace: the API answers it as
# 404, pages through headway.core.http.found_or_404.


def campaign_get(workspace: Workspace, campaign_id: int) -> Campaign:
    return Campaign.objects.select_related("owner", "workspace").get(
        workspace=workspace, pk=campaign_id
    )


def _campaign(workspace_id: int, pk: int) -> QuerySet[Campaign]:
    return Campaign.objects.filter(workspace_id=workspace_id, pk=pk).order_by()[:1]


# Every campaign route of the API reads its campaign so: compiled once (headway.core.prepared).
_CAMPAIGN = PreparedRead(_campaign, workspace_id=-918_273_645, pk=-918_273_646)


def campaign_find(workspace: Workspace, campaign_id: int) -> Campaign | None:
    """The campaign alone, with `workspace` attached (not joined); None outside it."""
    campaign: Campaign | None = _CAMPAIGN.first(workspace_id=workspace.pk, pk=campaign_id)
    if campaign is not None:
        campaign.workspace = workspace
    return campaign


def campaign_of(workspace: Workspace, campaign_id: int) -> Campaign:
    """The campaign alone, with `workspace` attached (not joined); DoesNotExist outside it."""
    campaign = campaign_find(workspace, campaign_id)
    if campaign is None:
        raise Campaign.DoesNotExist("Campaign matching query does not exist.")
    return campaign


def task_get(workspace: Workspace, task_id: int) -> Task:
    return Task.objects.select_related("campaign__workspace", "workspace", "owner").get(
        workspace=workspace, pk=task_id
    )


def task_find(workspace: Workspace, task_id: int) -> Task | None:
    """The task of the workspace with this id, or None (also for an id no row can have)."""
    if not 0 < task_id <= INT64_MAX:
        return None
    qs = Task.objects.select_related("campaign__workspace", "workspace", "owner")
    return qs.filter(workspace=workspace, pk=task_id).first()


def dependency_get(workspace: Workspace, dependency_id: int) -> Dependency:
    qs = Dependency.objects.select_related("successor__campaign", "predecessor", "workspace")
    return qs.get(workspace=workspace, pk=dependency_id)


def condition_get(workspace: Workspace, condition_id: int) -> GoLiveCondition:
    qs = GoLiveCondition.objects.select_related("campaign", "workspace")
    return qs.get(workspace=workspace, pk=condition_id)


def metric_get(workspace: Workspace, metric_id: int) -> SuccessMetric:
    qs = SuccessMetric.objects.select_related("campaign__workspace")
    return qs.get(campaign__workspace=workspace, pk=metric_id)


def attachment_get(workspace: Workspace, attachment_id: int) -> Attachment:
    qs = Attachment.objects.select_related("task__workspace", "workspace")
    return qs.get(workspace=workspace, pk=attachment_id)


def checklist_item_get(task: Task, item_id: int) -> ChecklistItem:
    """An item of this task's checklist (the task is already the viewer's to see)."""
    if not 0 < item_id <= INT64_MAX:
        raise ChecklistItem.DoesNotExist("No such checklist item.")
    return ChecklistItem.objects.select_related("task").get(task=task, pk=item_id)


def template_get(workspace: Workspace, template_id: int) -> CampaignTemplate:
    return CampaignTemplate.objects.get(workspace=workspace, pk=template_id)


def template_find(workspace: Workspace, template_id: int) -> CampaignTemplate | None:
    return CampaignTemplate.objects.filter(workspace=workspace, pk=template_id).first()


def timeoff_get(workspace: Workspace, timeoff_id: int) -> TimeOff:
    qs = TimeOff.objects.select_related("user", "workspace")
    return qs.get(workspace=workspace, pk=timeoff_id)


def holiday_get(workspace: Workspace, holiday_id: int) -> Holiday:
    return Holiday.objects.select_related("workspace").get(workspace=workspace, pk=holiday_id)


# -- lists behind forms and the calendar -----------------------------------------------------

# A task may wait on work of another campaign; the choice lists the first of those, not all.
OTHER_CAMPAIGN_TARGETS = 200


def campaign_link_targets(task: Task) -> list[Task]:
    """What `task` may be set to wait on, in the task page's list: every other task of its
    campaign, then tasks of the workspace's planned and running campaigns (the first 200)."""
    others = Task.objects.filter(workspace_id=task.workspace_id).exclude(pk=task.pk)
    others = others.select_related("campaign")
    same = others.filter(campaign_id=task.campaign_id)
    elsewhere = others.exclude(campaign_id=task.campaign_id).filter(
        campaign__status__in=[CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS]
    )
    return list(same) + list(elsewhere[:OTHER_CAMPAIGN_TARGETS])


def campaign_tasks(campaign: Campaign) -> list[Task]:
    """Every task and milestone of the campaign, in plan order."""
    return list(Task.objects.filter(campaign=campaign))


def campaign_milestones(task: Task) -> list[Task]:
    """The milestones (and launch) of the task's campaign that the task may be grouped
    under: every one but the task itself."""
    qs = Task.objects.filter(campaign_id=task.campaign_id).exclude(kind=TaskKind.TASK)
    return list(qs.exclude(pk=task.pk))


def time_off_ahead(membership: Membership, today: dt.date) -> list[TimeOff]:
    """Time off that has not ended by `today`: everyone's for a member who plans, otherwise
    only the member's own."""
    qs = TimeOff.objects.filter(workspace_id=membership.workspace_id, last_day__gte=today)
    if not membership.role_enum.plans:
        qs = qs.filter(user_id=membership.user_id)
    return list(qs.select_related("user"))


def workspace_holidays(workspace: Workspace, since: dt.date | None = None) -> list[Holiday]:
    """The workspace's holidays in date order, from `since` when given."""
    qs = Holiday.objects.filter(workspace=workspace)
    if since is not None:
        qs = qs.filter(date__gte=since)
    return list(qs)


def campaign_metrics(campaign: Campaign) -> list[SuccessMetric]:
    """The brief's success metrics, in their order."""
    return list(campaign.metrics.all())


def campaign_channel_list(campaign: Campaign) -> list[Channel]:
    """The channels the brief names."""
    return list(campaign.channels.all())


def task_links(task: Task) -> tuple[list[Dependency], list[Dependency]]:
    """What the task waits on and what waits on it (already fetched when the task came from
    `task_detail`)."""
    return list(task.predecessor_links.all()), list(task.successor_links.all())
