"""Fetch, then compute: a campaign's plan as plain dataclasses, scheduled by the engine on
the workspace calendar with each owner's time off.

Offsets are working days of the workspace calendar from the plan's first day. A task runs
from its early start to its early finish; a milestone sits on its early start. Backward
scheduling places the launch milestone (or the plan's end) on the launch date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from headway.engine.calendar import WorkCalendar, WorkingDays, away_offsets
from headway.engine.cpm import Schedule, Unavailable, explain_link, schedule
from headway.engine.network import Link, LinkType, Network, NetworkError
from headway.engine.network import Task as EngineTask
from headway.planning.models import Campaign, Dependency, Holiday, Task, TaskKind, TimeOff


@dataclass(frozen=True)
class PlanTask:
    id: int
    title: str
    duration: float
    kind: str
    owner_id: int | None
    owner_name: str = ""


@dataclass(frozen=True)
class PlanLink:
    predecessor: int
    successor: int
    type: str
    lag: int


@dataclass(frozen=True)
class OutsideBound:
    """A link from a task of another campaign: the successor waits for its stored dates."""

    successor: int
    type: str
    lag: int
    title: str
    start: dt.date
    due: dt.date


@dataclass
class PlanInput:
    tasks: list[PlanTask]
    links: list[PlanLink]
    outside: list[OutsideBound] = field(default_factory=list)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    days_off: dict[int, set[dt.date]] = field(default_factory=dict)
    not_before: dict[int, dt.date] = field(default_factory=dict)  # task -> earliest start
    # task -> (a day it cannot finish before, why): e.g. an approval still waiting
    finish_after: dict[int, tuple[dt.date, str]] = field(default_factory=dict)


# Other apps tell the scheduler about days tasks cannot finish before (approvals do):
# each provider maps the campaign and its task ids to {task id: (day, reason)}.
FinishBounds = Callable[[Campaign, list[int]], dict[int, tuple[dt.date, str]]]
_finish_bounds: list[FinishBounds] = []


def register_finish_bounds(provider: FinishBounds) -> None:
    if provider not in _finish_bounds:
        _finish_bounds.append(provider)


@dataclass(frozen=True)
class TaskDates:
    start: dt.date
    due: dt.date
    total_float: float
    critical: bool
    explanation: str


@dataclass(frozen=True)
class PlanResult:
    plan_start: dt.date
    dates: dict[int, TaskDates]
    launch: dt.date | None  # the launch milestone's date, or the last day of work
    short_by: int = 0  # working days the launch date is too early (backward scheduling)


def calendar_for(workspace_id: int) -> WorkCalendar:
    days = Holiday.objects.filter(workspace_id=workspace_id).values_list("date", flat=True)
    return WorkCalendar(holidays=frozenset(days))


def plan_load(campaign: Campaign) -> PlanInput:
    """The campaign's tasks and links, links from other campaigns, the calendar and the
    owners' time off: four queries whatever the size of the plan."""
    rows = list(
        Task.objects.filter(campaign=campaign).select_related("owner").order_by("position", "id")
    )
    tasks = [
        PlanTask(
            id=t.pk,
            title=t.title,
            duration=t.expected_days,
            kind=t.kind,
            owner_id=t.owner_id,
            owner_name=(t.owner.name.split(" ")[0] if t.owner else ""),
        )
        for t in rows
    ]
    ids = {t.id for t in tasks}
    links, outside = [], []
    deps = Dependency.objects.filter(successor__campaign=campaign).select_related("predecessor")
    for d in deps:
        if d.predecessor_id in ids:
            links.append(PlanLink(d.predecessor_id, d.successor_id, d.type, d.lag))
            continue
        p = d.predecessor
        if p.start_date is not None and p.due_date is not None:
            outside.append(
                OutsideBound(d.successor_id, d.type, d.lag, p.title, p.start_date, p.due_date)
            )
    owners = {t.owner_id for t in tasks if t.owner_id}
    days_off: dict[int, set[dt.date]] = {}
    for off in TimeOff.objects.filter(workspace_id=campaign.workspace_id, user_id__in=owners):
        day = off.first_day
        while day <= off.last_day:
            days_off.setdefault(off.user_id, set()).add(day)
            day += dt.timedelta(days=1)
    not_before = {t.pk: t.not_before for t in rows if t.not_before}
    finish_after: dict[int, tuple[dt.date, str]] = {}
    for provider in _finish_bounds:
        finish_after |= provider(campaign, [t.pk for t in rows])
    return PlanInput(
        tasks,
        links,
        outside,
        calendar_for(campaign.workspace_id),
        days_off,
        not_before,
        finish_after,
    )


def _offset(cal: WorkCalendar, start: dt.date, day: dt.date) -> int:
    return cal.working_days_between(cal.next_working(start), day)


def _network(plan: PlanInput, start: dt.date) -> tuple[Network, dict[str, str]]:
    """The engine network, with anchors for outside links and start-no-earlier-than dates;
    returns the names the explanations use for anchors."""
    cal = plan.calendar
    tasks = [EngineTask(str(t.id), t.duration) for t in plan.tasks]
    links = [
        Link(str(k.predecessor), str(k.successor), LinkType(k.type), k.lag) for k in plan.links
    ]
    names: dict[str, str] = {}
    for n, o in enumerate(plan.outside):
        kind = LinkType(o.type)
        # The outside task's start, or the working day after its due date, plus the lag.
        day = cal.add(o.due, 1) if kind.from_finish else o.start
        bound = _offset(cal, start, day) + o.lag
        anchor = f"outside:{n}"
        tasks.append(EngineTask(anchor, max(float(bound), 0.0)))
        link_type = LinkType.FF if kind.to_finish else LinkType.FS
        links.append(Link(anchor, str(o.successor), link_type))
        names[anchor] = f"{o.title} (another campaign)"
    for tid, day in plan.not_before.items():
        anchor = f"not-before:{tid}"
        tasks.append(EngineTask(anchor, float(max(_offset(cal, start, day), 0))))
        links.append(Link(anchor, str(tid)))
        names[anchor] = f"not before {day:%-d %B}"
    for tid, (day, why) in plan.finish_after.items():
        # The task's last working day is on or after `day`: its finish offset is past it.
        anchor = f"finish-after:{tid}"
        tasks.append(EngineTask(anchor, float(max(_offset(cal, start, day) + 1, 0))))
        links.append(Link(anchor, str(tid), LinkType.FF))
        names[anchor] = why
    return Network(tuple(tasks), tuple(links)), names


def _away(plan: PlanInput, start: dt.date) -> dict[str, Unavailable]:
    away = {}
    for t in plan.tasks:
        if t.owner_id and t.owner_id in plan.days_off:
            found = away_offsets(
                plan.calendar, start, plan.days_off[t.owner_id], t.owner_name or "owner"
            )
            if found is not None:
                away[str(t.id)] = found
    return away


def _explain(sched: Schedule, tid: str, titles: dict[str, str]) -> str:
    because = sched.tasks[tid].because
    if isinstance(because, str):
        return "plan start" if because == "project start" else because
    pred, kind, lag = because
    if pred.startswith(("not-before:", "finish-after:")):
        return titles.get(pred, "a chosen date")
    return explain_link(titles.get(pred, pred), kind, lag)


def _anchor_offset(plan: PlanInput, sched: Schedule) -> float:
    launch = next((t for t in plan.tasks if t.kind == TaskKind.LAUNCH), None)
    return sched.tasks[str(launch.id)].early_start if launch else sched.duration


def schedule_forward(plan: PlanInput, start: dt.date) -> PlanResult:
    """Every task's dates from the plan's first day; raises NetworkError on a bad network."""
    cal = plan.calendar
    start = cal.next_working(start)
    network, names = _network(plan, start)
    sched = schedule(network, unavailable=_away(plan, start))
    titles = {str(t.id): t.title for t in plan.tasks} | names
    days = WorkingDays(cal, start)
    dates = {}
    for t in plan.tasks:
        s = sched.tasks[str(t.id)]
        dates[t.id] = TaskDates(
            start=days.start_date(s.early_start),
            due=days.finish_date(s.early_start, s.early_finish),
            total_float=s.total_float,
            critical=s.critical,
            explanation=_explain(sched, str(t.id), titles),
        )
    anchor = _anchor_offset(plan, sched)
    has_launch = any(t.kind == TaskKind.LAUNCH for t in plan.tasks)
    if has_launch:
        launch = days[int(anchor)]
    else:
        launch = days.finish_date(0, anchor) if plan.tasks else start
    return PlanResult(plan_start=start, dates=dates, launch=launch)


def schedule_backward(plan: PlanInput, launch: dt.date, today: dt.date) -> PlanResult:
    """Dates that put the launch milestone on the launch date (the working day before, when
    the launch falls on a day off). When that needs a start before today, the plan starts
    today and `short_by` says how many working days the launch date is too early."""
    cal = plan.calendar
    target = cal.previous_working(launch)
    earliest = cal.next_working(today)
    probe = schedule_forward(plan, target)
    assert probe.launch is not None
    start = cal.add(target, -cal.working_days_between(probe.plan_start, probe.launch))
    result = probe
    for _ in range(8):  # owners' days off move with the start; settle in a few rounds
        result = schedule_forward(plan, start)
        assert result.launch is not None
        if result.launch <= target:
            break
        start = cal.add(start, -cal.working_days_between(target, result.launch))
    if start >= earliest:
        # Start as late as the launch allows, but not later than the latest fitting start.
        return result
    short = cal.working_days_between(start, earliest)
    return replace(schedule_forward(plan, earliest), short_by=short)


__all__ = [
    "NetworkError",
    "OutsideBound",
    "PlanInput",
    "PlanLink",
    "PlanResult",
    "PlanTask",
    "TaskDates",
    "calendar_for",
    "plan_load",
    "schedule_backward",
    "schedule_forward",
]
