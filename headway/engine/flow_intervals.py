"""Where work waits over a log already ordered by item, then time: the same intervals and
totals as headway.engine.waiting's stage_intervals, held_by and late_shares, without sorting
the log again or walking it in Python (a year of a large workspace is close to a million
moves). Tested against those functions."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headway.engine.waiting import Interval, ordered_stage_intervals

__all__ = ["held_totals", "late_counts", "ordered_stage_intervals"]


def held_totals(intervals: Interval, stage: int) -> dict[int, float]:
    """held_by: working days spent in `stage` per person holding it (people named only),
    summed in the log's order as held_by does, so the totals are the same to the bit."""
    mask = (intervals.stages == stage) & (intervals.who >= 0)
    who = intervals.who[mask]
    if not who.size:
        return {}
    days = intervals.working_days[mask]
    if int(who.max()) > 4 * who.size + 100_000:  # ids too sparse to count by id
        people, slot = np.unique(who, return_inverse=True)
        totals = np.bincount(slot, weights=days, minlength=people.size)
        first_seen = np.full(people.size, who.size)
        np.minimum.at(first_seen, slot, np.arange(who.size))
        return {int(people[k]): float(totals[k]) for k in np.argsort(first_seen).tolist()}
    # people's ids index the sums directly (no sort); each one's first place in the log
    # orders them, as held_by meets them
    totals = np.bincount(who, weights=days)
    people = np.flatnonzero(np.bincount(who))
    first_seen = np.full(totals.size, who.size)
    np.minimum.at(first_seen, who, np.arange(who.size))
    order = people[np.argsort(first_seen[people])]
    return {int(p): float(totals[p]) for p in order.tolist()}


def late_counts(
    owners: npt.NDArray[np.int64], due: npt.NDArray[np.float64], done: npt.NDArray[np.float64]
) -> dict[int, tuple[int, int]]:
    """late_shares for rows given as columns (owner, due day, done day), every row finished:
    (finished after due, finished) per owner, owners in order of first appearance."""
    if not owners.size:
        return {}
    people, slot = np.unique(owners, return_inverse=True)
    finished = np.bincount(slot, minlength=people.size)
    late = np.bincount(slot, weights=np.floor(done) > due, minlength=people.size)
    first_seen = np.full(people.size, owners.size)
    np.minimum.at(first_seen, slot, np.arange(owners.size))
    return {
        int(people[k]): (int(late[k]), int(finished[k])) for k in np.argsort(first_seen).tolist()
    }
