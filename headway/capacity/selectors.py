"""Reads for capacity: each person's capacity (theirs or their role's default), their work as
the load engine's plain values, and the person x week load grid. A constant number of queries
whatever the number of people and tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import Case, CharField, FloatField, Value, When
from django.db.models.functions import Cast

from headway.capacity.models import (
    DEFAULT_HOURS_PER_DAY,
    DEFAULT_WEEKLY_HOURS,
    MONDAY_TO_FRIDAY,
    WEEKDAY_NAMES,
    Capacity,
    CapacitySettings,
)
from headway.engine.calendar import WorkCalendar
from headway.engine.load import LoadGrid, Person, Work, load_grid, monday
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    RoleNeeded,
    Task,
    TaskKind,
    TaskStatus,
    TimeOff,
)
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Membership, Role, Workspace

WEEKS_DEFAULT = 12
WEEKS_MAX = 52
OPEN_CAMPAIGNS = [CampaignStatus.DRAFT, CampaignStatus.PLANNED, CampaignStatus.IN_PROGRESS]


def skill_from_title(title: str) -> str:
    """The kind of work a job title names ("Freelance designer" -> designer), or ''."""
    words = title.lower()
    for value, label in RoleNeeded.choices:
        if value and (label.lower() in words or value.replace("_", " ") in words):
            return str(value)
    if "social" in words:
        return RoleNeeded.SOCIAL.value
    return ""


@dataclass(frozen=True)
class PersonCapacity:
    """A member's capacity as the pages show it: their own settings or their role's default."""

    user_id: int
    name: str
    title: str
    role: str
    skill: str
    weekly_hours: Decimal
    weekdays: str
    first_day: dt.date | None
    last_day: dt.date | None
    day_rate: Decimal | None
    is_default: bool

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]

    @property
    def skill_label(self) -> str:
        return str(RoleNeeded(self.skill).label) if self.skill else ""

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(c) for c in self.weekdays)

    @property
    def weekday_names(self) -> str:
        days = [int(c) for c in self.weekdays]
        if self.weekdays == MONDAY_TO_FRIDAY:
            return "Mon-Fri"
        return ", ".join(WEEKDAY_NAMES[d] for d in days)

    def as_person(self, days_off: set[dt.date] | None = None) -> Person:
        return Person(
            id=self.user_id,
            weekly_hours=float(self.weekly_hours),
            weekdays=self.weekday_set,
            days_off=frozenset(days_off or ()),
            first_day=self.first_day,
            last_day=self.last_day,
        )


def _from_membership(m: Membership, found: Capacity | None) -> PersonCapacity:
    user = m.user
    if found is None:
        return PersonCapacity(
            user.pk,
            user.name,
            m.title,
            m.role,
            skill_from_title(m.title),
            DEFAULT_WEEKLY_HOURS[Role(m.role)],
            MONDAY_TO_FRIDAY,
            None,
            None,
            None,
            True,
        )
    return PersonCapacity(
        user.pk,
        user.name,
        m.title,
        m.role,
        found.skill or skill_from_title(m.title),
        found.weekly_hours,
        found.weekdays,
        found.first_day,
        found.last_day,
        found.day_rate,
        False,
    )


def _capacity_of(m: Membership) -> Capacity | None:
    # The reverse one-to-one raises a subclass of AttributeError when there is none.
    found: Capacity | None = getattr(m, "capacity", None)
    return found


def capacity_people(workspace: Workspace) -> list[PersonCapacity]:
    """Everyone who can carry work (clients cannot), by name: one query."""
    members = (
        Membership.objects.filter(workspace=workspace)
        .exclude(role=Role.CLIENT)
        .select_related("user", "capacity")
        .order_by("user__name")
    )
    out = []
    for m in members:
        out.append(_from_membership(m, _capacity_of(m)))
    return out


def hours_per_day(workspace: Workspace) -> Decimal:
    found = CapacitySettings.objects.filter(workspace=workspace).first()
    return found.hours_per_day if found else DEFAULT_HOURS_PER_DAY


def days_off_between(
    workspace: Workspace, first: dt.date, last: dt.date
) -> dict[int, set[dt.date]]:
    """Each person's days off from `first` to `last` inclusive: one query."""
    out: dict[int, set[dt.date]] = {}
    rows = TimeOff.objects.filter(workspace=workspace, last_day__gte=first, first_day__lte=last)
    for user_id, a, b in rows.values_list("user_id", "first_day", "last_day"):
        day = max(a, first)
        while day <= min(b, last):
            out.setdefault(user_id, set()).add(day)
            day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class WorkInfo:
    id: int
    title: str
    campaign_id: int
    campaign_name: str
    role_needed: str
    start: dt.date
    due: dt.date


def _hours_expression(per_day: Decimal) -> Case:
    """A task's effort in SQL: its effort hours, else hours per day times its planned days
    (the PERT mean of a three-point estimate when it has one)."""
    per = Value(float(per_day), output_field=FloatField())

    def num(name: str) -> Cast:
        return Cast(name, FloatField())

    pert = (num("optimistic_days") + 4 * num("likely_days") + num("pessimistic_days")) / 6
    return Case(
        When(effort_hours__isnull=False, then=num("effort_hours")),
        When(
            optimistic_days__isnull=False,
            likely_days__isnull=False,
            pessimistic_days__isnull=False,
            then=pert * per,
        ),
        default=num("duration_days") * per,
        output_field=FloatField(),
    )


def open_work(
    workspace: Workspace,
    first: dt.date,
    last: dt.date,
    per_day: Decimal,
    campaign_id: int | None = None,
    owner_id: int | None = None,
    *,
    details: bool = True,
) -> tuple[list[Work], dict[int, WorkInfo]]:
    """Owned, unfinished tasks of open campaigns scheduled to touch [first, last], with their
    effort (or the default per day of duration): one query, read as plain rows (the grid
    reads thousands; model field converters would cost more than the rest of the page)."""
    qs = Task.objects.filter(
        workspace=workspace,
        kind=TaskKind.TASK,
        owner__isnull=False,
        start_date__lte=last,
        due_date__gte=first,
        campaign__status__in=OPEN_CAMPAIGNS,
    ).exclude(status=TaskStatus.DONE)
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    # Dates as ISO text: parsed by date.fromisoformat, much faster than the driver's
    # converters for thousands of rows.
    text = {name: Cast(name, CharField()) for name in ("start_date", "due_date")}
    names = ["pk", "owner_id", "start_text", "due_text", "hours"]
    if details:
        names += ["title", "campaign_id", "campaign__name", "role_needed"]
    columns = qs.annotate(
        hours=_hours_expression(per_day), start_text=text["start_date"], due_text=text["due_date"]
    ).values_list(*names)
    sql, params = columns.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    day = dt.date.fromisoformat
    work = [Work(r[0], r[1], day(r[2]), day(r[3]), max(float(r[4]), 0.0)) for r in rows]
    info = {}
    if details:
        for w, r in zip(work, rows, strict=True):
            info[w.id] = WorkInfo(w.id, r[5], r[6], r[7], r[8], w.start, w.due)
    return work, info


# -- the grid --------------------------------------------------------------------------------


def load_level(booked: float, available: float) -> str:
    """A load cell's colour band: idle, light (under 50%), busy (50-85%), full (85-100%),
    over (more booked than available)."""
    if booked > available + 1e-6:
        return "over"
    if booked <= 0 or available <= 0:
        return "idle"
    percent = 100 * booked / available
    if percent < 50:
        return "light"
    return "busy" if percent < 85 else "full"


@dataclass(frozen=True)
class CellTask:
    id: int
    title: str
    campaign: str
    hours: float


@dataclass
class LoadCell:
    week: dt.date
    booked: float
    available: float
    percent: float | None  # None: nothing available and nothing booked
    tasks: list[CellTask] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return self.booked > self.available + 1e-6

    @property
    def level(self) -> str:
        return load_level(self.booked, self.available)

    @property
    def hours_label(self) -> str:
        return f"{self.booked:.0f} / {self.available:.0f} h"

    @property
    def percent_label(self) -> str:
        if self.percent is None:
            return ""
        if not np.isfinite(self.percent):
            return "no hours"
        return f"{self.percent:.0f}%"


@dataclass
class LoadRow:
    label: str
    detail: str
    cells: list[LoadCell]
    user_id: int | None = None

    @property
    def over_weeks(self) -> int:
        return sum(1 for c in self.cells if c.over)


@dataclass
class LoadView:
    weeks: list[dt.date]
    rows: list[LoadRow]
    role_rows: list[LoadRow]
    campaigns: list[tuple[int, str]]
    skills: list[tuple[str, str]]
    role: str = ""
    campaign_id: int | None = None
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY

    @property
    def over_count(self) -> int:
        return sum(r.over_weeks for r in self.rows)


def _percent(booked: float, available: float) -> float | None:
    if available > 0:
        return 100.0 * booked / available
    return float("inf") if booked > 0 else None


def _rows(
    grid: LoadGrid, people: list[PersonCapacity], info: dict[int, WorkInfo] | None
) -> list[LoadRow]:
    rows = []
    for r, person in enumerate(people):
        cells = []
        for w, week in enumerate(grid.weeks):
            booked, available = float(grid.booked[r, w]), float(grid.available[r, w])
            tasks = (
                []
                if info is None
                else [
                    CellTask(tid, info[tid].title, info[tid].campaign_name, hours)
                    for tid, hours in sorted(grid.cells.get((r, w), []), key=lambda x: -x[1])
                ]
            )
            cells.append(LoadCell(week, booked, available, _percent(booked, available), tasks))
        detail = " · ".join(
            x for x in (person.title, f"{person.weekly_hours.normalize():f} h/week") if x
        )
        rows.append(LoadRow(person.name, detail, cells, person.user_id))
    return rows


def _role_rows(grid: LoadGrid, people: list[PersonCapacity]) -> list[LoadRow]:
    by_skill: dict[str, list[int]] = {}
    for r, person in enumerate(people):
        by_skill.setdefault(person.skill, []).append(r)
    rows = []
    for skill, members in sorted(by_skill.items(), key=lambda kv: (kv[0] == "", kv[0])):
        booked = grid.booked[members].sum(axis=0)
        available = grid.available[members].sum(axis=0)
        cells = [
            LoadCell(week, float(b), float(a), _percent(float(b), float(a)))
            for week, b, a in zip(grid.weeks, booked, available, strict=True)
        ]
        label = str(RoleNeeded(skill).label) if skill else "No role set"
        n = len(members)
        rows.append(LoadRow(label, f"{n} {'person' if n == 1 else 'people'}", cells))
    return rows


def load_view(
    workspace: Workspace,
    *,
    weeks: int = WEEKS_DEFAULT,
    first: dt.date | None = None,
    role: str = "",
    campaign_id: int | None = None,
    with_tasks: bool = True,
) -> LoadView:
    """The person x week grid from the week of `first` (default: today): hours booked and
    available, the tasks of each cell (unless `with_tasks` is false: the page lists them
    when a cell is opened), and the same summed per role. Six queries."""
    start = monday(first or workspace.today())
    last = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    people = capacity_people(workspace)
    skills = sorted({(p.skill, p.skill_label) for p in people if p.skill}, key=lambda s: s[1])
    if role:
        people = [p for p in people if p.skill == role]
    off = days_off_between(workspace, start, last)
    per_day = hours_per_day(workspace)
    work, info = open_work(workspace, start, last, per_day, campaign_id, details=with_tasks)
    calendar: WorkCalendar = calendar_for(workspace.pk)
    grid = load_grid(
        [p.as_person(off.get(p.user_id)) for p in people], work, calendar, start, weeks
    )
    campaigns = list(
        Campaign.objects.filter(workspace=workspace, status__in=OPEN_CAMPAIGNS)
        .order_by("name")
        .values_list("pk", "name")
    )
    return LoadView(
        weeks=grid.weeks,
        rows=_rows(grid, people, info if with_tasks else None),
        role_rows=_role_rows(grid, people),
        campaigns=campaigns,
        skills=skills,
        role=role,
        campaign_id=campaign_id,
        hours_per_day=per_day,
    )


def capacity_get(workspace: Workspace, user_id: int) -> PersonCapacity:
    """One member's capacity; raises Membership.DoesNotExist for someone not in it."""
    m = (
        Membership.objects.filter(workspace=workspace, user_id=user_id)
        .exclude(role=Role.CLIENT)
        .select_related("user", "capacity")
        .get()
    )
    return _from_membership(m, _capacity_of(m))


def load_cell(
    workspace: Workspace, user_id: int, week: dt.date, campaign_id: int | None = None
) -> tuple[PersonCapacity, LoadCell] | None:
    """One person's week: hours booked and available, and the tasks that make it. None for
    someone who carries no work in the workspace."""
    person = next((p for p in capacity_people(workspace) if p.user_id == user_id), None)
    if person is None:
        return None
    start = monday(week)
    last = start + dt.timedelta(days=6)
    off = days_off_between(workspace, start, last)
    work, info = open_work(
        workspace, start, last, hours_per_day(workspace), campaign_id, owner_id=user_id
    )
    grid = load_grid(
        [person.as_person(off.get(user_id))], work, calendar_for(workspace.pk), start, 1
    )
    return person, _rows(grid, [person], info)[0].cells[0]
