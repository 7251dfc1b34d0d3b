"""Load per person and week, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from headway.engine.calendar import WorkCalendar
from headway.engine.load import (
    Person,
    Work,
    available_hours,
    effort_hours,
    free_hours,
    load_grid,
    week_starts,
)

MON = dt.date(2026, 3, 2)  # a Monday
CAL = WorkCalendar()


def d(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def test_weeks_start_on_the_monday_of_the_first_day() -> None:
    assert week_starts(d(3), 3) == [MON, d(7), d(14)]


def test_effort_defaults_to_hours_per_day_of_duration() -> None:
    assert effort_hours(None, 2.5, 6) == 15
    assert effort_hours(10, 2.5, 6) == 10


def test_available_hours_share_weekly_hours_over_working_days() -> None:
    # given 32 h over Mon-Fri: 6.4 h a day; a holiday on Wednesday of week 1 and a day off
    # on Monday of week 2
    cal = WorkCalendar(holidays=frozenset({d(2)}))
    person = Person(1, 32, days_off=frozenset({d(7)}))
    # then 4 days in week 1 and 4 in week 2, 5 in week 3
    got = available_hours(person, cal, week_starts(MON, 3))
    assert got.tolist() == pytest.approx([25.6, 25.6, 32.0])


def test_freelancer_tuesday_to_thursday_within_the_engagement() -> None:
    # given 18 h a week over Tue-Thu (6 h a day), engaged from Wednesday of week 1 to
    # Tuesday of week 3
    alex = Person(2, 18, frozenset({1, 2, 3}), first_day=d(2), last_day=d(15))
    got = available_hours(alex, CAL, week_starts(MON, 4))
    # Wed+Thu of week 1, all of week 2, Tuesday of week 3, nothing in week 4
    assert got.tolist() == pytest.approx([12.0, 18.0, 6.0, 0.0])


def test_effort_spreads_evenly_over_the_scheduled_working_days() -> None:
    # given 20 h from Thursday of week 1 to Wednesday of week 2: 5 working days (4 h each),
    # 2 in week 1 and 3 in week 2
    grid = load_grid([Person(1, 40)], [Work(10, 1, d(3), d(9), 20)], CAL, MON, 3)
    assert grid.booked.tolist() == [pytest.approx([8.0, 12.0, 0.0])]
    assert grid.cells[(0, 0)] == [(10, pytest.approx(8.0))]
    assert grid.cells[(0, 1)] == [(10, pytest.approx(12.0))]
    assert (0, 2) not in grid.cells


def test_days_off_and_holidays_inside_a_task_are_not_booked() -> None:
    # given 12 h Monday-Friday of week 1 with a holiday on Tuesday and the owner off Thursday:
    # 3 working days, 4 h each; Tuesday and Thursday carry nothing
    cal = WorkCalendar(holidays=frozenset({d(1)}))
    person = Person(1, 40, days_off=frozenset({d(3)}))
    grid = load_grid([person], [Work(1, 1, d(0), d(4), 12)], cal, MON, 1)
    assert grid.booked[0, 0] == pytest.approx(12.0)
    assert grid.available[0, 0] == pytest.approx(24.0)  # 3 days x 8 h


def test_over_allocation_shows_over_100_percent() -> None:
    # given two 30 h tasks in the same week for a 32 h person
    work = [Work(1, 1, d(0), d(4), 30), Work(2, 1, d(0), d(4), 30)]
    grid = load_grid([Person(1, 32), Person(2, 32)], work, CAL, MON, 2)
    util = grid.utilisation()
    assert util[0, 0] == pytest.approx(187.5)
    assert util[0, 1] == 0
    assert util[1, 0] == 0
    assert sorted(t for t, _ in grid.cells[(0, 0)]) == [1, 2]


def test_booked_hours_with_no_available_hours_are_infinitely_over() -> None:
    # given a freelancer whose engagement ended the day before their task
    alex = Person(1, 32, last_day=d(-1))
    grid = load_grid([alex], [Work(1, 1, d(0), d(0), 5)], CAL, MON, 1)
    assert grid.booked[0, 0] == 5
    assert np.isinf(grid.utilisation()[0, 0])


def test_work_before_and_after_the_window_is_clipped() -> None:
    # given 10 working days of 1 h each from the Monday before the window
    work = [Work(1, 1, d(-7), d(4), 10)]
    grid = load_grid([Person(1, 40)], work, CAL, MON, 1)
    assert grid.booked[0, 0] == pytest.approx(5.0)


def test_work_of_people_not_listed_is_left_out() -> None:
    grid = load_grid([Person(1, 40)], [Work(1, 99, d(0), d(0), 8)], CAL, MON, 1)
    assert grid.booked.sum() == 0


def test_work_entirely_on_days_off_is_booked_in_its_start_week() -> None:
    person = Person(1, 40, days_off=frozenset({d(8)}))
    grid = load_grid([person], [Work(1, 1, d(8), d(8), 6)], CAL, MON, 2)
    assert grid.booked[0].tolist() == pytest.approx([0.0, 6.0])


def test_free_hours_in_a_window_subtract_the_work_inside_it() -> None:
    # given 40 h a week and 20 h spread over 10 working days (2 h a day) from week 1 Monday
    person = Person(1, 40)
    work = [Work(1, 1, d(0), d(11), 20)]
    # when asking about Wednesday of week 1 to Tuesday of week 2: 5 working days
    free = free_hours(person, work, CAL, d(2), d(8))
    # then 5 x 8 = 40 available, 5 x 2 = 10 booked
    assert free == pytest.approx(30.0)


def _reference(people: list[Person], work: list[Work], cal: WorkCalendar, weeks: int) -> np.ndarray:
    """Day by day: each task's hours shared over its working days, summed per week."""
    out = np.zeros((len(people), weeks))
    rows = {p.id: k for k, p in enumerate(people)}
    for w in work:
        if w.owner_id not in rows or w.hours <= 0:
            continue
        person = people[rows[w.owner_id]]
        own = cal.for_person(person.days_off)
        span = [w.start + dt.timedelta(days=k) for k in range((w.due - w.start).days + 1)]
        working = [day for day in span if own.is_working(day)] or [w.start]
        for day in working:
            week = (day - MON).days // 7
            if 0 <= week < weeks:
                out[rows[w.owner_id], week] += w.hours / len(working)
    return out


def test_grid_matches_a_day_by_day_count_on_random_plans() -> None:
    import random

    rng = random.Random(7)
    cal = WorkCalendar(holidays=frozenset({d(3), d(20), d(41)}))
    for _ in range(20):
        people = [
            Person(
                k, 32, days_off=frozenset(d(rng.randint(-5, 60)) for _ in range(rng.randint(0, 6)))
            )
            for k in range(4)
        ]
        work = []
        for n in range(40):
            start = d(rng.randint(-20, 70))
            work.append(
                Work(
                    n,
                    rng.randint(0, 4),
                    start,
                    start + dt.timedelta(days=rng.randint(0, 15)),
                    rng.choice([0, 3.5, 12, 40]),
                )
            )
        grid = load_grid(people, work, cal, MON, 8)
        assert grid.booked == pytest.approx(_reference(people, work, cal, 8))
        by_cell = np.zeros((4, 8))
        for (row, week), items in grid.cells.items():
            by_cell[row, week] = sum(h for _, h in items)
        assert by_cell == pytest.approx(grid.booked)
