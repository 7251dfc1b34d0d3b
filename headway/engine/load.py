"""Load: each task's effort spread evenly over its scheduled working days, summed per person
and week, against each person's available hours that week.

A person's available hours are their weekly hours shared over their working weekdays, on the
days they work: not a holiday, not a day off, between their first and last day (freelancers).
A task's working days are the days the scheduler gave it: the workspace calendar's working days
between its start and due date, less its owner's days off. Weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from headway.engine.calendar import WorkCalendar

WEEK = np.timedelta64(7, "D")
ONE_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Person:
    id: int
    weekly_hours: float
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday 0 .. Sunday 6
    days_off: frozenset[dt.date] = frozenset()
    first_day: dt.date | None = None  # a freelancer's engagement, inclusive
    last_day: dt.date | None = None


class Work(NamedTuple):
    """One task's booked effort (a tuple: thousands are made per grid)."""

    id: int
    owner_id: int
    start: dt.date
    due: dt.date
    hours: float


@dataclass
class LoadGrid:
    """`available` and `booked` are people x weeks hours, rows in the order of `people`;
    `cells[(row, week)]` lists (task id, hours) of the work booked in that cell."""

    weeks: list[dt.date]
    people: list[int]
    available: np.ndarray
    booked: np.ndarray
    cells: dict[tuple[int, int], list[tuple[int, float]]] = field(default_factory=dict)

    def utilisation(self) -> np.ndarray:
        """Booked over available, in percent; booked hours in a week with no available
        hours count as infinitely over (shown as over-allocated)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                self.available > 0,
                100.0 * self.booked / np.where(self.available > 0, self.available, 1.0),
                np.where(self.booked > 0, np.inf, 0.0),
            )
        return ratio

    def free(self) -> np.ndarray:
        return np.maximum(self.available - self.booked, 0.0)


def effort_hours(effort: float | None, duration_days: float, hours_per_day: float) -> float:
    """The hours a task takes: its effort when given, else a default per day of duration."""
    if effort is not None:
        return max(float(effort), 0.0)
    return max(float(duration_days), 0.0) * hours_per_day


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_starts(first: dt.date, count: int) -> list[dt.date]:
    start = monday(first)
    return [start + dt.timedelta(weeks=k) for k in range(count)]


def _mask(days: Iterable[int]) -> list[bool]:
    chosen = set(days)
    return [d in chosen for d in range(7)]


def _busdays(
    begin: np.ndarray, end: np.ndarray, weekmask: list[bool], holidays: list[dt.date]
) -> np.ndarray:
    """Working days in [begin, end), 0 where end <= begin."""
    if not any(weekmask):
        return np.zeros(np.broadcast(begin, end).shape, dtype=np.int64)
    cal = np.busdaycalendar(weekmask=weekmask, holidays=holidays)
    end = np.maximum(begin, end)
    return np.asarray(np.busday_count(begin, end, busdaycal=cal), dtype=np.int64)


def available_hours(person: Person, calendar: WorkCalendar, weeks: list[dt.date]) -> np.ndarray:
    """The person's available hours in each week (starting on the given Mondays)."""
    if not person.weekdays or person.weekly_hours <= 0:
        return np.zeros(len(weeks))
    per_day = person.weekly_hours / len(person.weekdays)
    begin = np.array(weeks, dtype="datetime64[D]")
    end = begin + WEEK
    if person.first_day is not None:
        begin = np.maximum(begin, np.datetime64(person.first_day, "D"))
    if person.last_day is not None:
        end = np.minimum(end, np.datetime64(person.last_day, "D") + ONE_DAY)
    holidays = sorted(calendar.holidays | person.days_off)
    return per_day * _busdays(begin, end, _mask(person.weekdays), holidays).astype(float)


# Days either side of the window a task's working days are counted over; a task running
# further out (years) has its spread worked out as if it ended there.
SPAN_DAYS_MAX = 800


def _working_days(
    people: list[Person], calendar: WorkCalendar, origin: int, days: int
) -> np.ndarray:
    """People x days: whether each day from ordinal `origin` is a working day of the
    schedule's calendar for that person (the workspace's weekend and holidays, their days
    off)."""
    ordinals = origin + np.arange(days)
    weekday = (ordinals - 1) % 7  # ordinal 1 (1 January of year 1) was a Monday
    base = ~np.isin(weekday, sorted(calendar.weekend))
    base &= ~np.isin(ordinals, [d.toordinal() for d in calendar.holidays])
    matrix = np.tile(base, (len(people), 1))
    for row, person in enumerate(people):
        if person.days_off:
            matrix[row] &= ~np.isin(ordinals, [d.toordinal() for d in person.days_off])
    return matrix


def load_grid(
    people: list[Person],
    work: list[Work],
    calendar: WorkCalendar,
    first_week: dt.date,
    weeks: int,
) -> LoadGrid:
    """People x weeks booked and available hours from the Monday of `first_week` on; work
    owned by someone not in `people` is left out."""
    mondays = week_starts(first_week, weeks)
    rows = {p.id: k for k, p in enumerate(people)}
    available = np.array([available_hours(p, calendar, mondays) for p in people]).reshape(
        len(people), weeks
    )
    booked = np.zeros((len(people), weeks))
    cells: dict[tuple[int, int], list[tuple[int, float]]] = {}
    owned = [w for w in work if w.owner_id in rows and w.hours > 0]
    if not owned:
        return LoadGrid(mondays, [p.id for p in people], available, booked, cells)
    n = len(owned)
    first = mondays[0].toordinal()
    start = np.fromiter((w.start.toordinal() for w in owned), dtype=np.int64, count=n)
    end = np.fromiter((w.due.toordinal() for w in owned), dtype=np.int64, count=n) + 1
    origin = max(min(int(start.min()), first), first - SPAN_DAYS_MAX)
    last = first + 7 * weeks
    days = min(max(int(end.max()), last), last + SPAN_DAYS_MAX) - origin
    # Working days before each day, per person: a span's working days are a difference.
    before = np.zeros((len(people), days + 1), dtype=np.int64)
    np.cumsum(_working_days(people, calendar, origin, days), axis=1, out=before[:, 1:])
    row = np.fromiter((rows[w.owner_id] for w in owned), dtype=np.int64, count=n)
    lo = np.clip(start - origin, 0, days)
    hi = np.clip(end - origin, 0, days)
    hours = np.fromiter((w.hours for w in owned), dtype=float, count=n)
    total = before[row, hi] - before[row, np.minimum(lo, hi)]
    bounds = (first - origin) + 7 * np.arange(weeks + 1)
    a = np.maximum(lo[:, None], bounds[None, :-1])
    b = np.maximum(np.minimum(hi[:, None], bounds[None, 1:]), a)
    share = hours / np.maximum(total, 1)
    spread = (before[row[:, None], b] - before[row[:, None], a]) * share[:, None]
    # Work the calendar gives no working day (all days off): booked on its first day's week.
    empty = np.flatnonzero(total == 0)
    if empty.size:
        week_of = (start[empty] - first) // 7
        inside = (week_of >= 0) & (week_of < weeks)
        spread[empty[inside], week_of[inside]] = hours[empty[inside]]
    np.add.at(booked, row, spread)
    t_idx, w_idx = np.nonzero(spread)
    values = spread[t_idx, w_idx].tolist()
    owners = row[t_idx].tolist()
    for t, r, wk, h in zip(t_idx.tolist(), owners, w_idx.tolist(), values, strict=True):
        cells.setdefault((r, wk), []).append((owned[t].id, h))
    return LoadGrid(mondays, [p.id for p in people], available, booked, cells)


def hours_between(
    work: list[Work],
    days_off: frozenset[dt.date],
    calendar: WorkCalendar,
    first: dt.date,
    last: dt.date,
) -> np.ndarray:
    """The hours of each task (all one owner's, with these days off) that fall from `first`
    to `last` inclusive."""
    if not work:
        return np.zeros(0)
    mask = [d not in calendar.weekend for d in range(7)]
    holidays = sorted(calendar.holidays | days_off)
    start = np.array([w.start for w in work], dtype="datetime64[D]")
    stop = np.array([w.due for w in work], dtype="datetime64[D]") + ONE_DAY
    hours = np.array([w.hours for w in work], dtype=float)
    total = _busdays(start, stop, mask, holidays)
    lo = np.maximum(start, np.datetime64(first, "D"))
    hi = np.minimum(stop, np.datetime64(last, "D") + ONE_DAY)
    inside = _busdays(lo, hi, mask, holidays)
    return np.asarray(hours * inside / np.maximum(total, 1))


def free_hours(
    person: Person,
    work: list[Work],
    calendar: WorkCalendar,
    first: dt.date,
    last: dt.date,
) -> float:
    """The person's available hours from `first` to `last` inclusive, less the hours of
    their work that falls in those days."""
    per_day = person.weekly_hours / len(person.weekdays) if person.weekdays else 0.0
    begin = np.datetime64(first, "D")
    end = np.datetime64(last, "D") + ONE_DAY
    if person.first_day is not None:
        begin = max(begin, np.datetime64(person.first_day, "D"))
    if person.last_day is not None:
        end = min(end, np.datetime64(person.last_day, "D") + ONE_DAY)
    holidays = sorted(calendar.holidays | person.days_off)
    days = int(_busdays(np.array(begin), np.array(end), _mask(person.weekdays), holidays))
    own = [w for w in work if w.owner_id == person.id and w.hours > 0]
    booked = float(hours_between(own, person.days_off, calendar, first, last).sum())
    return max(per_day * days - booked, 0.0)


__all__ = [
    "LoadGrid",
    "Person",
    "Work",
    "available_hours",
    "effort_hours",
    "free_hours",
    "hours_between",
    "load_grid",
    "monday",
    "week_starts",
]
