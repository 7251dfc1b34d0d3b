from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from headway.engine.calendar import WorkCalendar, plan_backward
from headway.engine.flow import FlowLog, flow_metrics
from headway.engine.montecarlo import Distribution, simulate
from headway.engine.network import Link, Network, Task
from headway.engine.pert import pert
from headway.engine.throughput import how_many, when_done


def _textbook_pert() -> Network:
    # The eight-activity PERT example of the operations-management textbooks (Heizer & Render):
    # expected 15 weeks, critical path A-C-E-G-H, variance 3.11, P(done within 16) = 71.57%.
    est = {
        "A": (1, 2, 3),
        "B": (2, 3, 4),
        "C": (1, 2, 3),
        "D": (2, 4, 6),
        "E": (1, 4, 7),
        "F": (1, 2, 9),
        "G": (3, 4, 11),
        "H": (1, 2, 3),
    }
    after = {"C": ["A"], "D": ["B"], "E": ["C"], "F": ["C"], "G": ["D", "E"], "H": ["F", "G"]}
    return Network(
        tasks=tuple(Task(k, estimate=tuple(map(float, v))) for k, v in est.items()),  # type: ignore[arg-type]
        links=tuple(Link(p, s) for s, ps in after.items() for p in ps),
    )


def test_pert_matches_the_published_example() -> None:
    result = pert(_textbook_pert(), finish_by=16)
    assert result.expected_duration == pytest.approx(15)
    assert result.critical_path == ["A", "C", "E", "G", "H"]
    assert result.std_dev**2 == pytest.approx(3.11, abs=0.005)
    assert result.p_finish_by == pytest.approx(0.7157, abs=0.002)


def test_monte_carlo_is_seeded_and_reproducible() -> None:
    n = _textbook_pert()
    a = simulate(n, trials=4000, seed=7, finish_by=16)
    b = simulate(n, trials=4000, seed=7, finish_by=16)
    assert a == b
    assert simulate(n, trials=4000, seed=8, finish_by=16).p_finish_by != a.p_finish_by


def test_monte_carlo_over_the_network_is_below_the_single_path_pert() -> None:
    # Merging paths only delay the finish, so the network's chance is at most PERT's.
    result = simulate(_textbook_pert(), trials=20000, seed=1, finish_by=16)
    assert 0.45 < result.p_finish_by < 0.72  # type: ignore[operator]
    assert result.percentiles[50] > 15
    assert result.criticality["A"] > 0.6 and result.criticality["B"] < result.criticality["A"]
    assert list(result.percentiles) == [50, 70, 85, 95]
    assert result.percentiles[95] > result.percentiles[50]


def test_triangular_and_historical_sampling() -> None:
    n = Network(tasks=(Task("copy", estimate=(2, 3, 10), kind="copy"),))
    tri = simulate(n, trials=20000, seed=2, distribution=Distribution.TRIANGULAR)
    # The median of triangular(a=2, c=3, b=10) is b - sqrt((b - a)(b - c) / 2).
    assert tri.percentiles[50] == pytest.approx(10 - (8 * 7 / 2) ** 0.5, abs=0.05)
    hist = simulate(
        n, trials=5000, seed=2, distribution=Distribution.HISTORICAL, history={"copy": [2, 2, 9]}
    )
    assert set(np.round(list(hist.percentiles.values()))) <= {2.0, 9.0}


def test_a_shared_factor_widens_the_spread() -> None:
    n = Network(
        tasks=tuple(Task(f"T{i}", estimate=(2, 3, 5)) for i in range(6)),
        links=tuple(Link(f"T{i}", f"T{i + 1}") for i in range(5)),
    )
    plain = simulate(n, trials=20000, seed=4)
    shared = simulate(n, trials=20000, seed=4, shared_factor=0.3)
    assert (shared.percentiles[95] - shared.percentiles[50]) > 1.5 * (
        plain.percentiles[95] - plain.percentiles[50]
    )


def test_throughput_when_and_how_many() -> None:
    w = when_done([1, 3, 5], 10, trials=20000, seed=0)
    assert w.percentiles[50] <= w.percentiles[85] <= w.percentiles[95]
    assert 0 < w.p_within[3] < 1 and w.p_within[10] == 1.0
    h = how_many([1, 3, 5], 4, trials=20000, seed=0)
    assert h.how_many[95] <= h.how_many[85] <= h.how_many[50]
    with pytest.raises(ValueError, match="empty"):
        when_done([], 3)


def test_flow_metrics() -> None:
    # Three items through Backlog -> Doing -> Review -> Done; days as floats.
    stages = ["Backlog", "Doing", "Review", "Done"]
    rows = [
        (0, 0, 0.0),
        (0, 1, 1.0),
        (0, 2, 3.0),
        (0, 3, 4.0),
        (1, 0, 0.0),
        (1, 1, 2.0),
        (1, 2, 3.0),
        (1, 3, 8.0),
        (2, 0, 1.0),
        (2, 1, 5.0),
    ]
    log = FlowLog(
        np.array([r[0] for r in rows]),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows], dtype=float),
    )
    r = flow_metrics(
        log, stages, "Doing", "Done", as_of=10.0, waiting=["Review"], working=["Doing"]
    )
    assert list(r.cycle_times) == [3.0, 6.0]
    assert r.cycle_time_percentiles[50] == pytest.approx(4.5)  # linear interpolation
    assert r.cumulative_flow["Backlog"] == [2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    assert r.cumulative_flow["Done"][4] == 1 and r.cumulative_flow["Done"][8] == 2
    assert r.throughput_per_day[4] == 1 and r.throughput_per_day[8] == 1
    assert r.throughput_per_week == [1, 1]
    # Five days in progress: older than the median (4.5) but not the 70th (5.1).
    assert [(w.item, w.age, w.beyond) for w in r.work_in_progress] == [(2, 5.0, 50)]
    # Doing: 2 + 1 + 5 (still there) = 8 over 3 visits; Review: 1 + 5 = 6 over 2.
    assert r.time_in_stage["Doing"] == pytest.approx(8 / 3)
    assert r.flow_efficiency == pytest.approx(8 / 14)
    with pytest.raises(ValueError, match="'Shipped'"):
        flow_metrics(log, stages, "Doing", "Shipped")


def test_calendar_skips_weekends_holidays_and_days_off() -> None:
    cal = WorkCalendar(holidays=frozenset({dt.date(2026, 4, 3)}))
    monday = dt.date(2026, 3, 30)
    assert cal.add(monday, 4) == dt.date(2026, 4, 6)  # Fri 3 April is a holiday
    person = cal.for_person([dt.date(2026, 3, 31)])
    assert person.add(monday, 1) == dt.date(2026, 4, 1)
    assert cal.working_days_between(monday, dt.date(2026, 4, 6)) == 4
    assert cal.finish_date(monday, 0, 5) == dt.date(2026, 4, 6)


def test_backward_scheduling_says_how_short_the_date_is() -> None:
    cal = WorkCalendar()
    ok = plan_backward(cal, 10, launch=dt.date(2026, 3, 27), earliest_start=dt.date(2026, 3, 2))
    assert ok.feasible and ok.start == dt.date(2026, 3, 16)
    late = plan_backward(cal, 10, launch=dt.date(2026, 3, 10), earliest_start=dt.date(2026, 3, 2))
    assert not late.feasible and late.short_by == 3
