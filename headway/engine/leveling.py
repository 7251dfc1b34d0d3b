"""Resource levelling: the plan moved so that nobody works over their hours, by a serial
schedule-generation scheme (tasks placed one at a time, each as early as its links and its
owner's free hours allow).

Public interface (kept stable; the what-if scenarios call it):

    level(tasks, links, people, calendar) -> LevelResult

- `tasks`: `LevelTask`s, each with its unlevelled `start` (a levelled task never starts
  earlier), its `duration` in working days of its owner, its `hours_per_day` of effort, its
  owner (None: nobody's hours are used), its total float and its campaign's launch date
  (the priority), and its campaign and title (for the explanations). `fixed` tasks (already
  started) keep their dates; their hours still take up their owner's time.
- `links`: `PlanLink`s of the dated scheduler (FS, SS, FF, SF with a lag in working days)
  between task ids.
- `people`: the load engine's `Person`s: weekly hours shared over their weekdays, days off,
  first and last day of an engagement. A day's capacity is that share on a day the person
  works, 0 on any other.
- `calendar`: the workspace's `WorkCalendar` (weekend, holidays); days are its working days.

Priority: least total float first, then the earliest launch date, then the smallest id. A
task works `duration` of its owner's working days in a row (it skips the days they are
away, as the dated scheduler does) and needs `hours_per_day` free on each; a task whose
hours per day alone exceed its owner's daily capacity runs at their full capacity and is
listed in `LevelResult.over_capacity` (it is not delayed for ever). A task whose owner is
not among `people`, or has no working day left for it (an engagement over, no hours), uses
nobody's hours and is listed in `LevelResult.unstaffed`.

Out: `LevelResult.tasks[id]` is a `LevelledTask` with the levelled start and due date, the
working days it moved, and for a task that moved the `Wait` that moved it: the owner busy
on a blocking task until a date (kind PERSON), the owner away (AWAY), or a predecessor that
moved (PREDECESSOR; `LevelResult.root_wait` follows those to the person it waits for).
The busy task named is the one occupying the owner on the day before the task starts that
frees them first. Raises NetworkError for a bad network, LevelError for negative hours or a
plan that would run more than twenty years ahead.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import PlanLink
from headway.engine.load import Person
from headway.engine.network import LinkType, NetworkError

EPS = 1e-9
# A task that finds no room within this many working days of the plan's first day (about
# twenty years) is refused: its owner has no hours left for it.
HORIZON_MAX = 5200
_CHUNK = 260


@dataclass(frozen=True)
class LevelTask:
    id: int
    start: dt.date  # the unlevelled start
    duration: int  # working days of its owner (0: a milestone, which uses no hours)
    hours_per_day: float = 0.0
    owner_id: int | None = None
    total_float: float = 0.0
    launch: dt.date | None = None  # its campaign's launch date
    campaign_id: int | None = None
    campaign: str = ""
    title: str = ""
    fixed: bool = False  # already started: keeps its dates


class WaitKind(StrEnum):
    PERSON = "person"  # the owner is busy on another task
    AWAY = "away"  # the owner does not work on the days the task would have started
    PREDECESSOR = "predecessor"  # a task it depends on moved


@dataclass(frozen=True)
class Wait:
    kind: WaitKind
    person_id: int | None = None  # the owner (PERSON, AWAY)
    task_id: int | None = None  # the blocking task (PERSON) or the predecessor (PREDECESSOR)
    until: dt.date | None = None  # the blocking task's or predecessor's levelled last day


@dataclass(frozen=True)
class LevelledTask:
    id: int
    start: dt.date
    due: dt.date  # the last working day (a milestone: its day)
    original_start: dt.date
    original_due: dt.date
    moved_days: int  # working days the start moved
    wait: Wait | None = None  # why it moved; None when it did not
    over_capacity: bool = False  # needs more hours a day than its owner has
    unstaffed: bool = False  # its owner has no hours for it (unknown, none left)

    @property
    def moved(self) -> bool:
        return self.moved_days > 0


@dataclass
class LevelResult:
    tasks: dict[int, LevelledTask]
    over_capacity: list[int] = field(default_factory=list)  # task ids, run at full capacity
    unstaffed: list[int] = field(default_factory=list)  # task ids placed using nobody's hours

    @property
    def moved(self) -> list[LevelledTask]:
        """The tasks that moved, most moved first."""
        found = [t for t in self.tasks.values() if t.moved]
        return sorted(found, key=lambda t: (-t.moved_days, t.start, t.id))

    def root_wait(self, task_id: int) -> Wait | None:
        """The person a task waits for, through the predecessors that moved it (or the last
        predecessor when the chain ends without one)."""
        found = self.root_cause(task_id)
        return None if found is None else found[1]

    def root_cause(self, task_id: int) -> tuple[int, Wait] | None:
        """The last task up the chain of predecessor waits from `task_id`, with its wait: a
        person's (or time away) when the chain ends at one, else the last predecessor's.
        None when the task waits for nothing."""
        found: tuple[int, Wait] | None = None
        seen = set()
        current: int | None = task_id
        while current is not None and current not in seen:
            seen.add(current)
            wait = self.tasks[current].wait
            if wait is None:
                break
            found = (current, wait)
            if wait.kind != WaitKind.PREDECESSOR:
                break
            current = wait.task_id
        return found


class LevelError(ValueError):
    """Tasks that cannot be levelled; `task_id` names the one at fault."""

    def __init__(self, message: str, task_id: int | None = None) -> None:
        super().__init__(message)
        self.task_id = task_id


def level(
    tasks: Sequence[LevelTask],
    links: Sequence[PlanLink],
    people: Sequence[Person],
    calendar: WorkCalendar,
) -> LevelResult:
    """The levelled schedule of `tasks` (see the module's docstring). Raises NetworkError for a
    bad network (a duplicate id, a link to an unknown task, a cycle) and LevelError for a
    task that cannot be placed."""
    if not tasks:
        return LevelResult({})
    return _Leveller(tasks, links, people, calendar).run()


# One link as the successor sees it: (predecessor index, from its finish, binds the
# successor's finish, lag).
_Arc = tuple[int, bool, bool, int]


class _Leveller:
    def __init__(
        self,
        tasks: Sequence[LevelTask],
        links: Sequence[PlanLink],
        people: Sequence[Person],
        calendar: WorkCalendar,
    ) -> None:
        self.tasks = list(tasks)
        self.index = _index(self.tasks)
        self.incoming, self.outgoing = _arcs(self.tasks, self.index, links)
        self.people = {p.id: p for p in people}
        self.days = BusinessDays(calendar)
        self.origin = self.days.next_working(min(t.start for t in self.tasks))
        n = len(self.tasks)
        self.earliest = _offsets(self.days, self.origin, [t.start for t in self.tasks])
        self.start = [0] * n
        self.finish = [0] * n
        self.last = [0] * n  # the last working day (offset) of each task
        self.waits: list[Wait | None] = [None] * n
        self.over: set[int] = set()
        self.unstaffed: set[int] = set()
        self.horizon = 0
        self.dates: list[dt.date] = []
        self.ends = {p.id: _end_offset(p, self.days, self.origin) for p in people}
        # Per person: the offsets of the days they work, the hours left on each day of the
        # timeline, and the tasks booked on each day.
        self.workdays: dict[int, list[int]] = {p.id: [] for p in people}
        self.free: dict[int, list[float]] = {p.id: [] for p in people}
        self.occupants: dict[int, list[list[int]]] = {p.id: [] for p in people}
        # Per person, over the indices of their working days: a pointer towards the next
        # day that is not fully booked (a union-find with path compression), so a search
        # past weeks of full days skips them instead of visiting each one.
        self.skip: dict[int, list[int]] = {p.id: [] for p in people}
        self._grow(max(self.earliest) + _CHUNK)

    # -- the timeline ----------------------------------------------------------------

    def _grow(self, days: int) -> None:
        """Extends the timeline to at least `days` working days from the origin."""
        if days <= self.horizon:
            return
        if days > HORIZON_MAX + _CHUNK:
            raise LevelError("the plan runs further than twenty years ahead")
        new = max(days, 2 * self.horizon)
        offsets = np.arange(self.horizon, new)
        found = np.busday_offset(
            np.datetime64(self.origin, "D"), offsets, roll="forward", busdaycal=self.days.numpy
        )
        self.dates.extend(found.tolist())
        weekday = (found.astype(np.int64) + 3) % 7  # 1 January 1970 was a Thursday
        for person in self.people.values():
            row = _capacity_row(person, found, weekday)
            works = (np.flatnonzero(row > 0) + self.horizon).tolist()
            skip = self.skip[person.id]
            skip.extend(range(len(skip), len(skip) + len(works)))
            self.workdays[person.id].extend(works)
            self.free[person.id].extend(row.tolist())
            self.occupants[person.id].extend([] for _ in range(len(row)))
        self.horizon = new

    def _date(self, offset: int) -> dt.date:
        self._grow(offset + 1)
        if offset < 0:
            return self.days.add(self.origin, offset)
        return self.dates[offset]

    # -- placing ---------------------------------------------------------------------

    def run(self) -> LevelResult:
        n = len(self.tasks)
        placed = [False] * n
        for i, t in enumerate(self.tasks):
            if t.fixed:
                self._place_fixed(i)
                placed[i] = True
        waiting = [sum(1 for arc in self.incoming[i] if not placed[arc[0]]) for i in range(n)]
        ready = [(self._priority(i), i) for i in range(n) if not placed[i] and not waiting[i]]
        heapq.heapify(ready)
        while ready:
            _, i = heapq.heappop(ready)
            self._place(i)
            placed[i] = True
            for s in self.outgoing[i]:
                if placed[s]:
                    continue
                waiting[s] -= 1
                if waiting[s] == 0:
                    heapq.heappush(ready, (self._priority(s), s))
        if not all(placed):
            stuck = next(i for i in range(n) if not placed[i])
            raise NetworkError(
                f"the links form a cycle through task {self.tasks[stuck].id}",
                (str(self.tasks[stuck].id),),
            )
        return self._result()

    def _priority(self, i: int) -> tuple[float, dt.date, int]:
        t = self.tasks[i]
        return (t.total_float, t.launch or dt.date.max, t.id)

    def _owner(self, i: int) -> Person | None:
        """The task's owner; a task owned by someone not among the people (nor with hours)
        is listed as unstaffed and uses nobody's hours."""
        t = self.tasks[i]
        if t.owner_id is None:
            return None
        owner = self.people.get(t.owner_id)
        if owner is None and t.duration > 0:
            self.unstaffed.add(t.id)
        return owner

    def _place_fixed(self, i: int) -> None:
        t = self.tasks[i]
        at = self.earliest[i]
        owner = self._owner(i)
        days = self._work_days(owner, at, t.duration)
        if days is None:
            self.unstaffed.add(t.id)
            owner, days = None, self._work_days(None, at, t.duration)
        assert days is not None
        self._book(i, owner, days, at)

    def _place(self, i: int) -> None:
        t = self.tasks[i]
        owner = self._owner(i)
        at, finish_bound, wait = self._link_bounds(i)
        need = 0.0
        if owner is not None and t.duration > 0:
            daily = _daily(owner)
            need = min(t.hours_per_day, daily)
            if t.hours_per_day > daily + EPS:
                self.over.add(t.id)
        while True:
            found = self._first_fit(owner, at, t.duration, need)
            if found is None:  # the owner has no hours left for it: nobody's hours are used
                self.unstaffed.add(t.id)
                owner, need = None, 0.0
                continue
            days, clash = found
            if clash is not None:
                assert owner is not None
                wait = Wait(WaitKind.PERSON, owner.id, self.tasks[self._blocker(owner, clash)].id)
            elif days and days[0] > at and wait is None:
                wait = Wait(WaitKind.AWAY, person_id=t.owner_id)
            end = days[-1] + 1 if days else at
            if end >= finish_bound:
                break
            at = max(at + 1, self._start_to_finish_by(owner, finish_bound, t.duration))
            wait = self._finish_wait(i, finish_bound)
        self._book(i, owner, days, at, need)
        self.waits[i] = wait

    def _link_bounds(self, i: int) -> tuple[int, int, Wait | None]:
        """The earliest start and finish the links allow (never before the unlevelled
        start), and the predecessor that sets the start when it is past the unlevelled one."""
        start = self.earliest[i]
        finish = 0
        wait: Wait | None = None
        for p, from_finish, to_finish, lag in self.incoming[i]:
            v = (self.finish[p] if from_finish else self.start[p]) + lag
            if to_finish:
                finish = max(finish, v)
            elif v > start:
                start = v
                wait = Wait(WaitKind.PREDECESSOR, task_id=self.tasks[p].id)
        return start, finish, wait

    def _finish_wait(self, i: int, finish_bound: int) -> Wait | None:
        for p, from_finish, to_finish, lag in self.incoming[i]:
            v = (self.finish[p] if from_finish else self.start[p]) + lag
            if to_finish and v == finish_bound:
                return Wait(WaitKind.PREDECESSOR, task_id=self.tasks[p].id)
        return None

    def _work_days(self, owner: Person | None, at: int, duration: int) -> list[int] | None:
        """The `duration` working days of the owner from `at` on (the calendar's days for a
        task nobody owns); None when the owner has no more working days."""
        found = self._first_fit(owner, at, duration, 0.0)
        return None if found is None else found[0]

    def _first_fit(
        self, owner: Person | None, at: int, duration: int, need: float
    ) -> tuple[list[int], int | None] | None:
        """The first `duration` working days in a row of the owner from `at` on with `need`
        hours free on each, and the busy day just before them when there is one (the day the
        task waits on); None when the owner has no more working days."""
        if duration <= 0:
            return [], None
        if owner is None:
            self._grow(at + duration)
            return list(range(at, at + duration)), None
        pid = owner.id
        workdays, free = self.workdays[pid], self.free[pid]
        first = j = bisect.bisect_left(workdays, at)
        if need <= 0:  # no hours to find: its owner's next working days
            if not self._reach(pid, first + duration):
                return None
            return workdays[first : first + duration], None
        run = first  # where the current run of days with room began
        while j - run < duration:
            if j >= len(workdays):
                if not self._reach(pid, j + duration + _CHUNK) and j >= len(workdays):
                    return None
                workdays, free = self.workdays[pid], self.free[pid]
                continue
            if free[workdays[j]] + EPS < need:
                run = j = self._next_room(pid, j + 1)
                continue
            j += 1
        # A run found after the first day follows a busy day: the one the task waits on.
        clash = workdays[run - 1] if run > first else None
        return workdays[run : run + duration], clash

    def _start_to_finish_by(self, owner: Person | None, finish: int, duration: int) -> int:
        """The earliest start from which `duration` working days of the owner end at or
        after `finish` (an exclusive offset)."""
        if owner is None or duration <= 0:
            return finish - max(duration, 0)
        pid = owner.id
        while self.horizon < finish and self.horizon < self.ends[pid]:
            self._grow(2 * self.horizon)
        workdays = self.workdays[pid]
        last = bisect.bisect_left(workdays, finish - 1)  # the first day it may end on
        if last >= len(workdays):
            return finish - duration  # the owner has no day that late: reported unstaffed
        return workdays[max(last - duration + 1, 0)]

    def _next_room(self, pid: int, j: int) -> int:
        """The index of the person's first working day from index `j` on that is not fully
        booked (or the end of their days so far)."""
        skip = self.skip[pid]
        root = j
        while root < len(skip) and skip[root] != root:
            root = skip[root]
        while j < root:  # compress the path walked
            skip[j], j = root, skip[j]
        return root

    def _reach(self, pid: int, count: int) -> bool:
        """Extends the timeline until the person has `count` working days in it; False when
        they have no more (an engagement over, no hours)."""
        while len(self.workdays[pid]) < count:
            if self.horizon >= self.ends[pid]:
                return False
            self._grow(2 * self.horizon)
        return True

    def _blocker(self, owner: Person, day: int) -> int:
        """The task occupying the owner on `day` that frees them first."""
        busy = self.occupants[owner.id][day]
        return min(busy, key=lambda b: (self.last[b], self.tasks[b].id))

    def _book(
        self, i: int, owner: Person | None, days: list[int], at: int, need: float | None = None
    ) -> None:
        t = self.tasks[i]
        self.start[i] = days[0] if days else at
        self.finish[i] = days[-1] + 1 if days else at
        self.last[i] = days[-1] if days else at
        if owner is None or not days:
            return
        if need is None:
            need = min(t.hours_per_day, _daily(owner))
        free = self.free[owner.id]
        occupants = self.occupants[owner.id]
        skip = self.skip[owner.id]
        index = bisect.bisect_left(self.workdays[owner.id], days[0])
        for k, day in enumerate(days):
            free[day] -= need
            occupants[day].append(i)
            if free[day] <= EPS:
                skip[index + k] = index + k + 1

    def _result(self) -> LevelResult:
        out: dict[int, LevelledTask] = {}
        for i, t in enumerate(self.tasks):
            wait = self.waits[i]
            if wait is not None and wait.task_id is not None:
                j = self.index[wait.task_id]
                wait = Wait(wait.kind, wait.person_id, wait.task_id, self._date(self.last[j]))
            start = self._date(self.start[i])
            due = self._date(self.last[i])
            original_due = self._original_due(i)
            moved = self.start[i] - self.earliest[i]
            out[t.id] = LevelledTask(
                id=t.id,
                start=start,
                due=due,
                original_start=self._date(self.earliest[i]),
                original_due=original_due,
                moved_days=max(moved, 0),
                wait=wait if moved > 0 else None,
                over_capacity=t.id in self.over,
                unstaffed=t.id in self.unstaffed,
            )
        return LevelResult(out, sorted(self.over), sorted(self.unstaffed))

    def _original_due(self, i: int) -> dt.date:
        t = self.tasks[i]
        owner = None if t.id in self.unstaffed else self._owner(i)
        days = self._work_days(owner, self.earliest[i], t.duration)
        return self._date(days[-1] if days else self.earliest[i])


def _index(tasks: list[LevelTask]) -> dict[int, int]:
    index: dict[int, int] = {}
    for k, t in enumerate(tasks):
        if t.id in index:
            raise NetworkError(f"task {t.id} appears twice", (str(t.id),))
        if t.duration < 0:
            raise NetworkError(f"task {t.id}: the duration {t.duration} is negative", (str(t.id),))
        if t.hours_per_day < 0:
            raise LevelError(f"task {t.id}: {t.hours_per_day} hours a day is negative", t.id)
        index[t.id] = k
    return index


def _arcs(
    tasks: list[LevelTask], index: dict[int, int], links: Sequence[PlanLink]
) -> tuple[list[list[_Arc]], list[list[int]]]:
    incoming: list[list[_Arc]] = [[] for _ in tasks]
    outgoing: list[list[int]] = [[] for _ in tasks]
    for link in links:
        p, s = index.get(link.predecessor), index.get(link.successor)
        if p is None or s is None:
            unknown = link.predecessor if p is None else link.successor
            raise NetworkError(
                f"link {link.predecessor} -> {link.successor}: unknown task {unknown}",
                (str(unknown),),
            )
        if p == s:
            raise NetworkError(f"task {link.predecessor} depends on itself", (str(p),))
        kind = LinkType(link.type)
        incoming[s].append((p, kind.from_finish, kind.to_finish, int(link.lag)))
        outgoing[p].append(s)
    return incoming, outgoing


def _offsets(days: BusinessDays, origin: dt.date, starts: list[dt.date]) -> list[int]:
    """Each start's working-day offset from the origin (a start on a day off counts from the
    next working day)."""
    counted = np.busday_count(
        np.datetime64(origin, "D"), np.array(starts, dtype="datetime64[D]"), busdaycal=days.numpy
    )
    # NumPy counts a span ending before the origin as negative: such a start (a day off just
    # before the origin) begins on the origin.
    return [max(int(x), 0) for x in counted]


def _daily(person: Person) -> float:
    return person.weekly_hours / len(person.weekdays) if person.weekdays else 0.0


def _end_offset(person: Person, days: BusinessDays, origin: dt.date) -> float:
    """The offset after the person's last working day: never for someone without a last
    day, the origin for someone without hours."""
    if person.weekly_hours <= 0 or not person.weekdays:
        return 0
    if person.last_day is None:
        return float("inf")
    return max(days.between(origin, person.last_day + dt.timedelta(days=1)), 0)


def _capacity_row(person: Person, dates: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """The person's hours on each of `dates` (working days of the calendar)."""
    if not person.weekdays or person.weekly_hours <= 0:
        return np.zeros(len(dates))
    works = np.isin(weekday, sorted(person.weekdays))
    if person.days_off:
        works &= ~np.isin(dates, np.array(sorted(person.days_off), dtype="datetime64[D]"))
    if person.first_day is not None:
        works &= dates >= np.datetime64(person.first_day, "D")
    if person.last_day is not None:
        works &= dates <= np.datetime64(person.last_day, "D")
    return np.where(works, person.weekly_hours / len(person.weekdays), 0.0)


__all__ = [
    "HORIZON_MAX",
    "LevelError",
    "LevelResult",
    "LevelTask",
    "LevelledTask",
    "PlanLink",
    "Wait",
    "WaitKind",
    "level",
]
