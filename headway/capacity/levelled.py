"""Reads for the levelled plan: the open work of a workspace as the leveller's plain values,
and what would move if everyone worked within their hours, with the reason for each move.

A task's stored dates are its unlevelled schedule. It works its owner's working days
between them (their weekdays, less holidays and days off), at its effort spread evenly over
those days. A link the stored dates do not meet in whole working days (half-day tasks, a
plan not rescheduled yet) counts with the lag the dates show, so only over-allocation moves
work. Work that has started keeps its dates. A constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from headway.capacity.selectors import (
    OPEN_CAMPAIGNS,
    PersonCapacity,
    _hours_expression,
    capacity_people,
    days_off_between,
    hours_per_day,
)
from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import PlanLink
from headway.engine.leveling import LevelResult, LevelTask, Wait, WaitKind, level
from headway.engine.load import Person
from headway.engine.network import LinkType
from headway.planning.models import Dependency, Task, TaskKind, TaskStatus
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Workspace

# Work further ahead than this is left out; days off are read this far past the last work.
AHEAD = dt.timedelta(days=730)
DAYS_OFF_PAST_WORK = dt.timedelta(days=365)
SHOWN = 25  # moved tasks listed on the load page
CACHE_SECONDS = 600


@dataclass(frozen=True)
class WorkRow:
    """A task as the explanations name it."""

    id: int
    title: str
    kind: str
    campaign_id: int
    campaign: str
    owner_id: int | None
    hours: float
    # The stored plan's dates, as the campaign page shows them ("Planned").
    start: dt.date | None = None
    due: dt.date | None = None


@dataclass
class LevelInputs:
    tasks: list[LevelTask]
    links: list[PlanLink]
    people: list[Person]
    calendar: WorkCalendar
    capacities: dict[int, PersonCapacity]
    rows: dict[int, WorkRow]
    first_names: dict[int, str] = field(default_factory=dict)
    # What was read on the way, for callers that need it too (the what-if).
    today: dt.date | None = None
    hours_per_day: Decimal = Decimal(0)
    days_off: dict[int, set[dt.date]] = field(default_factory=dict)


_COLUMNS = (
    "pk", "title", "kind", "status", "owner_id", "start_text", "due_text", "total_float",
    "campaign_id", "campaign__name", "launch_text", "hours",
)  # fmt: skip


def _person_calendar(person: Person | None, calendar: WorkCalendar) -> np.busdaycalendar:
    days = [d not in calendar.weekend for d in range(7)]
    holidays = set(calendar.holidays)
    if person is not None:
        days = [ok and d in person.weekdays for d, ok in enumerate(days)]
        holidays |= person.days_off
    if not any(days):
        days = [True] * 7  # nobody works: the leveller reports the work unstaffed
    return np.busdaycalendar(weekmask=days, holidays=sorted(holidays))


def level_inputs(
    workspace: Workspace, *, days_off_from: tuple[dt.date, dt.date] | None = None
) -> LevelInputs:
    """Every unfinished, dated task of the open campaigns not over by today, with its owner's
    working days and effort, and the links between them. People's days off are read over
    the work's days, and over `days_off_from` (first, last) too when given."""
    today = workspace.today()
    calendar = calendar_for(workspace.pk)
    people = capacity_people(workspace)
    per_day = hours_per_day(workspace)
    raw = _open_tasks(workspace, today, per_day)
    last = max((r[6] for r in raw), default=today) + DAYS_OFF_PAST_WORK
    first = min((r[5] for r in raw), default=today)
    if days_off_from is not None:
        first, last = min(first, days_off_from[0]), max(last, days_off_from[1])
    off = days_off_between(workspace, first, last)
    persons = {p.user_id: p.as_person(off.get(p.user_id)) for p in people}
    tasks = _tasks(raw, persons, calendar, today)
    rows = {
        r[0]: WorkRow(r[0], r[1], r[2], r[8], r[9], r[4], max(float(r[11] or 0), 0.0), r[5], r[6])
        for r in raw
    }
    links = _links(workspace, tasks, raw, persons, calendar)
    return LevelInputs(
        tasks=tasks,
        links=links,
        people=list(persons.values()),
        calendar=calendar,
        capacities={p.user_id: p for p in people},
        first_names={p.user_id: p.first_name for p in people},
        rows=rows,
        today=today,
        hours_per_day=per_day,
        days_off=off,
    )


def _open_tasks(workspace: Workspace, today: dt.date, per_day: Decimal) -> list[tuple]:
    """The rows of the open work, dates read as ISO text (thousands of rows: the driver's
    and the model fields' converters would cost more than the levelling)."""
    qs = (
        Task.objects.filter(
            workspace=workspace,
            campaign__status__in=OPEN_CAMPAIGNS,
            start_date__isnull=False,
            due_date__gte=today,
            start_date__lte=today + AHEAD,
        )
        .exclude(status=TaskStatus.DONE)
        .annotate(
            hours=_hours_expression(per_day),
            start_text=Cast("start_date", CharField()),
            due_text=Cast("due_date", CharField()),
            launch_text=Cast("campaign__launch_date", CharField()),
        )
        .order_by("pk")
        .values_list(*_COLUMNS)
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    day = dt.date.fromisoformat
    return [
        (*r[:5], day(r[5]), day(r[6]), r[7], r[8], r[9], day(r[10]) if r[10] else None, r[11])
        for r in rows
    ]


def _tasks(
    raw: list[tuple], persons: dict[int, Person], calendar: WorkCalendar, today: dt.date
) -> list[LevelTask]:
    """LevelTasks from rows; a task's start is its owner's first working day from its stored
    start, its duration their working days up to its due date."""
    by_owner: dict[int | None, list[int]] = {}
    for k, r in enumerate(raw):
        owner = r[4] if r[4] in persons and r[2] == TaskKind.TASK else None
        by_owner.setdefault(owner, []).append(k)
    starts: list[dt.date] = [r[5] for r in raw]
    spans = [0] * len(raw)
    plain = _person_calendar(None, calendar)
    for owner, ks in by_owner.items():
        cal = _person_calendar(persons.get(owner) if owner else None, calendar)
        begin = np.array([raw[k][5] for k in ks], dtype="datetime64[D]")
        end = np.array([raw[k][6] for k in ks], dtype="datetime64[D]") + 1
        end = np.maximum(end, begin)
        counted = np.busday_count(begin, end, busdaycal=cal)
        first = np.busday_offset(begin, 0, roll="forward", busdaycal=cal)
        whole = np.busday_count(begin, end, busdaycal=plain)
        for k, n, day, w in zip(ks, counted.tolist(), first.tolist(), whole.tolist(), strict=True):
            if n > 0:
                spans[k], starts[k] = n, day
            else:  # no working day of the owner in it: it waits for one
                spans[k] = max(w, 1)
    out = []
    for k, r in enumerate(raw):
        pk, title, kind, status, owner, start, _, slack, cid, cname, launch, hours = r
        work = kind == TaskKind.TASK
        span = spans[k] if work else 0
        effort = max(float(hours or 0), 0.0) if work else 0.0
        out.append(
            LevelTask(
                id=pk,
                start=starts[k],
                duration=span,
                hours_per_day=effort / span if span else 0.0,
                owner_id=owner if work else None,
                total_float=float(slack or 0.0),
                launch=launch,
                campaign_id=cid,
                campaign=cname,
                title=title,
                fixed=status == TaskStatus.IN_PROGRESS or start < today,
            )
        )
    return out


def _links(
    workspace: Workspace,
    tasks: list[LevelTask],
    raw: list[tuple],
    persons: dict[int, Person],
    calendar: WorkCalendar,
) -> list[PlanLink]:
    """The links between the tasks, each with a lag its stored dates meet."""
    ids = {t.id: t for t in tasks}
    if not ids:
        return []
    # The workspace's links whose successor is open work, kept when both ends are among the
    # tasks (a list of thousands of ids in the query would cost more than the extra rows).
    found = [
        row
        for row in Dependency.objects.filter(
            workspace=workspace,
            successor__campaign__status__in=OPEN_CAMPAIGNS,
            successor__due_date__gte=min(t.start for t in tasks),
        )
        .exclude(successor__status=TaskStatus.DONE)
        .values_list("predecessor_id", "successor_id", "type", "lag")
        if row[0] in ids and row[1] in ids
    ]
    spans = _stored_spans(tasks, {r[0]: r[6] for r in raw}, persons, calendar)
    links = []
    for p, s, kind, lag in found:
        link_type = LinkType(kind)
        (ps, pf), (ss, sf) = spans[p], spans[s]
        source = (pf if link_type.from_finish else ps) + lag
        target = sf if link_type.to_finish else ss
        links.append(PlanLink(p, s, kind, lag - max(source - target, 0)))
    return links


def _stored_spans(
    tasks: list[LevelTask],
    due: dict[int, dt.date],
    persons: dict[int, Person],
    calendar: WorkCalendar,
) -> dict[int, tuple[int, int]]:
    """Each task's stored start and finish as the leveller counts them: working days from
    the plan's first day, the finish one past its owner's last working day by its due date
    (a milestone finishes where it starts)."""
    days = BusinessDays(calendar)
    origin = np.datetime64(days.next_working(min(t.start for t in tasks)), "D")
    starts = np.array([t.start for t in tasks], dtype="datetime64[D]")
    first = np.maximum(np.busday_count(origin, starts, busdaycal=days.numpy), 0)
    finish = first.copy()
    groups: dict[int | None, list[int]] = {}
    for k, t in enumerate(tasks):
        if t.duration:
            owner = t.owner_id if t.owner_id in persons else None
            groups.setdefault(owner, []).append(k)
    for owner, ks in groups.items():
        cal = _person_calendar(persons.get(owner) if owner is not None else None, calendar)
        dues = np.array([due[tasks[k].id] for k in ks], dtype="datetime64[D]")
        last = np.busday_offset(dues, 0, roll="backward", busdaycal=cal)
        counted = np.busday_count(origin, last, busdaycal=days.numpy) + 1
        finish[ks] = np.maximum(counted, first[ks] + 1)
    return {t.id: (a, b) for t, a, b in zip(tasks, first.tolist(), finish.tolist(), strict=True)}


# -- what would move --------------------------------------------------------------------


@dataclass(frozen=True)
class TaskMove:
    task_id: int
    title: str
    campaign_id: int
    campaign: str
    owner: str
    start: dt.date
    due: dt.date
    new_start: dt.date
    new_due: dt.date
    days: int  # working days it starts later
    reason: str  # "waits for Priya (busy on Spring launch until 12 Mar)"
    # Its float (working days it may slip without moving the launch) as planned, less the
    # days levelling moves it: at 0 its launch keeps its date only if nothing on its path
    # overruns, which is why the what-if's chance is lower than the dashboard's.
    float_left: int = 0


@dataclass(frozen=True)
class LaunchMove:
    campaign_id: int
    name: str
    before: dt.date  # its launch milestone (or last day of work) as planned
    after: dt.date
    days: int  # working days later
    reason: str


@dataclass(frozen=True)
class OverDay:
    task_id: int
    title: str
    campaign: str
    owner: str
    hours_per_day: float
    capacity: float


@dataclass
class LevelledView:
    moves: list[TaskMove] = field(default_factory=list)
    launches: list[LaunchMove] = field(default_factory=list)
    over_day: list[OverDay] = field(default_factory=list)
    unstaffed: int = 0
    campaign_id: int | None = None

    @property
    def shown(self) -> list[TaskMove]:
        return self.moves[:SHOWN]

    @property
    def hidden(self) -> int:
        return max(len(self.moves) - SHOWN, 0)

    @property
    def over_day_shown(self) -> list[OverDay]:
        return self.over_day[:SHOWN]

    @property
    def over_day_hidden(self) -> int:
        return max(len(self.over_day) - SHOWN, 0)


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b}"


def _first_name(inputs: LevelInputs, user_id: int | None) -> str:
    found = inputs.first_names.get(user_id) if user_id is not None else None
    return found or "its owner"


def wait_words(inputs: LevelInputs, result: LevelResult, task_id: int) -> str:
    """Why a task moves, in words: the person it waits for and what keeps them busy, through
    the predecessor that moves it when it is one."""
    direct = result.tasks[task_id].wait
    root = result.root_wait(task_id)
    words = _root_words(inputs, root, inputs.rows[task_id].campaign_id)
    if direct is not None and direct.kind == WaitKind.PREDECESSOR and direct.task_id is not None:
        before = inputs.rows[direct.task_id].title
        if root is None or root.kind == WaitKind.PREDECESSOR:
            return f"follows “{before}”, which moves"
        return f"follows “{before}”, which {words}"
    return words


def _root_words(inputs: LevelInputs, root: Wait | None, campaign_id: int) -> str:
    """ "waits for Priya (busy on Spring launch until 12 Mar)": the blocking task's campaign,
    or the task itself when it is of the same campaign."""
    if root is None or root.kind == WaitKind.PREDECESSOR:
        return "its predecessors move"
    who = _first_name(inputs, root.person_id)
    if root.kind == WaitKind.AWAY:
        return f"waits for {who} (not at work on its planned days)"
    assert root.task_id is not None and root.until is not None
    blocker = inputs.rows[root.task_id]
    on = f"“{blocker.title}”" if blocker.campaign_id == campaign_id else blocker.campaign
    return f"waits for {who} (busy on {on} until {_day(root.until)})"


def levelled_result(inputs: LevelInputs) -> LevelResult:
    """The leveller's answer, kept in the cache under a digest of everything it reads: the
    same plan is levelled once, and any change to it (a date, an owner, hours, a day off)
    is a new key."""
    plain = (inputs.tasks, inputs.links, inputs.people, inputs.calendar)
    key = "capacity:levelled:" + hashlib.blake2b(repr(plain).encode(), digest_size=20).hexdigest()
    found: LevelResult | None = cache.get(key)
    if found is None:
        found = level(inputs.tasks, inputs.links, inputs.people, inputs.calendar)
        cache.set(key, found, CACHE_SECONDS)
    return found


def levelled_view(workspace: Workspace, campaign_id: int | None = None) -> LevelledView:
    """What would move if nobody worked over their hours: the tasks (most moved first), the
    launches, and the work that needs more hours a day than its owner has."""
    inputs = level_inputs(workspace)
    result = levelled_result(inputs)
    days = BusinessDays(inputs.calendar)
    view = LevelledView(campaign_id=campaign_id, unstaffed=len(result.unstaffed))
    tasks = {t.id: t for t in inputs.tasks}
    for moved in result.moved:
        row = inputs.rows[moved.id]
        if row.kind != TaskKind.TASK or (campaign_id and row.campaign_id != campaign_id):
            continue
        view.moves.append(
            TaskMove(
                task_id=row.id,
                title=row.title,
                campaign_id=row.campaign_id,
                campaign=row.campaign,
                owner=_first_name(inputs, row.owner_id) if row.owner_id else "",
                # the stored plan's dates exactly (the leveller counts its owner's days)
                start=row.start or moved.original_start,
                due=row.due or moved.original_due,
                new_start=moved.start,
                new_due=moved.due,
                days=moved.moved_days,
                reason=wait_words(inputs, result, row.id),
                float_left=max(int(tasks[row.id].total_float) - moved.moved_days, 0),
            )
        )
    view.launches = _launches(inputs, result, days, campaign_id)
    for tid in result.over_capacity:
        row = inputs.rows[tid]
        person = next((p for p in inputs.people if p.id == row.owner_id), None)
        if person is None or (campaign_id and row.campaign_id != campaign_id):
            continue
        view.over_day.append(
            OverDay(
                tid,
                row.title,
                row.campaign,
                _first_name(inputs, person.id),
                tasks[tid].hours_per_day,
                person.weekly_hours / len(person.weekdays),
            )
        )
    return view


def _launches(
    inputs: LevelInputs, result: LevelResult, days: BusinessDays, campaign_id: int | None
) -> list[LaunchMove]:
    """Per campaign, its launch milestone's move (or its last day of work's, without one),
    with the reason of the task behind it."""
    by_campaign: dict[int, list[int]] = {}
    for t in inputs.tasks:
        if campaign_id and t.campaign_id != campaign_id:
            continue
        by_campaign.setdefault(t.campaign_id or 0, []).append(t.id)
    out = []
    for cid, ids in by_campaign.items():
        launch = next((i for i in ids if inputs.rows[i].kind == TaskKind.LAUNCH), None)
        if launch is not None:
            before = inputs.rows[launch].start or result.tasks[launch].original_start
            after = result.tasks[launch].start
            behind = launch
        else:
            before = max(inputs.rows[i].due or result.tasks[i].original_due for i in ids)
            behind = max(ids, key=lambda i: (result.tasks[i].due, result.tasks[i].moved_days))
            after = result.tasks[behind].due
        if after <= before:
            continue
        cause = result.root_cause(behind)
        reason = ""
        if cause is not None and cause[1].kind != WaitKind.PREDECESSOR:
            words = _root_words(inputs, cause[1], cid)
            reason = f"“{inputs.rows[cause[0]].title}” {words}"
        name = inputs.rows[ids[0]].campaign
        out.append(LaunchMove(cid, name, before, after, days.between(before, after), reason))
    return sorted(out, key=lambda m: (-m.days, m.name))
