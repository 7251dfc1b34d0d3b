"""What needs someone's attention in a workspace, as agenda items: the lists the check-in
and the dashboards share (blocked work, approvals past their limit, unowned work, calendar
gaps, go-live conditions, launches this week, campaigns in trouble). Each function costs a
fixed number of queries however many campaigns and tasks the workspace holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from headway.accounts.models import User
from headway.approvals.models import ApprovalRequest, ApprovalStep, RequestStatus
from headway.capacity.selectors import load_view
from headway.insights.selectors.health import HealthView, campaign_health_map
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    GoLiveCondition,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.services.links import condition_at_risk
from headway.publishing.selectors import coverage
from headway.workspaces.models import Workspace

OPEN_STATUSES = [s for s in CampaignStatus if s.is_open]
LOOKAHEAD_DAYS = 14
# Items listed per section: a 30-minute meeting reads the top few; the rest are counted and
# found on the board, the queue or the calendar.
SHOWN = 20


@dataclass
class Item:
    """One thing to look at: what (`text`, `detail`), on whom (`owner`), where to act
    (`url`), since when, and a stable `key` for marking it discussed."""

    kind: str
    key: str
    text: str
    url: str
    owner: User | None = None
    detail: str = ""
    since: dt.datetime | dt.date | None = None
    object_kind: str = ""
    object_id: int | None = None
    discussed: bool = False


class Items(list[Item]):
    """The items listed (at most SHOWN), knowing how many there are in all."""

    def __init__(self, items: list[Item], total: int | None = None) -> None:
        super().__init__(items[:SHOWN])
        self.total = len(items) if total is None else total


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    top: int = 3

    @property
    def first(self) -> list[Item]:
        return self.items[: self.top]

    @property
    def rest(self) -> list[Item]:
        return self.items[self.top :]

    @property
    def total(self) -> int:
        return getattr(self.items, "total", len(self.items))

    @property
    def more(self) -> int:
        """Items counted but not listed."""
        return self.total - len(self.items)


def _capped(qs: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first SHOWN rows and how many there are (two queries, whatever the size)."""
    return list(qs[:SHOWN]), qs.count()


def _url(name: str, ws: Workspace, **kwargs: int) -> str:
    return reverse(name, kwargs={"ws": ws.slug, **kwargs})


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%b}" if day else "no date"


def open_campaigns(workspace: Workspace) -> QuerySet[Campaign]:
    return Campaign.objects.filter(workspace=workspace, status__in=OPEN_STATUSES)


def open_tasks(workspace: Workspace) -> QuerySet[Task]:
    return Task.objects.filter(workspace=workspace, campaign__status__in=OPEN_STATUSES).exclude(
        status=TaskStatus.DONE
    )


def blocked_tasks(workspace: Workspace, tasks: QuerySet[Task] | None = None) -> list[Item]:
    """Blocked tasks of open campaigns, with whom each is blocked on."""
    qs = (tasks if tasks is not None else open_tasks(workspace)).filter(status=TaskStatus.BLOCKED)
    rows, total = _capped(
        qs.select_related("campaign", "blocked_on", "owner").order_by("due_date", "id")
    )
    items = [
        Item(
            kind="blocked",
            key=f"blocked:task:{t.pk}",
            text=f"{t.title} ({t.campaign.name}) is blocked"
            + (f" on {t.blocked_on.name}" if t.blocked_on else ""),
            detail=t.blocked_reason,
            owner=t.blocked_on or t.owner,
            url=_url("planning:task", workspace, task_id=t.pk),
            since=t.updated_at,
            object_kind="task",
            object_id=t.pk,
        )
        for t in rows
    ]
    return Items(items, total)


def approvals_past_limit(
    workspace: Workspace, now: dt.datetime, requests: QuerySet[ApprovalRequest] | None = None
) -> list[Item]:
    """Pending approval requests waiting past their step's limit, oldest first, each on the
    first person its waiting step names (its backup, else whoever holds the step's role)."""
    qs = requests if requests is not None else ApprovalRequest.objects.filter(workspace=workspace)
    rows, total = _capped(
        qs.filter(status=RequestStatus.PENDING, due_at__lt=now)
        .select_related("task__campaign", "piece", "chain")
        .order_by("due_at", "id")
    )
    steps = {
        (s.chain_id, s.position): s
        for s in ApprovalStep.objects.filter(chain_id__in={r.chain_id for r in rows})
        .select_related("backup")
        .prefetch_related("approvers")
    }
    items = []
    for r in rows:
        step = steps.get((r.chain_id, r.step))
        approvers = list(step.approvers.all()) if step else []
        on = approvers[0] if approvers else (step.backup if step else None)
        who = ", ".join(a.name for a in approvers) or (
            step.get_approver_role_display() if step and step.approver_role else "nobody named"
        )
        late = (now - r.due_at).days
        items.append(
            Item(
                kind="approval",
                key=f"approval:request:{r.pk}",
                text=f"{r.subject_title} waits on {who}",
                detail=f"{step.name if step else r.chain.name}: past its limit"
                + (f" by {late} day{'s' if late != 1 else ''}" if late else ""),
                owner=on,
                url=_url("approvals:request", workspace, request_id=r.pk),
                since=r.due_at,
                object_kind="approval_request",
                object_id=r.pk,
            )
        )
    return Items(items, total)


def unowned_work(workspace: Workspace, today: dt.date, days: int = LOOKAHEAD_DAYS) -> list[Item]:
    """Tasks without an owner that start within `days`, on their campaign's owner to assign."""
    qs = (
        open_tasks(workspace)
        .filter(owner__isnull=True, kind=TaskKind.TASK, start_date__lte=today + dt.timedelta(days))
        .select_related("campaign__owner")
        .order_by("start_date", "id")
    )
    rows, total = _capped(qs)
    items = [
        Item(
            kind="unowned",
            key=f"unowned:task:{t.pk}",
            text=f"{t.title} ({t.campaign.name}) has no owner",
            detail=f"starts {_day(t.start_date)}"
            + (f"; role needed: {t.get_role_needed_display().lower()}" if t.role_needed else ""),
            owner=t.campaign.owner,
            url=_url("planning:task", workspace, task_id=t.pk),
            since=t.start_date,
            object_kind="task",
            object_id=t.pk,
        )
        for t in rows
    ]
    return Items(items, total)


def calendar_gaps(workspace: Workspace, today: dt.date) -> list[Item]:
    """Channels whose cadence the next 14 days of the calendar do not fill."""
    url = _url("publishing:calendar", workspace)
    return Items(
        [
            Item(
                kind="gap",
                key=f"gap:{c.channel}:{g.label}",
                text=f"{c.channel}: {g.have} of {g.want} planned, {g.label}",
                detail=f"cadence {c.cadence}",
                url=url,
                object_kind="channel",
            )
            for c in coverage(workspace, today)
            for g in c.gaps
        ]
    )


def conditions_due(workspace: Workspace, today: dt.date, days: int = LOOKAHEAD_DAYS) -> list[Item]:
    """Unmet go-live conditions of open campaigns that fall due within `days` or whose lead
    time is running out."""
    qs = (
        GoLiveCondition.objects.filter(
            workspace=workspace, campaign__status__in=OPEN_STATUSES, met_at__isnull=True
        )
        .filter(due_date__isnull=False)
        .select_related("campaign", "owner")
        .order_by("due_date", "id")
    )
    items = []
    for g in qs:
        at_risk = condition_at_risk(g, today)
        if not at_risk and g.due_date > today + dt.timedelta(days):  # type: ignore[operator]
            continue
        items.append(
            Item(
                kind="condition",
                key=f"condition:{g.pk}",
                text=f"{g.title} ({g.campaign.name}) due {_day(g.due_date)}",
                detail="at risk: " + ("past due" if g.due_date < today else "lead time running out")  # type: ignore[operator]
                if at_risk
                else g.get_party_display(),
                owner=g.owner,
                url=_url("planning:campaign", workspace, campaign_id=g.campaign_id),
                since=g.due_date,
                object_kind="condition",
                object_id=g.pk,
            )
        )
    return Items(items)


OVERLOAD_WEEKS = 2  # at least: this week and the next


def overload_weeks(today: dt.date, days: int = LOOKAHEAD_DAYS) -> int:
    """The weeks (Monday to Sunday) that overlap the next `days` days, today included: from
    a Monday two, from a Tuesday three (the third starts on day 13, within the 14)."""
    first = today - dt.timedelta(days=today.weekday())
    last = today + dt.timedelta(days=days - 1)
    last_week = last - dt.timedelta(days=last.weekday())
    return max((last_week - first).days // 7 + 1, OVERLOAD_WEEKS)


def over_allocations(workspace: Workspace, today: dt.date) -> list[Item]:
    """People booked beyond their available hours in any week that overlaps the next two
    weeks (`overload_weeks`), earliest week and most over first, each linking to the load
    grid's cell (the tasks that make that week). The capacity app's load grid, six queries
    whatever the number of people and tasks."""
    grid = load_view(workspace, weeks=overload_weeks(today), first=today, with_tasks=False)
    over = [(row, cell) for row in grid.rows for cell in row.cells if cell.over]
    over.sort(key=lambda rc: (rc[1].week, -(rc[1].booked - rc[1].available), rc[0].label))
    cell_url = _url("capacity:cell", workspace)
    items = []
    for row, cell in over:
        extra = cell.booked - cell.available
        items.append(
            Item(
                kind="over_allocated",
                key=f"overloaded:{row.user_id}:{cell.week.isoformat()}",
                text=f"{row.label}: {cell.booked:.0f} h booked of {cell.available:.0f} h "
                f"available, week of {_day(cell.week)}",
                detail=f"{extra:.0f} h over"
                + (f" ({cell.percent_label})" if cell.available > 0 else "; no working hours")
                + ": move or reassign work",
                # the person as the grid names them (no query per person)
                owner=User(pk=row.user_id, name=row.label),
                url=f"{cell_url}?{urlencode({'person': str(row.user_id), 'week': str(cell.week)})}",
                since=cell.week,
                object_kind="person_week",
                object_id=row.user_id,
            )
        )
    return Items(items)


def launches_between(workspace: Workspace, first: dt.date, last: dt.date) -> list[Item]:
    """Open campaigns whose launch date falls between `first` and `last`."""
    qs = (
        open_campaigns(workspace)
        .filter(launch_date__gte=first, launch_date__lte=last)
        .select_related("owner")
        .order_by("launch_date", "id")
    )
    return Items(
        [
            Item(
                kind="launch",
                key=f"launch:campaign:{c.pk}",
                text=f"{c.name} launches {c.launch_date:%a} {_day(c.launch_date)}",
                detail=(
                    f"projected {_day(c.projected_launch)}"
                    if c.projected_launch and c.projected_launch != c.launch_date
                    else ""
                ),
                owner=c.owner,
                url=_url("planning:campaign", workspace, campaign_id=c.pk),
                since=c.launch_date,
                object_kind="campaign",
                object_id=c.pk,
            )
            for c in qs
        ]
    )


def campaigns_in_trouble(
    workspace: Workspace, campaigns: list[Campaign], health: dict[int, HealthView]
) -> list[Item]:
    """Campaigns whose health is late, blocked or at risk, worst first, with their reasons."""
    order = {"late": 0, "blocked": 1, "at_risk": 2}
    found = [(c, health[c.pk]) for c in campaigns if c.pk in health and health[c.pk].is_trouble]
    found.sort(key=lambda ch: (order.get(ch[1].state, 3), ch[0].launch_date or dt.date.max))
    return Items(
        [
            Item(
                kind="at_risk",
                key=f"health:campaign:{c.pk}",
                text=f"{c.name} is {h.state_label.lower()}",
                detail="; ".join(r.text for r in h.reasons),
                owner=c.owner,
                url=_url("planning:campaign", workspace, campaign_id=c.pk),
                since=h.since,
                object_kind="campaign",
                object_id=c.pk,
            )
            for c, h in found
        ]
    )


def health_of(workspace: Workspace, campaigns: list[Campaign]) -> dict[int, HealthView]:
    return campaign_health_map(workspace, [c.pk for c in campaigns])
