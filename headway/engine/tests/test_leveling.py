"""Resource levelling: a published instance, hand-worked cases and properties on random
plans."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import PlanLink
from headway.engine.leveling import (
    LevelError,
    LevelResult,
    LevelTask,
    Wait,
    WaitKind,
    level,
)
from headway.engine.load import Person
from headway.engine.network import NetworkError

MONDAY = dt.date(2026, 3, 2)
EVERY_DAY = WorkCalendar(weekend=frozenset())  # day k is offset k: textbook time units
WEEK = WorkCalendar()
PRIYA = Person(7, 32.0)  # 6.4 h a day, Monday to Friday


def day(k: int) -> dt.date:
    return MONDAY + dt.timedelta(days=k)


def offsets(result: LevelResult) -> dict[int, tuple[int, int]]:
    """Each task's (start, finish) as day numbers, finish exclusive (EVERY_DAY calendar)."""
    return {
        t.id: ((t.start - MONDAY).days, (t.due - MONDAY).days + 1) for t in result.tasks.values()
    }


# -- a published instance ---------------------------------------------------------------
#
# R. L. Graham, "Bounds on multiprocessing timing anomalies", SIAM Journal on Applied
# Mathematics 17(2), 1969: nine tasks on identical processors, T1 before T9 and T4 before
# T5-T8. On three processors the shortest schedule takes 12 units (T1 then T9 run back to
# back); Graham's list scheduling in the order T1..T9 takes 12 on three processors but 15 on
# four (the "anomaly"). Here processors are one person's hours: 1 h a day per task, 3 (or
# 4) h a day of capacity. Total floats from the unlevelled (critical path) schedule, whose
# finish is 12: T1, T9: 0; T4-T8: 6; T2, T3: 10.

GRAHAM_DURATIONS = {1: 3, 2: 2, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 8: 4, 9: 9}
GRAHAM_EARLY_START = {1: 0, 2: 0, 3: 0, 4: 0, 5: 2, 6: 2, 7: 2, 8: 2, 9: 3}
GRAHAM_FLOAT = {1: 0, 2: 10, 3: 10, 4: 6, 5: 6, 6: 6, 7: 6, 8: 6, 9: 0}
GRAHAM_LINKS = [PlanLink(1, 9, "FS", 0)] + [PlanLink(4, s, "FS", 0) for s in (5, 6, 7, 8)]


def graham(processors: int, floats: dict[int, int] = GRAHAM_FLOAT) -> LevelResult:
    tasks = [
        LevelTask(
            id=i,
            start=day(GRAHAM_EARLY_START[i]),
            duration=d,
            hours_per_day=1.0,
            owner_id=1,
            total_float=floats[i],
        )
        for i, d in GRAHAM_DURATIONS.items()
    ]
    crew = Person(1, weekly_hours=7.0 * processors, weekdays=frozenset(range(7)))
    return level(tasks, GRAHAM_LINKS, [crew], EVERY_DAY)


def test_graham_instance_on_three_processors_finishes_in_the_published_optimum() -> None:
    # Worked by hand, least float first: T1 0-3, T9 3-12, T4 0-2, T5 and T6 2-6, T7 finds
    # days 2-5 full (T9, T5, T6) and waits for T5 to end: 6-10, T8 6-10, T2 0-2 beside T1
    # and T4, T3 finds every day to 10 full: 10-12.
    result = graham(3)
    assert offsets(result) == {
        1: (0, 3),
        2: (0, 2),
        3: (10, 12),
        4: (0, 2),
        5: (2, 6),
        6: (2, 6),
        7: (6, 10),
        8: (6, 10),
        9: (3, 12),
    }
    assert max(f for _, f in offsets(result).values()) == 12
    assert result.tasks[7].wait == Wait(WaitKind.PERSON, 1, 5, day(5))
    assert result.tasks[7].moved_days == 4
    assert result.tasks[3].moved_days == 10


def test_graham_instance_on_four_processors_avoids_the_anomaly() -> None:
    # List scheduling in the order T1..T9 takes 15 here (Graham); least float first keeps
    # T9 right after T1 and the plan at 12: T5-T7 2-6, T8 waits for them: 6-10.
    result = graham(4)
    found = offsets(result)
    assert found[9] == (3, 12)
    assert [found[k] for k in (5, 6, 7, 8)] == [(2, 6), (2, 6), (2, 6), (6, 10)]
    assert found[2] == found[3] == (0, 2)
    assert max(f for _, f in found.values()) == 12


def test_graham_instance_in_list_order_puts_t9_behind_t5_to_t8() -> None:
    # Equal floats: the priority falls to the id, so the list is T1..T9. The serial scheme
    # books T5-T7 on days 4-7 and T8 on 8-11 before T9 is placed, so T9 (which needs one
    # unit for 9 days from day 3) first finds room on day 8: 17 units where Graham's
    # time-driven list schedule takes 12.
    result = graham(3, floats=dict.fromkeys(GRAHAM_FLOAT, 0))
    found = offsets(result)
    assert found[4] == (2, 4)
    assert [found[k] for k in (5, 6, 7, 8)] == [(4, 8), (4, 8), (4, 8), (8, 12)]
    assert found[9] == (8, 17)


# -- hand-worked cases -------------------------------------------------------------------


def test_two_tasks_of_one_person_the_one_with_more_float_waits() -> None:
    # given Priya's two full-day tasks from Monday, the second with 3 days of float
    tasks = [
        LevelTask(1, MONDAY, 3, 6.4, owner_id=7, total_float=0, campaign="Spring launch"),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, total_float=3, campaign="Newsletter"),
    ]
    # when
    result = level(tasks, [], [PRIYA], WEEK)
    # then the second starts on Thursday, once the first is done on Wednesday
    assert result.tasks[1].start == MONDAY and not result.tasks[1].moved
    moved = result.tasks[2]
    assert (moved.start, moved.due) == (day(3), day(4))
    assert (moved.original_start, moved.original_due) == (MONDAY, day(1))
    assert moved.moved_days == 3
    assert moved.wait == Wait(WaitKind.PERSON, person_id=7, task_id=1, until=day(2))
    assert result.moved == [moved]


def test_half_days_share_a_day() -> None:
    tasks = [LevelTask(k, MONDAY, 3, 3.2, owner_id=7, total_float=k) for k in (1, 2)]
    assert level(tasks, [], [PRIYA], WEEK).moved == []


def test_a_third_half_day_task_waits() -> None:
    tasks = [LevelTask(k, MONDAY, 2, 3.2, owner_id=7, total_float=k) for k in (1, 2, 3)]
    result = level(tasks, [], [PRIYA], WEEK)
    assert [t.id for t in result.moved] == [3]
    assert result.tasks[3].start == day(2)


def test_priority_falls_to_launch_date_then_id() -> None:
    late, soon = dt.date(2026, 4, 1), dt.date(2026, 3, 20)
    tasks = [
        LevelTask(1, MONDAY, 1, 6.4, owner_id=7, launch=late),
        LevelTask(2, MONDAY, 1, 6.4, owner_id=7, launch=soon),
        LevelTask(3, MONDAY, 1, 6.4, owner_id=7, launch=soon),
    ]
    result = level(tasks, [], [PRIYA], WEEK)
    assert [result.tasks[k].start for k in (2, 3, 1)] == [MONDAY, day(1), day(2)]


def test_fs_successor_moves_with_its_predecessor_and_names_the_person_behind_it() -> None:
    # given Priya's design (moved by her other work) and Tom's copy after it
    tom = Person(8, 40.0)
    tasks = [
        LevelTask(1, MONDAY, 2, 6.4, owner_id=7, total_float=0, campaign="Spring launch"),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, total_float=1),
        LevelTask(3, day(2), 1, 8.0, owner_id=8, total_float=1),
    ]
    links = [PlanLink(2, 3, "FS", 0)]
    # when
    result = level(tasks, links, [PRIYA, tom], WEEK)
    # then design runs Wednesday-Thursday, copy on Friday
    assert result.tasks[2].start == day(2)
    assert result.tasks[3].start == day(4)
    assert result.tasks[3].wait == Wait(WaitKind.PREDECESSOR, task_id=2, until=day(3))
    assert result.root_wait(3) == Wait(WaitKind.PERSON, 7, 1, day(1))


def test_ss_link_keeps_its_lag_after_levelling() -> None:
    tom = Person(8, 40.0)
    tasks = [
        LevelTask(1, MONDAY, 3, 6.4, owner_id=7, total_float=0),
        LevelTask(2, MONDAY, 3, 6.4, owner_id=7, total_float=2),
        LevelTask(3, day(1), 3, 8.0, owner_id=8, total_float=2),
    ]
    result = level(tasks, [PlanLink(2, 3, "SS", 1)], [PRIYA, tom], WEEK)
    assert result.tasks[2].start == day(3)  # Thursday
    assert result.tasks[3].start == day(4)  # one working day after it starts: Friday


def test_ff_link_holds_the_successor_back_to_finish_after_its_predecessor() -> None:
    # Task 3 (Tom, 1 day on Monday) must finish no earlier than task 2's finish; task 2 is
    # pushed to Thursday-Friday by Priya's task 1, so task 3 runs on Friday.
    tom = Person(8, 40.0)
    tasks = [
        LevelTask(1, MONDAY, 3, 6.4, owner_id=7, total_float=0),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, total_float=2),
        LevelTask(3, day(1), 1, 8.0, owner_id=8, total_float=2),
    ]
    result = level(tasks, [PlanLink(2, 3, "FF", 0)], [PRIYA, tom], WEEK)
    assert result.tasks[2].due == day(4)
    assert (result.tasks[3].start, result.tasks[3].due) == (day(4), day(4))
    assert result.tasks[3].wait == Wait(WaitKind.PREDECESSOR, task_id=2, until=day(4))


def test_ff_link_across_a_day_off_starts_as_late_as_the_finish_needs_only() -> None:
    # Tom is off on Thursday; task 2 must finish no earlier than Friday (task 1, unowned,
    # runs Monday to Friday): Wednesday and Friday are his two days, not Friday and Monday.
    tom = Person(8, 40.0, days_off=frozenset({day(3)}))
    tasks = [LevelTask(1, MONDAY, 5), LevelTask(2, MONDAY, 2, 8.0, owner_id=8)]
    result = level(tasks, [PlanLink(1, 2, "FF", 0)], [tom], WEEK)
    assert (result.tasks[2].start, result.tasks[2].due) == (day(2), day(4))


def test_a_task_pushed_into_days_off_skips_them() -> None:
    # Priya is off on the Thursday; the second task, pushed to Thursday, runs Fri and Mon.
    priya = Person(7, 32.0, days_off=frozenset({day(3)}))
    tasks = [
        LevelTask(1, MONDAY, 3, 6.4, owner_id=7, total_float=0),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, total_float=1),
    ]
    result = level(tasks, [], [priya], WEEK)
    assert (result.tasks[2].start, result.tasks[2].due) == (day(4), day(7))
    assert result.tasks[2].wait is not None
    assert result.tasks[2].wait.kind == WaitKind.PERSON


def test_holidays_are_not_working_days() -> None:
    calendar = WorkCalendar(holidays=frozenset({day(2)}))
    tasks = [
        LevelTask(1, MONDAY, 2, 6.4, owner_id=7, total_float=0),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, total_float=1),
    ]
    result = level(tasks, [], [PRIYA], calendar)
    assert (result.tasks[2].start, result.tasks[2].due) == (day(3), day(4))
    assert result.tasks[2].moved_days == 2  # working days: Tuesday and Thursday


def test_a_task_starting_on_a_day_the_owner_does_not_work_waits_for_them() -> None:
    alex = Person(9, 18.0, weekdays=frozenset({1, 2, 3}))  # Tuesday to Thursday
    result = level([LevelTask(1, MONDAY, 2, 6.0, owner_id=9)], [], [alex], WEEK)
    assert (result.tasks[1].start, result.tasks[1].due) == (day(1), day(2))
    assert result.tasks[1].wait == Wait(WaitKind.AWAY, person_id=9)


def test_a_task_needing_more_than_a_day_runs_at_full_capacity_and_is_reported() -> None:
    # 10 h a day for Priya's 6.4: it is not delayed for ever; the next task waits for it.
    tasks = [
        LevelTask(1, MONDAY, 2, 10.0, owner_id=7, total_float=0),
        LevelTask(2, MONDAY, 1, 1.0, owner_id=7, total_float=1),
    ]
    result = level(tasks, [], [PRIYA], WEEK)
    assert result.over_capacity == [1]
    assert result.tasks[1].over_capacity and not result.tasks[1].moved
    assert result.tasks[2].start == day(2)


def test_a_started_task_keeps_its_dates_and_takes_up_its_owners_time() -> None:
    tasks = [
        LevelTask(1, MONDAY, 3, 6.4, owner_id=7, total_float=5, fixed=True),
        LevelTask(2, MONDAY, 1, 6.4, owner_id=7, total_float=0),
    ]
    result = level(tasks, [], [PRIYA], WEEK)
    assert result.tasks[1].start == MONDAY
    assert result.tasks[2].start == day(3)


def test_work_without_hours_ignores_days_booked_over_by_started_work() -> None:
    # Two started tasks book Priya twice over on Monday and Tuesday; a task of hers with no
    # hours needs none of her time and keeps its days.
    tasks = [
        LevelTask(1, MONDAY, 2, 6.4, owner_id=7, fixed=True),
        LevelTask(2, MONDAY, 2, 6.4, owner_id=7, fixed=True),
        LevelTask(3, MONDAY, 2, 0.0, owner_id=7),
        LevelTask(4, MONDAY, 1, 1.0, owner_id=7),
    ]
    result = level(tasks, [], [PRIYA], WEEK)
    assert (result.tasks[3].start, result.tasks[3].due) == (MONDAY, day(1))
    assert result.tasks[3].original_due == day(1)
    assert result.tasks[4].start == day(2)


def test_work_of_someone_without_hours_is_placed_as_planned_and_reported() -> None:
    gone = Person(5, 32.0, last_day=day(1))
    tasks = [LevelTask(1, MONDAY, 4, 6.4, owner_id=5), LevelTask(2, MONDAY, 2, 4, owner_id=6)]
    result = level(tasks, [], [gone], WEEK)
    assert result.unstaffed == [1, 2]
    assert result.moved == []
    assert result.tasks[1].due == day(3)


def test_milestones_use_no_hours() -> None:
    tasks = [
        LevelTask(1, MONDAY, 1, 6.4, owner_id=7),
        LevelTask(2, MONDAY, 0, 0.0, owner_id=7),
    ]
    result = level(tasks, [], [PRIYA], WEEK)
    assert result.moved == []
    assert result.tasks[2].due == MONDAY


def test_nothing_to_level() -> None:
    assert level([], [], [PRIYA], WEEK).tasks == {}


@pytest.mark.parametrize(
    ("tasks", "links", "words"),
    [
        ([LevelTask(1, MONDAY, 1), LevelTask(1, MONDAY, 1)], [], "appears twice"),
        ([LevelTask(1, MONDAY, 1)], [PlanLink(1, 2, "FS", 0)], "unknown task 2"),
        ([LevelTask(1, MONDAY, 1)], [PlanLink(1, 1, "FS", 0)], "depends on itself"),
        ([LevelTask(1, MONDAY, -1)], [], "negative"),
        (
            [LevelTask(1, MONDAY, 1), LevelTask(2, MONDAY, 1)],
            [PlanLink(1, 2, "FS", 0), PlanLink(2, 1, "SS", 0)],
            "cycle",
        ),
    ],
)
def test_bad_networks_are_refused_with_the_task_named(
    tasks: list[LevelTask], links: list[PlanLink], words: str
) -> None:
    with pytest.raises(NetworkError, match=words):
        level(tasks, links, [PRIYA], WEEK)


def test_negative_hours_are_refused() -> None:
    with pytest.raises(LevelError, match="task 1"):
        level([LevelTask(1, MONDAY, 1, -2.0, owner_id=7)], [], [PRIYA], WEEK)


# -- properties on random plans ----------------------------------------------------------

FIRST = dt.date(2026, 3, 2)


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[LevelTask], list[PlanLink], list[Person], WorkCalendar]:
    n_people = draw(st.integers(1, 3))
    people = []
    for pid in range(1, n_people + 1):
        weekdays = draw(st.frozensets(st.integers(0, 4), min_size=1))
        off = draw(st.frozensets(st.integers(0, 30), max_size=4))
        people.append(
            Person(
                pid,
                float(draw(st.integers(4, 40))),
                weekdays=weekdays,
                days_off=frozenset(FIRST + dt.timedelta(days=k) for k in off),
            )
        )
    holidays = draw(st.frozensets(st.integers(0, 30), max_size=2))
    calendar = WorkCalendar(holidays=frozenset(FIRST + dt.timedelta(days=k) for k in holidays))
    n = draw(st.integers(1, 12))
    tasks = []
    for i in range(n):
        owner = draw(st.one_of(st.none(), st.integers(1, n_people)))
        daily = people[owner - 1].weekly_hours / len(people[owner - 1].weekdays) if owner else 8
        tasks.append(
            LevelTask(
                id=i + 1,
                start=FIRST + dt.timedelta(days=draw(st.integers(0, 20))),
                duration=draw(st.integers(0, 5)),
                hours_per_day=draw(st.floats(0, daily, allow_nan=False)),
                owner_id=owner,
                total_float=float(draw(st.integers(0, 5))),
                launch=draw(st.sampled_from([None, dt.date(2026, 4, 1), dt.date(2026, 5, 1)])),
            )
        )
    links = []
    for s in range(2, n + 1):
        for p in draw(st.sets(st.integers(1, s - 1), max_size=2)):
            kind = draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            links.append(PlanLink(p, s, kind, draw(st.integers(-1, 2))))
    return tasks, links, people, calendar


def _works(person: Person, calendar: WorkCalendar, when: dt.date) -> bool:
    return (
        calendar.is_working(when)
        and when.weekday() in person.weekdays
        and when not in person.days_off
    )


def _days_worked(
    task: LevelTask, start: dt.date, due: dt.date, person: Person | None, cal: WorkCalendar
) -> list[dt.date]:
    found = []
    when = start
    while when <= due:
        if cal.is_working(when) and (person is None or _works(person, cal, when)):
            found.append(when)
        when += dt.timedelta(days=1)
    return found


@settings(max_examples=200, deadline=None)
@given(plans())
def test_levelled_plans_keep_every_rule(
    plan: tuple[list[LevelTask], list[PlanLink], list[Person], WorkCalendar],
) -> None:
    tasks, links, people, calendar = plan
    result = level(tasks, links, people, calendar)
    owners = {p.id: p for p in people}
    booked: dict[tuple[int, dt.date], float] = defaultdict(float)
    for t in tasks:
        out = result.tasks[t.id]
        # no task earlier than unlevelled
        assert out.start >= t.start
        person = owners.get(t.owner_id) if t.owner_id else None
        worked = _days_worked(t, out.start, out.due, person, calendar)
        if t.duration:
            # it works exactly its duration on its owner's days, starting and ending on one
            assert len(worked) == t.duration
            assert worked[0] == out.start and worked[-1] == out.due
        for when in worked if person is not None and t.duration else []:
            booked[(person.id, when)] += t.hours_per_day
    # no person over capacity on any day
    for (pid, _), hours in booked.items():
        person = owners[pid]
        assert hours <= person.weekly_hours / len(person.weekdays) + 1e-6
    # dependencies respected
    days = BusinessDays(calendar)
    origin = min(t.start for t in tasks)

    def at(when: dt.date) -> int:
        return days.between(origin, when)

    span = {}
    for t in tasks:
        out = result.tasks[t.id]
        s = at(out.start)
        span[t.id] = (s, at(out.due) + 1 if t.duration else s)
    for k in links:
        (ps, pf), (ss, sf) = span[k.predecessor], span[k.successor]
        source = pf if k.type in ("FS", "FF") else ps
        target = sf if k.type in ("FF", "SF") else ss
        assert target >= source + k.lag, k


@settings(max_examples=200, deadline=None)
@given(plans())
def test_levelling_a_levelled_plan_changes_nothing(
    plan: tuple[list[LevelTask], list[PlanLink], list[Person], WorkCalendar],
) -> None:
    tasks, links, people, calendar = plan
    first = level(tasks, links, people, calendar)
    again = [
        LevelTask(
            t.id,
            first.tasks[t.id].start,
            t.duration,
            t.hours_per_day,
            t.owner_id,
            t.total_float,
            t.launch,
        )
        for t in tasks
    ]
    second = level(again, links, people, calendar)
    assert second.moved == []
    assert {k: (v.start, v.due) for k, v in second.tasks.items()} == {
        k: (v.start, v.due) for k, v in first.tasks.items()
    }
