"""Properties that hold for every network: checked on random ones with hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.engine.cascade import Change, cascade
from headway.engine.cpm import schedule
from headway.engine.montecarlo import simulate
from headway.engine.network import Link, LinkType, Network, Task
from headway.engine.reference import plain_schedule
from headway.engine.throughput import how_many, when_done


@st.composite
def networks(draw: st.DrawFn, estimates: bool = False) -> Network:
    n = draw(st.integers(1, 12))
    tasks = []
    for i in range(n):
        if estimates:
            m = draw(st.integers(0, 6))
            tasks.append(Task(f"T{i}", estimate=(float(m), float(m), float(m))))
        else:
            tasks.append(Task(f"T{i}", float(draw(st.integers(0, 9)))))
    links = []
    for s in range(1, n):
        for p in draw(st.sets(st.integers(0, s - 1), max_size=3)):
            kind = draw(st.sampled_from(list(LinkType)))
            lag = float(draw(st.integers(-2, 3)))
            links.append(Link(f"T{p}", f"T{s}", kind, lag))
    return Network(tasks=tuple(tasks), links=tuple(links))


@settings(max_examples=150, deadline=None)
@given(networks())
def test_schedule_invariants(network: Network) -> None:
    s = schedule(network)
    for t in s.tasks.values():
        assert t.early_start >= 0
        assert t.early_start <= t.late_start + 1e-9
        assert t.total_float >= -1e-9 and t.free_float >= -1e-9
        assert t.free_float <= t.total_float + 1e-9
    assert s.critical_path
    crit = set(s.critical_path)
    # Critical tasks form a chain from a start (a task at 0) to the finish.
    assert any(s.tasks[c].early_start == 0 for c in crit)
    assert any(abs(s.tasks[c].early_finish - s.duration) < 1e-9 for c in crit) or s.duration == 0


@settings(max_examples=150, deadline=None)
@given(networks())
def test_the_vectorised_schedule_matches_the_plain_one(network: Network) -> None:
    s = schedule(network)
    plain = plain_schedule(network)
    for tid, (es, ef, ls, lf) in plain.items():
        t = s.tasks[tid]
        assert np.allclose(
            [t.early_start, t.early_finish, t.late_start, t.late_finish], [es, ef, ls, lf]
        )


@settings(max_examples=100, deadline=None)
@given(networks(), st.data())
def test_a_slip_within_free_float_moves_no_other_task(
    network: Network, data: st.DataObject
) -> None:
    s = schedule(network)
    tid = data.draw(st.sampled_from(sorted(s.tasks)))
    free = s.tasks[tid].free_float
    if free <= 0:
        return
    result = cascade(network, Change(task=tid, slip=free))
    assert set(result.moved) <= {tid}
    assert abs(result.launch_moves) < 1e-9


@settings(max_examples=50, deadline=None)
@given(networks(estimates=True))
def test_monte_carlo_with_zero_spread_equals_the_schedule(network: Network) -> None:
    forecast = simulate(network, trials=50, seed=3, finish_by=schedule(network).duration)
    t = schedule(network).duration
    assert all(abs(v - t) < 1e-9 for v in forecast.percentiles.values())
    assert forecast.p_finish_by == 1.0
    crit = set(schedule(network).critical_path)
    for tid, share in forecast.criticality.items():
        assert share == (1.0 if tid in crit else 0.0)


@given(st.integers(1, 9), st.integers(1, 60))
def test_throughput_with_a_constant_history_is_exact(rate: int, items: int) -> None:
    periods = -(-items // rate)
    w = when_done([rate] * 5, items, trials=200)
    assert set(w.percentiles.values()) == {periods}
    assert w.p_within[periods] == 1.0 and (periods == 1 or w.p_within[periods - 1] == 0.0)
    assert set(how_many([rate] * 5, 4, trials=200).how_many.values()) == {4 * rate}
