"""The vectorised where-work-waits functions for an ordered log give exactly what
headway.engine.waiting's stage_intervals, held_by and late_shares give."""

from __future__ import annotations

import numpy as np
import pytest

from headway.engine.flow_intervals import held_totals, late_counts, ordered_stage_intervals
from headway.engine.waiting import StageLog, held_by, late_shares, stage_intervals


def _log(seed: int, n: int = 3000) -> StageLog:
    rng = np.random.default_rng(seed)
    items = rng.integers(0, 200, n)
    stages = rng.integers(0, 6, n)
    # whole hours, so several moves of an item share a moment
    entered = 20_000 + rng.integers(0, 24 * 120, n) / 24.0
    who = np.where(rng.random(n) < 0.7, rng.integers(1, 9, n), -1)
    order = np.lexsort((entered, items))
    return StageLog(items[order], stages[order], entered[order], who[order])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ordered_intervals_and_held_time_equal_the_engines(seed: int) -> None:
    log = _log(seed)
    cal = np.busdaycalendar(weekmask="1111100", holidays=[np.datetime64("2024-10-03")])
    as_of = 20_000 + 130.5
    # the engine gets the moves out of order (items last first; each item's moves keep their
    # order, so moments shared within an item stay tied the same way) and must sort them
    mixed = np.argsort(-log.items, kind="stable")
    unordered = StageLog(log.items[mixed], log.stages[mixed], log.entered[mixed], log.who[mixed])
    assert unordered.items.tolist() != log.items.tolist()
    for since in (-np.inf, 20_040.0):
        mine = ordered_stage_intervals(log, as_of, cal, since=since)
        theirs = stage_intervals(unordered, as_of, cal, since=since)
        for field in ("items", "stages", "who", "working_days"):
            assert getattr(mine, field).tolist() == getattr(theirs, field).tolist()
        for stage in range(6):
            assert held_totals(mine, stage) == held_by(theirs, stage)
            assert list(held_totals(mine, stage)) == list(held_by(theirs, stage))


def test_late_counts_equal_late_shares() -> None:
    rng = np.random.default_rng(5)
    owners = rng.integers(1, 7, 500)
    due = rng.integers(20_000, 20_100, 500).astype(np.float64)
    done = due + rng.normal(0, 3, 500)
    assert late_counts(owners, due, done) == late_shares(
        zip(owners.tolist(), due.tolist(), done.tolist(), strict=True)
    )
    assert late_counts(np.zeros(0, np.int64), np.zeros(0), np.zeros(0)) == {}
