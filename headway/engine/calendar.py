"""Working calendars: weekends, workspace holidays and per-person days off.

Offsets count working days from a start date: offset 0 is the first working day on or after
the start. A task of duration d starting at offset s works on offsets s .. s+d-1.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, cast

import numpy as np

from headway.engine.cpm import Unavailable

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class WorkCalendar:
    weekend: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[dt.date] = frozenset()
    days_off: frozenset[dt.date] = field(default_factory=frozenset)  # one person's

    def for_person(self, days_off: Iterable[dt.date]) -> WorkCalendar:
        return WorkCalendar(self.weekend, self.holidays, frozenset(days_off) | self.days_off)

    def is_working(self, day: dt.date) -> bool:
        return (
            day.weekday() not in self.weekend
            and day not in self.holidays
            and day not in self.days_off
        )

    def next_working(self, day: dt.date) -> dt.date:
        if len(self.weekend) >= 7:
            raise ValueError("the calendar has no working days")
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working(self, day: dt.date) -> dt.date:
        while not self.is_working(day):
            day -= dt.timedelta(days=1)
        return day

    def add(self, day: dt.date, n: int) -> dt.date:
        """The working day n working days after (or before, for negative n) a working `day`."""
        day = self.next_working(day) if n >= 0 else self.previous_working(day)
        step = 1 if n >= 0 else -1
        for _ in range(abs(n)):
            day += dt.timedelta(days=step)
            while not self.is_working(day):
                day += dt.timedelta(days=step)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for k in range((end - start).days) if self.is_working(start + dt.timedelta(days=k))
        )

    def start_date(self, project_start: dt.date, offset: float) -> dt.date:
        return self.add(project_start, math.floor(offset + 1e-9))

    def finish_date(self, project_start: dt.date, start: float, finish: float) -> dt.date:
        """The last working day of work that runs from offset `start` to `finish`."""
        last = max(math.ceil(finish - 1e-9) - 1, math.floor(start + 1e-9))
        return self.add(project_start, last)


class BusinessDays:
    """A calendar's working-day arithmetic done by NumPy's business-day functions: the same
    answers as WorkCalendar's day-by-day walks, for many days at once."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.numpy = _numpy_calendar(calendar)

    def add(self, day: dt.date, n: int) -> dt.date:
        """As WorkCalendar.add: from the working day on or after (n >= 0) or on or before
        (n < 0) `day`, n working days on."""
        return self._offset(day, n, "forward" if n >= 0 else "backward")

    def next_working(self, day: dt.date) -> dt.date:
        return self._offset(day, 0, "forward")

    def previous_working(self, day: dt.date) -> dt.date:
        return self._offset(day, 0, "backward")

    def _offset(self, day: dt.date, n: int, roll: Literal["forward", "backward"]) -> dt.date:
        found = np.busday_offset(np.datetime64(day, "D"), n, roll=roll, busdaycal=self.numpy)
        return cast(dt.date, _python_dates(found).item())

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); negative when end is before start."""
        if end < start:
            # NumPy counts a backward span as (end, start]; the calendar counts [end, start).
            return -self.between(end, start)
        return int(np.busday_count(start, end, busdaycal=self.numpy))

    def dates(self, origin: dt.date, offsets: np.ndarray) -> list[dt.date]:
        """The dates of working-day offsets from a working day `origin` (offset 0)."""
        found = np.busday_offset(
            np.datetime64(origin, "D"), offsets, roll="forward", busdaycal=self.numpy
        )
        return cast(list[dt.date], _python_dates(found).tolist())


_FIRST_DAY = np.datetime64(dt.date.min, "D")
_LAST_DAY = np.datetime64(dt.date.max, "D")


def _python_dates(found: np.ndarray | np.datetime64) -> np.ndarray | np.datetime64:
    """Days NumPy found, refused with OverflowError (as date arithmetic refuses them) when
    they fall outside the years 1-9999 a date can hold; inside, they convert to dates."""
    if np.size(found) and (np.min(found) < _FIRST_DAY or np.max(found) > _LAST_DAY):
        raise OverflowError("date value out of range")
    return found


@functools.lru_cache(maxsize=64)
def _numpy_calendar(calendar: WorkCalendar) -> np.busdaycalendar:
    if len(calendar.weekend) >= 7:
        raise ValueError("the calendar has no working days")
    return np.busdaycalendar(
        weekmask=[day not in calendar.weekend for day in range(7)],
        holidays=sorted(calendar.holidays | calendar.days_off),
    )


class WorkingDays:
    """The working days of a calendar from a start, offset 0 first: listed once and
    extended on demand, so mapping many offsets to dates costs one walk, not one each."""

    def __init__(self, calendar: WorkCalendar, start: dt.date) -> None:
        self.calendar = calendar
        self.days = [calendar.next_working(start)]

    def __getitem__(self, offset: int) -> dt.date:
        if offset < 0:
            return self.calendar.add(self.days[0], offset)
        days = self.days
        while len(days) <= offset:
            day = days[-1] + dt.timedelta(days=1)
            while not self.calendar.is_working(day):
                day += dt.timedelta(days=1)
            days.append(day)
        return days[offset]

    def start_date(self, offset: float) -> dt.date:
        return self[math.floor(offset + 1e-9)]

    def finish_date(self, start: float, finish: float) -> dt.date:
        """The last working day of work that runs from offset `start` to `finish`."""
        return self[max(math.ceil(finish - 1e-9) - 1, math.floor(start + 1e-9))]


def _day_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first.day} {first:%B}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%B}"
    return f"{first.day} {first:%B}-{last.day} {last:%B}"


def away_offsets(
    calendar: WorkCalendar, project_start: dt.date, days_off: Iterable[dt.date], who: str
) -> Unavailable | None:
    """A person's days off as runs of working-day offsets of `calendar` from
    `project_start`, worded "Dana off 3-5 March"; days that are not working days anyway (and
    days before the start) are left out. None when no working day is lost."""
    days = BusinessDays(calendar)
    origin = days.next_working(project_start)
    wanted = np.array(sorted(d for d in set(days_off) if d >= origin), dtype="datetime64[D]")
    wanted = wanted[np.is_busday(wanted, busdaycal=days.numpy)]
    offsets = np.busday_count(origin, wanted, busdaycal=days.numpy).tolist()
    runs: list[tuple[int, int, dt.date, dt.date]] = []
    for day, offset in zip(wanted.tolist(), offsets, strict=True):
        if runs and runs[-1][1] == offset - 1:
            runs[-1] = (runs[-1][0], offset, runs[-1][2], day)
        else:
            runs.append((offset, offset, day, day))
    if not runs:
        return None
    return Unavailable(
        tuple((a, b, f"{who} off {_day_range(first, last)}") for a, b, first, last in runs)
    )


@dataclass(frozen=True)
class BackwardPlan:
    start: dt.date  # the latest start that still meets the launch
    launch: dt.date
    feasible: bool
    short_by: int  # working days the plan is too long for the launch date


def plan_backward(
    calendar: WorkCalendar, duration: float, launch: dt.date, earliest_start: dt.date
) -> BackwardPlan:
    """Backward scheduling: the latest start that finishes `duration` working days of network
    by the launch date, and by how many working days it is infeasible when that start is
    before `earliest_start`."""
    days = max(math.ceil(duration - 1e-9), 1)
    last = calendar.previous_working(launch)
    start = calendar.add(last, -(days - 1))
    earliest = calendar.next_working(earliest_start)
    short = calendar.working_days_between(start, earliest) if start < earliest else 0
    return BackwardPlan(
        start=max(start, earliest) if short else start,
        launch=launch,
        feasible=short == 0,
        short_by=short,
    )


def parse_calendar(spec: dict[str, object]) -> WorkCalendar:
    """A calendar from JSON: {"weekend": ["sat", "sun"], "holidays": ["2026-04-03"]}."""
    weekend_raw = spec.get("weekend", ["sat", "sun"])
    if not isinstance(weekend_raw, list):
        raise ValueError("calendar.weekend must be a list of day names such as ['sat', 'sun']")
    weekend = set()
    for day in weekend_raw:
        key = str(day).strip().lower()[:3]
        if key not in WEEKDAYS:
            raise ValueError(f"calendar.weekend: {day!r} is not a day name")
        weekend.add(WEEKDAYS[key])
    holidays = set()
    for raw in spec.get("holidays", []) or []:  # type: ignore[attr-defined]
        try:
            holidays.add(dt.date.fromisoformat(str(raw)))
        except ValueError:
            raise ValueError(f"calendar.holidays: {raw!r} is not a date like 2026-04-03") from None
    if len(weekend) >= 7:
        raise ValueError("calendar.weekend leaves no working day")
    return WorkCalendar(weekend=frozenset(weekend), holidays=frozenset(holidays))
