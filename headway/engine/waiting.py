"""Where work waits: waiting time attributed to one person, in working days.

Times are float days since 1970-01-01 in the workspace's local time (so the whole part is a
calendar day). A moment's working position is the number of working days before its day
plus, on a working day, the fraction of that day already gone; the waiting between two
moments is the difference of their positions, so nights count in proportion and weekends and
holidays not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

HOURS_PER_WORKING_DAY = 8  # an approval limit in working hours counts 8 to the day

EPOCH = np.datetime64("1970-01-01", "D")


def working_position(
    moments: npt.ArrayLike, calendar: np.busdaycalendar
) -> npt.NDArray[np.float64]:
    """Each moment's position on the working-day axis (see the module docstring). The
    working days before each day are read from a table of the calendar's days (built once
    per calendar and span of days, then kept), not counted anew per moment."""
    t = np.asarray(moments, dtype=np.float64)
    if t.size == 0:
        return t.copy()
    if not np.isfinite(t).all():
        return _counted_position(t, calendar)
    days = np.floor(t).astype(np.int64)
    if int(days.max()) - int(days.min()) > _TABLE_SPAN_MAX:
        return _counted_position(t, calendar)
    first, before, working = _day_table(calendar, int(days.min()), int(days.max()))
    at = days - first
    return before[at] + np.where(working[at], t - days, 0.0)


def working_days_before(days: npt.ArrayLike, calendar: np.busdaycalendar) -> npt.NDArray[np.int64]:
    """np.busday_count(1970-01-01, day, calendar) for each day (whole days since 1970): the
    working days between two days are the difference of theirs."""
    d = np.asarray(days, dtype=np.int64)
    if d.size == 0:
        return np.zeros(d.shape, dtype=np.int64)
    if int(d.max()) - int(d.min()) > _TABLE_SPAN_MAX:
        dates = EPOCH + d.astype("timedelta64[D]")
        return np.asarray(np.busday_count(EPOCH, dates, busdaycal=calendar), dtype=np.int64)
    first, before, _working = _day_table(calendar, int(d.min()), int(d.max()))
    return before[d - first].astype(np.int64)


def _counted_position(
    t: npt.NDArray[np.float64], calendar: np.busdaycalendar
) -> npt.NDArray[np.float64]:
    """working_position counted by numpy's business-day functions for every moment."""
    days = np.floor(t).astype(np.int64)
    dates = EPOCH + days.astype("timedelta64[D]")
    whole = np.busday_count(EPOCH, dates, busdaycal=calendar).astype(np.float64)
    working = np.is_busday(dates, busdaycal=calendar)
    return whole + np.where(working, t - days, 0.0)


# Per calendar (its week mask and holidays): the first day of the table, the working days
# before each day since 1970-01-01 (as floats) and whether each day is a working day.
_DayTable = tuple[int, npt.NDArray[np.float64], npt.NDArray[np.bool_]]
_day_tables: dict[tuple[bytes, bytes], _DayTable] = {}
_TABLE_MARGIN = 400  # days added on each side when a table is built or widened
_TABLES_KEPT = 64
_TABLE_SPAN_MAX = 100_000  # moments further apart (~270 years) are counted one by one


def _day_table(calendar: np.busdaycalendar, first: int, last: int) -> _DayTable:
    """The calendar's table covering days `first` to `last` (days since 1970-01-01)."""
    key = (calendar.weekmask.tobytes(), calendar.holidays.tobytes())
    table = _day_tables.get(key)
    if table is not None and table[0] <= first and last < table[0] + table[1].size:
        return table
    if table is not None:
        first, last = min(first, table[0]), max(last, table[0] + table[1].size - 1)
    first, last = first - _TABLE_MARGIN, last + _TABLE_MARGIN
    dates = EPOCH + np.arange(first, last + 1, dtype=np.int64).astype("timedelta64[D]")
    table = (
        first,
        np.busday_count(EPOCH, dates, busdaycal=calendar).astype(np.float64),
        np.is_busday(dates, busdaycal=calendar),
    )
    if len(_day_tables) >= _TABLES_KEPT:
        _day_tables.clear()
    _day_tables[key] = table
    return table


def working_days_between(
    start: npt.ArrayLike, end: npt.ArrayLike, calendar: np.busdaycalendar
) -> npt.NDArray[np.float64]:
    """Working days from each start to its end (0 when the end is not later)."""
    waited = working_position(end, calendar) - working_position(start, calendar)
    return np.maximum(waited, 0.0)


class DecisionRow(NamedTuple):
    """One approver's decision on a step (a tuple: a year holds tens of thousands)."""

    request: int
    round: int
    step: int
    approver: int
    at: float


@dataclass(frozen=True)
class PendingStep:
    request: int
    since: float
    approvers: tuple[int, ...]
    limit: float  # working days


@dataclass(frozen=True)
class ApproverWait:
    approver: int
    waited: float  # working days, total over the steps they decided or hold
    median: float  # working days per step
    steps: int
    past_limit: int  # requests
    rounds_per_request: float
    requests: tuple[int, ...]  # requests with a step decided past its limit or still past it
    steps_past_limit: int = 0  # decided steps (not those still waiting)
    held_past_limit: int = 0  # steps still waiting on them, past their limit


def step_waits(
    round_starts: dict[tuple[int, int], float],
    decisions: Sequence[DecisionRow],
    limits: dict[tuple[int, int], float],
    calendar: np.busdaycalendar,
) -> list[tuple[int, int, float, bool]]:
    """(approver, request, working days waited, past the limit) for each decision. A step's
    clock starts when its round starts (step 0) or when the previous step of the same round
    was last approved; each decision ends its own approver's wait."""
    step_end: dict[tuple[int, int, int], float] = {}
    for d in decisions:
        key = (d.request, d.round, d.step)
        step_end[key] = max(step_end.get(key, d.at), d.at)
    starts, ends, rows = [], [], []
    for d in decisions:
        start = (
            round_starts.get((d.request, d.round))
            if d.step == 0
            else step_end.get((d.request, d.round, d.step - 1))
        )
        if start is None:
            continue  # the log does not say when this step began
        starts.append(start)
        ends.append(d.at)
        rows.append(d)
    waited = working_days_between(starts, ends, calendar)
    return [
        (d.approver, d.request, float(w), bool(w > limits.get((d.request, d.step), np.inf)))
        for d, w in zip(rows, waited, strict=True)
    ]


def approver_waits(
    round_starts: dict[tuple[int, int], float],
    decisions: Sequence[DecisionRow],
    limits: dict[tuple[int, int], float],
    pending: Sequence[PendingStep],
    rounds: dict[int, int],
    as_of: float,
    calendar: np.busdaycalendar,
) -> list[ApproverWait]:
    """Waiting per approver, most first: decided steps, plus steps still waiting on them
    (shared equally when a step names several people). Rounds per request count the rounds
    of the requests they decided."""
    per: dict[int, list[float]] = defaultdict(list)
    late: dict[int, set[int]] = defaultdict(set)
    seen: dict[int, set[int]] = defaultdict(set)
    steps_late: dict[int, int] = defaultdict(int)
    held_late: dict[int, int] = defaultdict(int)
    for approver, request, waited, past in step_waits(round_starts, decisions, limits, calendar):
        per[approver].append(waited)
        seen[approver].add(request)
        if past:
            late[approver].add(request)
            steps_late[approver] += 1
    open_waits = working_days_between([p.since for p in pending], [as_of] * len(pending), calendar)
    for p, waited in zip(pending, open_waits, strict=True):
        for approver in p.approvers:
            per[approver].append(float(waited) / len(p.approvers))
            if waited > p.limit:
                late[approver].add(p.request)
                held_late[approver] += 1
    out = [
        ApproverWait(
            approver=a,
            waited=float(sum(w)),
            median=float(np.median(w)),
            steps=len(w),
            past_limit=len(late[a]),
            rounds_per_request=(
                float(np.mean([rounds.get(r, 1) for r in seen[a]])) if seen[a] else 0.0
            ),
            requests=tuple(sorted(late[a])),
            steps_past_limit=steps_late[a],
            held_past_limit=held_late[a],
        )
        for a, w in per.items()
    ]
    return sorted(out, key=lambda x: (-x.waited, x.approver))


@dataclass(frozen=True)
class StageLog:
    """Status moves: item, stage index, moment, and the person the stage waits on (-1 none)."""

    items: npt.NDArray[np.int64]
    stages: npt.NDArray[np.int64]
    entered: npt.NDArray[np.float64]
    who: npt.NDArray[np.int64]


@dataclass(frozen=True)
class Interval:
    items: npt.NDArray[np.int64]
    stages: npt.NDArray[np.int64]
    who: npt.NDArray[np.int64]
    working_days: npt.NDArray[np.float64]


def stage_intervals(
    log: StageLog, as_of: float, calendar: np.busdaycalendar, since: float = -np.inf
) -> Interval:
    """Each visit to a stage with its length in working days: from entering it to the item's
    next move (or `as_of` for the stage an item is still in), held by the person named; only
    the part after `since` counts."""
    order = np.lexsort((log.entered, log.items))
    ordered = StageLog(log.items[order], log.stages[order], log.entered[order], log.who[order])
    return ordered_stage_intervals(ordered, as_of, calendar, since)


def ordered_stage_intervals(
    log: StageLog, as_of: float, calendar: np.busdaycalendar, since: float = -np.inf
) -> Interval:
    """stage_intervals for a log already ordered by item, then time (stably)."""
    items, stages, entered, who = log.items, log.stages, log.entered, log.who
    # Positions are read once per move: a visit ends where the item's next one starts, and
    # a position never decreases with time, so the position of the later of two moments is
    # the larger of their positions (the same values as working_days_between(max(entered,
    # since), max(next entry or as_of, that)), to the bit).
    at = working_position(entered, calendar)
    begin = at if since == -np.inf else np.maximum(at, working_position([since], calendar)[0])
    left = np.full(entered.shape, working_position([as_of], calendar)[0], dtype=np.float64)
    same = items[1:] == items[:-1]
    left[:-1] = np.where(same, at[1:], left[:-1])
    end = np.maximum(left, begin)
    return Interval(items, stages, who, np.maximum(end - begin, 0.0))


def held_by(intervals: Interval, stage: int) -> dict[int, float]:
    """Working days spent in `stage`, per person holding it (people named only)."""
    mask = (intervals.stages == stage) & (intervals.who >= 0)
    totals: dict[int, float] = defaultdict(float)
    for person, days in zip(
        intervals.who[mask].tolist(), intervals.working_days[mask].tolist(), strict=True
    ):
        totals[person] += days
    return dict(totals)


def late_shares(rows: Iterable[tuple[int, float, float | None]]) -> dict[int, tuple[int, int]]:
    """(finished after due, finished with a due date) per owner from (owner, due day, done
    day) rows; a task finished on its due day is on time."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for owner, due, done in rows:
        if done is None:
            continue
        out[owner][1] += 1
        if np.floor(done) > due:
            out[owner][0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}
