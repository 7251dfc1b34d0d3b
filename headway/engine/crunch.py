"""The last-minute crunch: how much of a launch's work, and of its plan changes, landed in
its final working days, against the team's usual share.

Days are whole days since 1970-01-01. The final window is the launch day and the
`window` working days before it; a task finished or a change made after launch does not
count (the plan was already out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from headway.engine.waiting import EPOCH, working_days_before

WINDOW_DAYS = 2
MIN_SHARE = 0.4  # a crunch puts at least this share of the work in the window ...
USUAL_FACTOR = 2.0  # ... and at least twice the team's usual share
RECENT = 5
RECURRING = 3  # crunches among the last RECENT launches that make a pattern


@dataclass(frozen=True)
class Launch:
    campaign: int
    launch_day: int
    done_days: Sequence[int] | npt.NDArray[np.int64]  # one per finished task
    change_days: Sequence[int] | npt.NDArray[np.int64]  # one per plan change


@dataclass(frozen=True)
class LaunchCrunch:
    campaign: int
    launch_day: int
    tasks: int
    tasks_in_window: int
    task_share: float
    changes: int
    changes_in_window: int
    change_share: float
    crunch: bool


@dataclass(frozen=True)
class CrunchReport:
    usual_task_share: float
    usual_change_share: float
    threshold: float
    launches: list[LaunchCrunch]  # oldest launch first
    recent_crunches: int
    recurring: bool


def in_window(days: Sequence[int], launch_day: int, calendar: np.busdaycalendar) -> int:
    """How many of `days` fall in the launch's final window (see the module docstring)."""
    if not days:
        return 0
    when = EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")
    launch = EPOCH + np.timedelta64(launch_day, "D")
    before = np.busday_count(when, launch, busdaycal=calendar)
    return int(np.count_nonzero((before <= WINDOW_DAYS) & (when <= launch)))


def _window_counts(
    days: Sequence[Sequence[int] | npt.NDArray[np.int64]],
    launches: Sequence[Launch],
    calendar: np.busdaycalendar,
) -> tuple[list[int], list[int]]:
    """For each launch, how many of its `days` are on or before the launch day and how many
    of those fall in its final window: in_window for every launch at once."""
    arrays = [np.asarray(d, dtype=np.int64) for d in days]  # no copy of int64 arrays
    sizes = np.array([a.size for a in arrays], dtype=np.int64)
    flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    launch_days = np.fromiter((x.launch_day for x in launches), np.int64, count=len(launches))
    launch = np.repeat(launch_days, sizes)
    owner = np.repeat(np.arange(len(launches)), sizes)
    by_launch = flat <= launch
    before = working_days_before(launch, calendar) - working_days_before(flat, calendar)
    inside = by_launch & (before <= WINDOW_DAYS)
    counted = np.bincount(owner[by_launch], minlength=len(launches))
    in_it = np.bincount(owner[inside], minlength=len(launches))
    return counted.tolist(), in_it.tolist()


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def crunch_report(
    launches: Sequence[Launch],
    calendar: np.busdaycalendar,
    usual: tuple[float, float] | None = None,
) -> CrunchReport:
    """Each launch's shares, the team's usual share (the median over launches, unless
    `usual` gives the team's task and change shares for a subset of launches), the threshold
    (MIN_SHARE or USUAL_FACTOR times the usual, whichever is higher), and whether crunches
    recur (RECURRING or more among the last RECENT launches)."""
    ordered = sorted(launches, key=lambda x: (x.launch_day, x.campaign))
    done, t_in = _window_counts([x.done_days for x in ordered], ordered, calendar)
    changes, c_in = _window_counts([x.change_days for x in ordered], ordered, calendar)
    rows = list(zip(ordered, done, t_in, changes, c_in, strict=True))
    task_shares = [_share(r[2], r[1]) for r in rows if r[1]]
    change_shares = [_share(r[4], r[3]) for r in rows if r[3]]
    if usual is None:
        usual = (
            float(np.median(task_shares)) if task_shares else 0.0,
            float(np.median(change_shares)) if change_shares else 0.0,
        )
    threshold = max(MIN_SHARE, USUAL_FACTOR * usual[0])
    out = [
        LaunchCrunch(
            campaign=x.campaign,
            launch_day=x.launch_day,
            tasks=n,
            tasks_in_window=t_in,
            task_share=_share(t_in, n),
            changes=m,
            changes_in_window=c_in,
            change_share=_share(c_in, m),
            crunch=n > 0 and _share(t_in, n) >= threshold,
        )
        for x, n, t_in, m, c_in in rows
    ]
    recent = sum(1 for x in out[-RECENT:] if x.crunch)
    return CrunchReport(
        usual_task_share=usual[0],
        usual_change_share=usual[1],
        threshold=threshold,
        launches=out,
        recent_crunches=recent,
        recurring=recent >= RECURRING,
    )
