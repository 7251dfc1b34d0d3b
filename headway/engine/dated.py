"""Dated scheduling: a plan (tasks, links, a working calendar, people's days off, dates some
tasks must wait for) in; every task's dates with the reason for its start out.

Offsets are working days of the calendar from the plan's first day. A task runs from its
early start to its early finish; a milestone sits on its early start. Scheduling backward
places the launch milestone (or the plan's end) on the launch date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from headway.engine.calendar import BusinessDays, WorkCalendar, away_offsets
from headway.engine.cpm import Schedule, Unavailable, explain_link, schedule
from headway.engine.network import Link, LinkType, Network, NetworkError
from headway.engine.network import Task as EngineTask

EPS = 1e-9
SETTLE_ROUNDS = 8  # owners' days off move with a backward plan's start; it settles in a few


@dataclass(frozen=True)
class PlanTask:
    id: int
    title: str
    duration: float
    owner_id: int | None = None
    owner_name: str = ""
    launch: bool = False  # the launch milestone: a backward plan puts it on the launch date


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
    days_off: dict[int, set[dt.date]] = field(default_factory=dict)  # owner -> days away
    not_before: dict[int, dt.date] = field(default_factory=dict)  # task -> earliest start
    # task -> (a day it cannot finish before, why): e.g. an approval still waiting
    finish_after: dict[int, tuple[dt.date, str]] = field(default_factory=dict)


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
    # The plan's finish T in working days from plan_start (the latest early finish), and the
    # smallest T of every forward pass the result was settled from: a new unlinked task no
    # longer than `finish_floor` (whose owner has no days off) changes no other task's dates.
    finish: float = 0.0
    finish_floor: float = 0.0


def schedule_dated(
    plan: PlanInput,
    *,
    today: dt.date,
    start: dt.date | None = None,
    launch: dt.date | None = None,
) -> PlanResult:
    """Every task's dates, forward from `start` or backward from `launch` (exactly one).

    Backward, the launch milestone lands on the launch date (the working day before, when
    the launch falls on a day off) and work starts as late as that allows; when that needs
    a start before today, the plan starts today and `short_by` says how many working days
    the launch date is too early. Raises NetworkError on a bad network."""
    if (start is None) == (launch is None):
        raise ValueError("schedule_dated needs either a start or a launch date")
    days = BusinessDays(plan.calendar)
    if launch is not None:
        return _backward(plan, days, launch, today)
    assert start is not None
    return _forward(plan, days, start)


def _forward(plan: PlanInput, days: BusinessDays, start: dt.date) -> PlanResult:
    start = days.next_working(start)
    network, names = _network(plan, days, start)
    sched = schedule(network, unavailable=_away(plan, days, start))
    titles = {str(t.id): t.title for t in plan.tasks} | names
    found = [sched.tasks[str(t.id)] for t in plan.tasks]
    early_start = np.array([s.early_start for s in found], dtype=float)
    early_finish = np.array([s.early_finish for s in found], dtype=float)
    # A task's first day is the offset it starts in; its last is the one its work ends in.
    first = np.floor(early_start + EPS).astype(np.int64)
    last = np.maximum(np.ceil(early_finish - EPS).astype(np.int64) - 1, first)
    anchor = _anchor_offset(plan, sched)
    if any(t.launch for t in plan.tasks):
        launch_offset = int(anchor)
    else:
        launch_offset = max(int(np.ceil(anchor - EPS)) - 1, 0)
    n = len(found)
    dated = days.dates(start, np.concatenate([first, last, [launch_offset]]))
    dates = {
        t.id: TaskDates(
            start=dated[k],
            due=dated[n + k],
            total_float=s.total_float,
            critical=s.critical,
            explanation=_explain(sched, str(t.id), titles),
        )
        for k, (t, s) in enumerate(zip(plan.tasks, found, strict=True))
    }
    finish = float(sched.duration)
    return PlanResult(
        plan_start=start,
        dates=dates,
        launch=dated[-1] if n else start,
        finish=finish,
        finish_floor=finish,
    )


def _backward(plan: PlanInput, days: BusinessDays, launch: dt.date, today: dt.date) -> PlanResult:
    target = days.previous_working(launch)
    earliest = days.next_working(today)
    probe = _forward(plan, days, target)
    assert probe.launch is not None
    floor = probe.finish
    start = days.add(target, -days.between(probe.plan_start, probe.launch))
    result = probe
    for _ in range(SETTLE_ROUNDS):
        result = _forward(plan, days, start)
        floor = min(floor, result.finish)
        assert result.launch is not None
        if result.launch <= target:
            break
        start = days.add(start, -days.between(target, result.launch))
    if start >= earliest:
        # Start as late as the launch allows, but not later than the latest fitting start.
        return replace(result, finish_floor=floor)
    short = days.between(start, earliest)
    result = _forward(plan, days, earliest)
    return replace(result, short_by=short, finish_floor=min(floor, result.finish))


def _network(plan: PlanInput, days: BusinessDays, start: dt.date) -> tuple[Network, dict[str, str]]:
    """The engine network, with anchors for outside links and start-no-earlier-than dates;
    returns the names the explanations use for anchors."""
    tasks = [EngineTask(str(t.id), t.duration) for t in plan.tasks]
    links = [
        Link(str(k.predecessor), str(k.successor), LinkType(k.type), k.lag) for k in plan.links
    ]
    names: dict[str, str] = {}
    for n, o in enumerate(plan.outside):
        kind = LinkType(o.type)
        # The outside task's start, or the working day after its due date, plus the lag.
        day = days.add(o.due, 1) if kind.from_finish else o.start
        bound = days.between(start, day) + o.lag
        anchor = f"outside:{n}"
        tasks.append(EngineTask(anchor, max(float(bound), 0.0)))
        link_type = LinkType.FF if kind.to_finish else LinkType.FS
        links.append(Link(anchor, str(o.successor), link_type))
        names[anchor] = f"{o.title} (another campaign)"
    for tid, day in plan.not_before.items():
        anchor = f"not-before:{tid}"
        tasks.append(EngineTask(anchor, float(max(days.between(start, day), 0))))
        links.append(Link(anchor, str(tid)))
        names[anchor] = f"not before {day:%-d %B}"
    for tid, (day, why) in plan.finish_after.items():
        # The task's last working day is on or after `day`: its finish offset is past it.
        anchor = f"finish-after:{tid}"
        tasks.append(EngineTask(anchor, float(max(days.between(start, day) + 1, 0))))
        links.append(Link(anchor, str(tid), LinkType.FF))
        names[anchor] = why
    return Network(tuple(tasks), tuple(links)), names


def _away(plan: PlanInput, days: BusinessDays, start: dt.date) -> dict[str, Unavailable]:
    """Each owned task's owner's days off as working-day offsets from the plan's start."""
    # Worked out once per owner, not once per task they own.
    by_owner: dict[tuple[int, str], Unavailable | None] = {}
    away = {}
    for t in plan.tasks:
        if not t.owner_id or t.owner_id not in plan.days_off:
            continue
        key = (t.owner_id, t.owner_name or "owner")
        if key not in by_owner:
            by_owner[key] = away_offsets(days.calendar, start, plan.days_off[t.owner_id], key[1])
        found = by_owner[key]
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
    launch = next((t for t in plan.tasks if t.launch), None)
    return sched.tasks[str(launch.id)].early_start if launch else sched.duration


__all__ = [
    "NetworkError",
    "OutsideBound",
    "PlanInput",
    "PlanLink",
    "PlanResult",
    "PlanTask",
    "TaskDates",
    "schedule_dated",
]
