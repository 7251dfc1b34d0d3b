"""Critical path scheduling with the four link types and lags (precedence diagramming).

Conventions: the project starts at 0; FS: ES(s) >= EF(p) + lag; SS: ES(s) >= ES(p) + lag;
FF: EF(s) >= EF(p) + lag; SF: EF(s) >= ES(p) + lag; no task starts before 0. Late dates run
back from the project finish T, or from the required finish when one is given. Total float
is LS - ES; free float is how far a task can slip without moving any successor's early
dates, and not past T. A task is critical when its total float is the minimum (zero unless a
required finish is given).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from headway.engine.network import Compiled, LinkType, Network, compile_network, gc_paused
from headway.engine.passes import backward_one, earliest_start, forward_one

EPS = 1e-9


@dataclass(slots=True)
class TaskSchedule:
    id: str
    duration: float
    early_start: float
    early_finish: float
    late_start: float
    late_finish: float
    total_float: float
    free_float: float
    critical: bool
    # What sets the early start: plain words, or the binding link (predecessor, type, lag).
    because: str | tuple[str, LinkType, float]

    @property
    def explanation(self) -> str:
        """The constraint that sets the early start, in words ("after B finishes, +2 days
        lag", "project start", "owner off 3-5 March")."""
        if isinstance(self.because, str):
            return self.because
        return explain_link(*self.because)


@dataclass(frozen=True)
class Schedule:
    duration: float  # the project finish T of the early schedule
    finish: float  # T, or the required finish when one was given
    critical_path: list[str]
    tasks: dict[str, TaskSchedule]


def _days(n: float) -> str:
    n = abs(n)
    text = f"{n:g}"
    return f"{text} day" if text == "1" else f"{text} days"


def explain_link(pred: str, kind: LinkType, lag: float) -> str:
    words = {
        LinkType.FS: f"after {pred} finishes",
        LinkType.SS: f"after {pred} starts",
        LinkType.FF: f"to finish after {pred} finishes",
        LinkType.SF: f"to finish after {pred} starts",
    }[kind]
    if lag > 0:
        words += f", +{_days(lag)} lag"
    elif lag < 0:
        words += f", {_days(lag)} lead"
    return words


def _explanations(
    c: Compiled, dur: np.ndarray, es: np.ndarray, ef: np.ndarray, pushed: dict[int, str]
) -> list[str | tuple[str, LinkType, float]]:
    """Per task, the constraint that sets its early start: the binding link (the first in
    link order among equals), the project start, or what pushed it past both."""
    texts: list[str | tuple[str, LinkType, float]] = ["project start"] * len(c.ids)
    if c.pred.size:
        base = np.where(c.from_finish, ef[c.pred], es[c.pred])
        cand = base + c.lag - np.where(c.to_finish, dur[c.succ], 0.0)
        rank = np.lexsort((np.arange(c.pred.size), -np.round(cand, 9), c.succ))
        first = rank[np.r_[True, c.succ[rank][1:] != c.succ[rank][:-1]]]
        binding = first[(cand[first] > EPS) & (np.abs(cand[first] - es[c.succ[first]]) <= EPS)]
        for k in binding.tolist():
            texts[c.succ[k]] = (c.ids[c.pred[k]], c.types[k], float(c.lag[k]))
    for i, why in pushed.items():
        texts[i] = why
    return texts


def _free_float(c: Compiled, es: np.ndarray, ef: np.ndarray, finish: float) -> np.ndarray:
    free = finish - ef
    if c.pred.size:
        own = np.where(c.from_finish, ef[c.pred], es[c.pred])
        theirs = np.where(c.to_finish, ef[c.succ], es[c.succ])
        slack = theirs - c.lag - own
        np.minimum.at(free, c.pred, slack)
    return np.maximum(free, 0.0)


@dataclass(frozen=True)
class Unavailable:
    """Runs of working-day offsets on which a task cannot be worked because its owner is
    away: (first, last, words), such as (1, 3, "owner off 3-5 March")."""

    runs: tuple[tuple[int, int, str], ...]
    offsets: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        days = {d for first, last, _ in self.runs for d in range(first, last + 1)}
        object.__setattr__(self, "offsets", frozenset(days))

    def why(self, day: int) -> str:
        for first, last, words in self.runs:
            if first <= day <= last:
                return words
        return "owner unavailable"


def _stretch(start: float, work: float, away: Unavailable) -> tuple[float, float]:
    """Start and finish of `work` days from `start`, skipping the unavailable days."""
    position = start
    while math.floor(position + EPS) in away.offsets:
        position = math.floor(position + EPS) + 1.0
    begin = position
    remaining = work
    while remaining > EPS:
        day = math.floor(position + EPS)
        if day in away.offsets:
            position = day + 1.0
            continue
        take = min(remaining, day + 1 - position)
        position += take
        remaining -= take
    return begin, position


def _forward_with(
    c: Compiled, dur: list[float], unavailable: dict[int, Unavailable]
) -> tuple[list[float], list[float], list[float], dict[int, str]]:
    """The forward pass where some tasks skip days: returns ES, EF, the spans (EF - ES) and
    the explanations of the starts the away days pushed."""
    n = len(dur)
    es, ef, span = [0.0] * n, [0.0] * n, list(dur)
    pushed: dict[int, str] = {}
    for i in c.order:
        d = dur[i]
        start = earliest_start(c, i, d, es, ef)
        away = unavailable.get(i)
        if away is not None:
            begin, end = _stretch(start, d, away)
            if begin > start + EPS:
                pushed[i] = away.why(math.floor(start + EPS))
            es[i], ef[i], span[i] = begin, end, end - begin
        else:
            es[i], ef[i] = start, start + d
    return es, ef, span, pushed


def schedule_compiled(
    c: Compiled,
    durations: np.ndarray,
    required_finish: float | None = None,
    unavailable: dict[str, Unavailable] | None = None,
) -> Schedule:
    with gc_paused():
        return _schedule_compiled(c, durations, required_finish, unavailable)


def _schedule_compiled(
    c: Compiled,
    durations: np.ndarray,
    required_finish: float | None,
    unavailable: dict[str, Unavailable] | None,
) -> Schedule:
    dur_list = [float(x) for x in durations]
    pushed: dict[int, str] = {}
    if unavailable:
        away = {c.index[tid]: u for tid, u in unavailable.items() if tid in c.index}
        es_l, ef_l, dur_list, pushed = _forward_with(c, dur_list, away)
    else:
        es_l, ef_l = forward_one(c, dur_list)
    t = max(ef_l, default=0.0)
    finish = t if required_finish is None else float(required_finish)
    ls_l, lf_l = backward_one(c, dur_list, finish)
    es, ef = np.array(es_l), np.array(ef_l)
    ls = np.array(ls_l)
    spans = np.array(dur_list)
    total = ls - es
    floor = float(total.min()) if required_finish is not None and total.size else 0.0
    critical = np.abs(total - floor) <= 1e-7
    free = _free_float(c, es, ef, t)
    texts = _explanations(c, spans, es, ef, pushed)
    tasks = {
        tid: TaskSchedule(
            id=tid,
            duration=float(durations[i]),
            early_start=es_l[i],
            early_finish=ef_l[i],
            late_start=ls_l[i],
            late_finish=lf_l[i],
            total_float=float(total[i]),
            free_float=float(free[i]),
            critical=bool(critical[i]),
            because=texts[i],
        )
        for i, tid in enumerate(c.ids)
    }
    position = {i: n for n, i in enumerate(c.order)}
    path = sorted(np.flatnonzero(critical).tolist(), key=lambda i: (es_l[i], ef_l[i], position[i]))
    return Schedule(duration=t, finish=finish, critical_path=[c.ids[i] for i in path], tasks=tasks)


def schedule(
    network: Network,
    *,
    required_finish: float | None = None,
    unavailable: dict[str, Unavailable] | None = None,
) -> Schedule:
    """The early and late schedule of `network`, scheduling each task at its expected duration.

    `unavailable` names, per task, working-day offsets on which it cannot be worked: the task
    starts on its first available day and stretches over the days away; late dates keep the
    stretched spans.
    """
    c = compile_network(network)
    durations = np.array([t.expected for t in network.tasks], dtype=np.float64)
    return schedule_compiled(c, durations, required_finish, unavailable)
