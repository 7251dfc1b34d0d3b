"""Waiting attribution, crunch shares and percentiles against hand-worked cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from headway.engine.crunch import Launch, crunch_report, in_window
from headway.engine.flow import FlowLog, flow_metrics
from headway.engine.waiting import (
    EPOCH,
    DecisionRow,
    PendingStep,
    StageLog,
    _counted_position,
    _day_tables,
    approver_waits,
    held_by,
    late_shares,
    stage_intervals,
    step_waits,
    working_days_before,
    working_days_between,
    working_position,
)

CAL = np.busdaycalendar(weekmask="1111100", holidays=[np.datetime64("2026-03-04")])


def day(iso: str, hours: float = 0.0) -> float:
    """Float days since the epoch for a local date and hour."""
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days + hours / 24


def test_working_days_skip_weekends_and_holidays() -> None:
    # Friday 12:00 to Monday 12:00 is one working day (half of Friday, half of Monday).
    assert working_days_between([day("2026-03-06", 12)], [day("2026-03-09", 12)], CAL)[0] == (
        pytest.approx(1.0)
    )
    # Tuesday 00:00 to Thursday 00:00 across Wednesday's holiday: Tuesday only.
    assert working_days_between([day("2026-03-03")], [day("2026-03-05")], CAL)[0] == 1.0
    # A start on Saturday counts from Monday morning.
    assert working_days_between([day("2026-03-07", 10)], [day("2026-03-09", 6)], CAL)[0] == (
        pytest.approx(0.25)
    )


def test_each_step_waits_from_its_round_start_or_the_previous_approval() -> None:
    # given request 1: round 1 sent Monday 2 March 00:00; Maya (7) decides step 0 on
    # Thursday 5 March 00:00 (Mon, Tue, holiday Wed: 2 working days); Jordan (8) step 1 on
    # Friday 00:00 (Thu: 1 day). Round 2 starts Monday 9 March; Maya decides Tuesday 00:00.
    starts = {(1, 1): day("2026-03-02"), (1, 2): day("2026-03-09")}
    decisions = [
        DecisionRow(1, 1, 0, 7, day("2026-03-05")),
        DecisionRow(1, 1, 1, 8, day("2026-03-06")),
        DecisionRow(1, 2, 0, 7, day("2026-03-10")),
    ]
    limits = {(1, 0): 1.0, (1, 1): 1.0}
    # when
    rows = step_waits(starts, decisions, limits, CAL)
    # then
    assert rows == [(7, 1, 2.0, True), (8, 1, 1.0, False), (7, 1, 1.0, False)]


def test_approvers_ranked_by_total_wait_with_open_steps_shared() -> None:
    starts = {(1, 1): day("2026-03-02"), (2, 1): day("2026-03-02")}
    decisions = [
        DecisionRow(1, 1, 0, 7, day("2026-03-05")),
        DecisionRow(2, 1, 0, 8, day("2026-03-03")),
    ]
    limits = {(1, 0): 2.0, (2, 0): 2.0}
    # request 3 waits on 7 and 9 together since Monday 9 March: 4 working days by Friday 13th
    pending = [PendingStep(3, day("2026-03-09"), (7, 9), limit=3.0)]
    out = approver_waits(starts, decisions, limits, pending, {1: 2, 2: 1}, day("2026-03-13"), CAL)
    assert [a.approver for a in out] == [7, 9, 8]
    maya = out[0]
    assert maya.waited == pytest.approx(2.0 + 2.0)  # 2 decided + half of 4 open
    assert maya.median == pytest.approx(2.0)
    assert maya.past_limit == 1 and maya.requests == (3,)
    assert maya.rounds_per_request == 2.0
    assert out[1].waited == pytest.approx(2.0) and out[2].waited == pytest.approx(1.0)


def test_blocked_time_is_held_by_the_blocker_and_ends_at_the_next_move() -> None:
    # task 0: blocked on person 5 from Monday to Wednesday (holiday) -> Thursday: 2 days;
    # task 1: blocked on person 6 since Thursday, still blocked on Friday 12:00: 1.5 days.
    blocked = 2
    log = StageLog(
        items=np.array([0, 0, 1], dtype=np.int64),
        stages=np.array([blocked, 1, blocked], dtype=np.int64),
        entered=np.array([day("2026-03-02"), day("2026-03-05"), day("2026-03-05")]),
        who=np.array([5, -1, 6], dtype=np.int64),
    )
    spans = stage_intervals(log, day("2026-03-06", 12), CAL)
    assert held_by(spans, blocked) == {5: pytest.approx(2.0), 6: pytest.approx(1.5)}


def test_late_share_counts_only_finished_tasks_with_a_due_date() -> None:
    rows = [(1, 10, 10.5), (1, 10, 11.2), (1, 12, None), (2, 10, 9.0)]
    assert late_shares(rows) == {1: (1, 2), 2: (0, 1)}


def test_final_window_is_the_launch_day_and_two_working_days_before() -> None:
    # Launch Monday 9 March: the window is Thursday 5, Friday 6 and Monday 9 (the weekend
    # days in between count too, being no further away); Wednesday 4 is a holiday, and
    # Tuesday 3 is three working days out.
    launch = int(day("2026-03-09"))
    days = [
        int(day(d))
        for d in (
            "2026-03-03",
            "2026-03-05",
            "2026-03-06",
            "2026-03-07",
            "2026-03-09",
            "2026-03-10",
        )
    ]
    assert in_window(days, launch, CAL) == 4


def test_crunch_against_the_usual_share_and_recurring_in_three_of_five() -> None:
    def launch(n: int, in_window_count: int) -> Launch:
        day0 = int(day("2026-01-05")) + 14 * n  # Mondays
        early = [day0 - 10] * (10 - in_window_count)
        late = [day0 - 1] * in_window_count
        return Launch(campaign=n, launch_day=day0, done_days=early + late, change_days=[day0 - 20])

    # shares 0.1, 0.1, 0.6, 0.1, 0.7, 0.8 -> median 0.35, threshold max(0.4, 0.7) = 0.7
    report = crunch_report(
        [launch(0, 1), launch(1, 1), launch(2, 6), launch(3, 1), launch(4, 7), launch(5, 8)], CAL
    )
    assert report.usual_task_share == pytest.approx(0.35)
    assert report.threshold == pytest.approx(0.7)
    assert [x.crunch for x in report.launches] == [False, False, False, False, True, True]
    assert report.recent_crunches == 2 and not report.recurring
    # against a team whose usual share is 0.1 the threshold is 0.4: three crunches recur
    team = crunch_report(
        [launch(n, c) for n, c in enumerate([1, 1, 6, 1, 7, 8])], CAL, usual=(0.1, 0.0)
    )
    assert team.threshold == pytest.approx(0.4)
    assert team.recent_crunches == 3 and team.recurring


def test_cycle_time_follows_jira_agile_metrics_conventions() -> None:
    """jira-agile-metrics (optimizely/jira-agile-metrics, cycletime.py): an item's cycle
    time runs from the first time it entered the committed ("in progress") state to the time
    it entered done; moving back does not restart the clock, and its percentiles are
    pandas' quantiles (linear interpolation, as ActionableAgile's "85% of items finished in
    X days or fewer" reads them). Worked example: twenty items of 1..20 days give a 50th
    percentile of 10.5 and an 85th of 17.15."""
    stages = ["not_started", "in_progress", "done"]
    items, st, at = [], [], []
    for n in range(20):
        items += [n, n]
        st += [1, 2]
        at += [100.0, 100.0 + n + 1]
    # item 0 went back to in progress on day 100.5 and to done again on day 101
    items += [0, 0]
    st += [1, 2]
    at += [100.5, 101.0]
    log = FlowLog(np.array(items), np.array(st), np.array(at))
    report = flow_metrics(log, stages, "in_progress", "done")
    assert sorted(report.cycle_times.tolist())[:2] == [1.0, 2.0]
    assert report.cycle_time_percentiles[50] == pytest.approx(10.5)
    assert report.cycle_time_percentiles[85] == pytest.approx(17.15)


def test_only_the_part_of_a_visit_after_the_period_start_counts() -> None:
    log = StageLog(
        items=np.array([0], dtype=np.int64),
        stages=np.array([3], dtype=np.int64),
        entered=np.array([day("2026-03-02")]),
        who=np.array([5], dtype=np.int64),
    )
    spans = stage_intervals(log, day("2026-03-10"), CAL, since=day("2026-03-09"))
    assert held_by(spans, 3) == {5: pytest.approx(1.0)}


@pytest.mark.parametrize(
    "calendar",
    [
        CAL,
        np.busdaycalendar(
            weekmask="0111111",
            holidays=[np.datetime64("1969-12-31"), np.datetime64("2027-01-01")],
        ),
        np.busdaycalendar(weekmask="1010100"),
    ],
)
def test_working_positions_from_the_day_table_equal_numpys_count_to_the_bit(
    calendar: np.busdaycalendar,
) -> None:
    rng = np.random.default_rng(3)
    _day_tables.clear()
    # moments before the epoch, across the holidays, whole days and fractions; then a span
    # reaching beyond the first table's (it is widened) and one inside it
    for low, high in ((-900.0, 200.0), (20_400.0, 20_700.0), (-3_000.0, 30_000.0), (0.0, 9.5)):
        t = np.concatenate([rng.uniform(low, high, 5_000), np.floor(rng.uniform(low, high, 50))])
        assert np.array_equal(working_position(t, calendar), _counted_position(t, calendar))
        whole = np.floor(t).astype(np.int64)
        counted = np.busday_count(EPOCH, EPOCH + whole.astype("timedelta64[D]"), busdaycal=calendar)
        assert np.array_equal(working_days_before(whole, calendar), counted)
    # a holiday on a working weekday has no fraction: its position is the next day's start
    holiday = day("2026-03-04", 15)
    assert working_position([holiday], CAL)[0] == working_position([day("2026-03-05")], CAL)[0]


def test_working_positions_far_apart_or_not_finite_are_counted_one_by_one() -> None:
    far = np.array([0.5, 150_000.25])
    assert np.array_equal(working_position(far, CAL), _counted_position(far, CAL))
    assert working_position([], CAL).size == 0


def test_the_report_counts_every_launchs_window_as_in_window_does() -> None:
    """crunch_report counts all launches' windows at once; each launch's counts equal
    in_window's over its days on or before the launch (holidays, weekends, days after)."""
    rng = np.random.default_rng(5)
    first = int(day("2026-01-01"))
    launches = []
    for n in range(60):
        at = first + int(rng.integers(0, 200))
        done = (at + rng.integers(-15, 4, size=int(rng.integers(0, 12)))).tolist()
        changes = (at + rng.integers(-30, 2, size=int(rng.integers(0, 5)))).tolist()
        launches.append(Launch(campaign=n, launch_day=at, done_days=done, change_days=changes))
    launches.append(Launch(campaign=99, launch_day=int(day("2026-03-05")), done_days=[
        int(day("2026-03-04")), int(day("2026-03-02")), int(day("2026-02-27"))
    ], change_days=[]))  # fmt: skip
    report = crunch_report(launches, CAL)
    by_campaign = {x.campaign: x for x in launches}
    for row in report.launches:
        x = by_campaign[row.campaign]
        done = [d for d in x.done_days if d <= x.launch_day]
        changes = [d for d in x.change_days if d <= x.launch_day]
        assert (row.tasks, row.changes) == (len(done), len(changes))
        assert row.tasks_in_window == in_window(done, x.launch_day, CAL)
        assert row.changes_in_window == in_window(changes, x.launch_day, CAL)
    # Thursday 5 March: Wednesday 4 is a holiday, so Monday 2 is in the window, Friday 27 not
    assert by_campaign[99].launch_day in [r.launch_day for r in report.launches]
    assert next(r for r in report.launches if r.campaign == 99).tasks_in_window == 2
    assert any(r.tasks_in_window for r in report.launches)
    assert any(r.tasks > r.tasks_in_window for r in report.launches)
