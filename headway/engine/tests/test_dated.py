"""Dated scheduling in the engine: plain dataclasses in, dates and explanations out."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.dated import (
    OutsideBound,
    PlanInput,
    PlanLink,
    PlanTask,
    TaskDates,
    schedule_dated,
)

MON = dt.date(2026, 3, 2)  # a Monday


def chain(*durations: float, launch: bool = False, owner: int | None = None) -> PlanInput:
    """Tasks 1, 2, ... one after another; a launch milestone last when asked."""
    tasks = [
        PlanTask(n, f"Step {n}", d, owner_id=owner, owner_name="Dana" if owner else "")
        for n, d in enumerate(durations, start=1)
    ]
    if launch:
        tasks.append(PlanTask(len(tasks) + 1, "Launch", 0, launch=True))
    links = [PlanLink(a.id, b.id, "FS", 0) for a, b in itertools.pairwise(tasks)]
    return PlanInput(tasks, links)


def spans(dates: dict[int, TaskDates]) -> dict[int, tuple[dt.date, dt.date]]:
    return {tid: (d.start, d.due) for tid, d in dates.items()}


def test_forward_from_a_date_skips_weekends_and_holidays() -> None:
    # given: two steps of 2 and 3 days, a holiday on Wednesday 4 March
    plan = chain(2, 3)
    plan.calendar = WorkCalendar(holidays=frozenset({dt.date(2026, 3, 4)}))

    # when: scheduled forward from Saturday 28 February
    result = schedule_dated(plan, start=dt.date(2026, 2, 28), today=dt.date(2026, 2, 1))

    # then: work starts the next working day and the second step runs over the weekend gap
    assert result.plan_start == MON
    assert spans(result.dates) == {
        1: (MON, dt.date(2026, 3, 3)),
        2: (dt.date(2026, 3, 5), dt.date(2026, 3, 9)),
    }
    assert result.dates[1].explanation == "plan start"
    assert result.dates[2].explanation == "after Step 1 finishes"
    assert result.launch == dt.date(2026, 3, 9)  # no launch milestone: the last day of work
    assert result.short_by == 0
    assert all(d.critical and d.total_float == 0 for d in result.dates.values())


def test_backward_from_a_launch_puts_the_launch_on_its_date() -> None:
    plan = chain(2, 3, launch=True)

    result = schedule_dated(plan, launch=dt.date(2026, 3, 20), today=MON)

    # Launch on Friday 20 March; the five working days of work end the day before.
    assert result.launch == dt.date(2026, 3, 20)
    assert result.dates[3].start == dt.date(2026, 3, 20)
    assert result.plan_start == dt.date(2026, 3, 13)
    assert spans(result.dates)[1] == (dt.date(2026, 3, 13), dt.date(2026, 3, 16))
    assert spans(result.dates)[2] == (dt.date(2026, 3, 17), dt.date(2026, 3, 19))
    assert result.short_by == 0


def test_a_launch_on_a_day_off_moves_to_the_working_day_before() -> None:
    plan = chain(2, 3, launch=True)

    result = schedule_dated(plan, launch=dt.date(2026, 3, 22), today=MON)  # a Sunday

    assert result.launch == dt.date(2026, 3, 20)


def test_a_launch_too_soon_starts_today_and_says_how_many_days_short() -> None:
    plan = chain(2, 3, launch=True)

    # Five working days before Wednesday 4 March is Wednesday 25 February, three working
    # days before today.
    result = schedule_dated(plan, launch=dt.date(2026, 3, 4), today=MON)

    assert result.plan_start == MON
    assert result.short_by == 3
    assert result.launch == dt.date(2026, 3, 9)


def test_an_owners_day_off_pushes_the_task_and_says_why() -> None:
    # given: Dana owns both steps and is away Tuesday 3 and Wednesday 4 March
    plan = chain(1, 2, owner=7)
    plan.days_off = {7: {dt.date(2026, 3, 3), dt.date(2026, 3, 4)}}

    result = schedule_dated(plan, start=MON, today=MON)

    # then: step 1 fits on Monday; step 2 waits until Dana is back on Thursday
    assert spans(result.dates) == {
        1: (MON, MON),
        2: (dt.date(2026, 3, 5), dt.date(2026, 3, 6)),
    }
    assert result.dates[2].explanation == "Dana off 3-4 March"
    assert result.dates[2].total_float == 0


def test_an_outside_link_waits_for_the_other_campaigns_dates() -> None:
    # given: step 2 follows "Print run" of another campaign, due Thursday 5 March, +1 day
    plan = chain(1, 2)
    plan.links = []
    plan.outside = [
        OutsideBound(
            successor=2,
            type="FS",
            lag=1,
            title="Print run",
            start=MON,
            due=dt.date(2026, 3, 5),
        )
    ]

    result = schedule_dated(plan, start=MON, today=MON)

    # then: it starts the working day after Friday 6 (the day after the due date) + 1 lag
    assert result.dates[2].start == dt.date(2026, 3, 9)
    # The lag is part of the wait for the outside task, so the words name only the task.
    assert result.dates[2].explanation == "after Print run (another campaign) finishes"
    assert result.dates[1].start == MON


def test_not_before_and_finish_after_dates_hold_tasks_back_with_their_reason() -> None:
    plan = chain(1, 1)
    plan.links = []
    plan.not_before = {1: dt.date(2026, 3, 4)}
    plan.finish_after = {2: (dt.date(2026, 3, 10), "waiting for approval")}

    result = schedule_dated(plan, start=MON, today=MON)

    assert spans(result.dates)[1] == (dt.date(2026, 3, 4), dt.date(2026, 3, 4))
    assert result.dates[1].explanation == "not before 4 March"
    assert spans(result.dates)[2] == (dt.date(2026, 3, 10), dt.date(2026, 3, 10))
    assert result.dates[2].explanation == "waiting for approval"


def test_a_start_or_a_launch_is_required_but_not_both() -> None:
    with pytest.raises(ValueError, match="either a start or a launch"):
        schedule_dated(chain(1), today=MON)
    with pytest.raises(ValueError, match="either a start or a launch"):
        schedule_dated(chain(1), start=MON, launch=MON, today=MON)


@pytest.mark.parametrize(
    "weekend", [frozenset({5, 6}), frozenset({4, 5}), frozenset({6}), frozenset()]
)
def test_business_days_answer_as_the_calendars_day_by_day_walk(weekend: frozenset[int]) -> None:
    holidays = frozenset({dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 12, 25)})
    cal = WorkCalendar(weekend=weekend, holidays=holidays, days_off=frozenset({MON}))
    days = BusinessDays(cal)
    origin = cal.next_working(dt.date(2026, 2, 27))
    for k in range(0, 320, 7):
        day = dt.date(2026, 2, 20) + dt.timedelta(days=k)
        assert days.next_working(day) == cal.next_working(day)
        assert days.previous_working(day) == cal.previous_working(day)
        assert days.between(origin, day) == cal.working_days_between(origin, day)
        for n in (-9, -1, 0, 1, 4, 30):
            assert days.add(day, n) == cal.add(day, n)
    offsets = np.arange(-5, 200)
    assert days.dates(origin, offsets) == [cal.add(origin, int(n)) for n in offsets]


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="no working days"):
        BusinessDays(WorkCalendar(weekend=frozenset(range(7))))


def test_dates_past_the_last_year_a_date_holds_overflow_as_date_arithmetic_does() -> None:
    days = BusinessDays(WorkCalendar())
    last = dt.date(9999, 12, 20)
    with pytest.raises(OverflowError):
        days.add(last, 30)
    with pytest.raises(OverflowError):
        days.dates(last, np.array([1, 30]))
    with pytest.raises(OverflowError):
        schedule_dated(chain(40), start=last, today=last)
    assert days.add(last, 1) == dt.date(9999, 12, 21)
