"""Flow metrics from a log of (item, stage, entered at).

Times are in days (floats, e.g. days since the epoch). An item counts in every stage it has
ever entered, so cumulative flow bands never shrink.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

PERCENTILES = (50, 70, 85, 95)


@dataclass(frozen=True)
class FlowLog:
    items: npt.NDArray[np.int64]  # item number per event
    stages: npt.NDArray[np.int64]  # stage index per event (into the stage list)
    entered: npt.NDArray[np.float64]  # days


@dataclass(frozen=True)
class AgingItem:
    item: int
    age: float
    beyond: int | None  # the highest cycle-time percentile its age already exceeds


@dataclass(frozen=True)
class FlowReport:
    first_day: int
    cumulative_flow: dict[str, list[int]]  # per stage, one count per day from first_day
    cycle_times: npt.NDArray[np.float64]
    cycle_time_percentiles: dict[int, float]
    throughput_per_day: list[int]
    throughput_per_week: list[int]
    work_in_progress: list[AgingItem]
    time_in_stage: dict[str, float]  # mean days per visit
    flow_efficiency: float | None


def first_entries(log: FlowLog, n_items: int, n_stages: int) -> np.ndarray:
    """Each item's first entry into each stage (inf: never), items by stages."""
    first = np.full((n_items, n_stages), np.inf)
    np.minimum.at(first, (log.items, log.stages), log.entered)
    return first


def _time_in_stage(
    log: FlowLog, n_stages: int, as_of: float, ordered: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    if ordered:
        items, stages, times = log.items, log.stages, log.entered
    else:
        order = np.lexsort((log.entered, log.items))
        items, stages, times = log.items[order], log.stages[order], log.entered[order]
    nxt = np.empty_like(times)
    nxt[:-1] = times[1:]
    same = np.zeros(times.size, dtype=bool)
    same[:-1] = items[1:] == items[:-1]
    spent = np.where(same, nxt, as_of) - times
    total = np.bincount(stages, weights=spent, minlength=n_stages)
    visits = np.bincount(stages, minlength=n_stages)
    return total, visits


def flow_metrics(
    log: FlowLog,
    stages: Sequence[str],
    start: str,
    done: str,
    *,
    as_of: float | None = None,
    waiting: Sequence[str] = (),
    working: Sequence[str] = (),
    first: np.ndarray | None = None,
    ordered: bool = False,
) -> FlowReport:
    """Cumulative flow, cycle time from `start` to `done`, throughput, aging work in progress,
    time in each stage and flow efficiency (working time over working plus waiting time).
    `first` is the log's first entries (first_entries), when the caller has them; `ordered`
    says the log is already ordered by item, then time (stably), which saves a sort."""
    names = list(stages)
    for name in (start, done, *waiting, *working):
        if name not in names:
            raise ValueError(f"stage {name!r} is not one of {', '.join(names)}")
    s_idx, d_idx = names.index(start), names.index(done)
    n_items = int(log.items.max()) + 1 if log.items.size else 0
    as_of = float(log.entered.max()) if as_of is None and log.entered.size else float(as_of or 0)
    if first is None or first.shape != (n_items, len(names)):
        first = first_entries(log, n_items, len(names))
    day0 = int(np.floor(log.entered.min())) if log.entered.size else 0
    span = int(np.floor(as_of)) - day0 + 1 if log.entered.size else 0
    cfd: dict[str, list[int]] = {}
    for k, name in enumerate(names):
        days = np.floor(first[:, k][np.isfinite(first[:, k])]).astype(np.int64) - day0
        cfd[name] = np.cumsum(np.bincount(days, minlength=span)[:span]).tolist()
    started, finished = first[:, s_idx], first[:, d_idx]
    both = np.isfinite(started) & np.isfinite(finished)
    cycle = finished[both] - started[both]
    pct = {p: float(np.percentile(cycle, p)) for p in PERCENTILES} if cycle.size else {}
    done_days = np.floor(finished[np.isfinite(finished)]).astype(np.int64) - day0
    per_day = np.bincount(done_days, minlength=span)[:span]
    per_week = np.add.reduceat(per_day, np.arange(0, span, 7)) if span else np.array([], int)
    wip_ids = np.flatnonzero(np.isfinite(started) & ~np.isfinite(finished))
    ages = as_of - started[wip_ids]
    aging = []
    for item, age in sorted(zip(wip_ids.tolist(), ages.tolist(), strict=True), key=lambda x: -x[1]):
        beyond = max((p for p, v in pct.items() if age > v), default=None)
        aging.append(AgingItem(item=item, age=age, beyond=beyond))
    total, visits = _time_in_stage(log, len(names), as_of, ordered)
    in_stage = {n: float(total[k] / visits[k]) for k, n in enumerate(names) if visits[k]}
    wait = sum(total[names.index(n)] for n in waiting)
    work = sum(total[names.index(n)] for n in working)
    efficiency = float(work / (work + wait)) if (work + wait) > 0 else None
    return FlowReport(
        first_day=day0,
        cumulative_flow=cfd,
        cycle_times=cycle,
        cycle_time_percentiles=pct,
        throughput_per_day=per_day.tolist(),
        throughput_per_week=per_week.tolist(),
        work_in_progress=aging,
        time_in_stage=in_stage,
        flow_efficiency=efficiency,
    )


def lead_times(
    log: FlowLog, n_stages: int, created: int, done: int, first: np.ndarray | None = None
) -> npt.NDArray[np.float64]:
    """Days from each finished item's first entry into `created` to its first into `done`."""
    n_items = int(log.items.max()) + 1 if log.items.size else 0
    if first is None or first.shape != (n_items, n_stages):
        first = first_entries(log, n_items, n_stages)
    both = np.isfinite(first[:, created]) & np.isfinite(first[:, done])
    return np.asarray(first[both, done] - first[both, created], dtype=np.float64)


def weekly_totals(
    per_day: Sequence[int], first_day: int, from_day: int, to_day: int
) -> list[tuple[int, int]]:
    """(day of the week's Monday, total) for each week touching [from_day, to_day], from
    counts per day starting at `first_day` (days since 1970-01-01, a Thursday)."""
    monday = from_day - (from_day + 3) % 7
    counts = np.zeros(max(to_day - monday + 1, 0), dtype=np.int64)
    days = np.arange(len(per_day)) + first_day
    keep = (days >= from_day) & (days <= to_day)
    np.add.at(counts, days[keep] - monday, np.asarray(per_day, dtype=np.int64)[keep])
    weeks = np.add.reduceat(counts, np.arange(0, counts.size, 7)) if counts.size else counts
    return [(monday + 7 * k, int(n)) for k, n in enumerate(weeks.tolist())]
