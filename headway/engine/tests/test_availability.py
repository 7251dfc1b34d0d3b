"""Owners' days off in the scheduler, and the PERT-beta quantile tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from headway.engine.calendar import WorkCalendar, away_offsets
from headway.engine.cpm import Unavailable, schedule
from headway.engine.montecarlo import Distribution, beta_quantiles, sample_durations
from headway.engine.network import Link, Network, Task
from headway.engine.planfile import analyze, parse_plan

NET = Network(
    tasks=(Task("A", 2), Task("B", 3), Task("C", 1)),
    links=(Link("A", "B"), Link("B", "C")),
)


def test_an_owner_away_when_the_task_could_start_pushes_it_and_says_why() -> None:
    away = {"B": Unavailable(((2, 3, "dana off 4-5 March"),))}
    s = schedule(NET, unavailable=away)
    assert (s.tasks["B"].early_start, s.tasks["B"].early_finish) == (4, 7)
    assert s.tasks["B"].explanation == "dana off 4-5 March"
    assert s.tasks["C"].early_start == 7
    assert s.tasks["C"].explanation == "after B finishes"
    assert s.duration == 8
    # Late dates keep the stretched span: B is still critical with no float.
    assert s.tasks["B"].late_start == 4 and s.tasks["B"].total_float == 0


def test_days_away_in_the_middle_stretch_the_task() -> None:
    s = schedule(NET, unavailable={"B": Unavailable(((3, 3, "dana off"),))})
    assert (s.tasks["B"].early_start, s.tasks["B"].early_finish) == (2, 6)
    assert s.tasks["B"].explanation == "after A finishes"
    assert s.duration == 7
    # Away days after the task changes nothing.
    later = schedule(NET, unavailable={"B": Unavailable(((9, 12, "dana off"),))})
    assert later.duration == 6


def test_days_off_become_offsets_on_the_workspace_calendar() -> None:
    cal = WorkCalendar(holidays=frozenset({dt.date(2026, 3, 9)}))
    start = dt.date(2026, 3, 2)  # a Monday
    days = [dt.date(2026, 3, 5), dt.date(2026, 3, 6), dt.date(2026, 3, 7), dt.date(2026, 3, 10)]
    away = away_offsets(cal, start, days, "dana")
    assert away is not None
    # Thu 5 and Fri 6 are offsets 3-4; Sat 7 is not a working day; Mon 9 is a holiday, so
    # Tue 10 (offset 5) continues the same run of working days.
    assert away.runs == ((3, 5, "dana off 5-10 March"),)
    assert away_offsets(cal, start, [dt.date(2026, 3, 7)], "dana") is None


def test_a_plan_file_with_owners_and_days_off() -> None:
    plan = parse_plan(
        {
            "tasks": [
                {"id": "brief", "duration": 2, "owner": "sam"},
                {"id": "copy", "duration": 3, "owner": "dana", "after": ["brief"]},
            ],
            "start": "2026-03-02",
            "calendar": {"days_off": {"dana": ["2026-03-04", "2026-03-05"]}},
        }
    )
    answer = analyze(plan)
    copy = answer["tasks"]["copy"]
    assert copy["explanation"] == "dana off 4-5 March"
    assert (copy["start_date"], copy["finish_date"]) == ("2026-03-06", "2026-03-10")
    assert answer["duration"] == 7


def test_days_off_must_be_dates() -> None:
    with pytest.raises(ValueError, match=r"calendar.days_off.dana\[0\]: 'soon' is not a date"):
        parse_plan({"tasks": [], "calendar": {"days_off": {"dana": ["soon"]}}})


def test_beta_quantile_tables_match_closed_forms() -> None:
    u = np.linspace(0, 1, 1025)
    tables = beta_quantiles(np.array([1.0, 2.0, 1.0]), np.array([1.0, 1.0, 2.0]))
    assert np.allclose(tables[0], u, atol=1e-9)  # uniform
    assert np.allclose(tables[1], np.sqrt(u), atol=2e-3)  # CDF x^2
    assert np.allclose(tables[2], 1 - np.sqrt(1 - u), atol=2e-3)  # CDF 1 - (1 - x)^2


def test_pert_beta_samples_have_the_pert_mean_and_variance() -> None:
    net = Network(tasks=(Task("X", estimate=(2.0, 5.0, 14.0)), Task("Y", estimate=(3, 3, 3))))
    d = sample_durations(net, 200_000, np.random.default_rng(7), Distribution.PERT)
    assert d.shape == (2, 200_000)
    # PERT-beta: mean (a + 4m + b)/6 = 6; shapes 2 and 4, variance 2*4/(36*7) * 12^2.
    assert d[0].mean() == pytest.approx(6.0, abs=0.02)
    assert d[0].var() == pytest.approx(8 / 252 * 144, rel=0.02)
    assert d[0].min() >= 2.0 and d[0].max() <= 14.0
    assert np.all(d[1] == 3.0)


def test_working_days_map_offsets_like_the_calendar() -> None:
    from headway.engine.calendar import WorkingDays

    cal = WorkCalendar(holidays=frozenset({dt.date(2026, 4, 3)}))
    start = dt.date(2026, 3, 28)  # a Saturday: offset 0 is Monday 30 March
    days = WorkingDays(cal, start)
    for offset in (7, 0, 3, 4, 12, -2):
        assert days[offset] == cal.add(cal.next_working(start), offset)
    assert days[4] == dt.date(2026, 4, 6)  # past the Good Friday holiday
    assert days.finish_date(0, 5) == cal.finish_date(start, 0, 5)
    assert days.start_date(2.5) == dt.date(2026, 4, 1)
