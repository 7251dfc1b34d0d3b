"""Critical path scheduling with the four link types and lags (precedence diagramming).

Conventions: the project starts at 0; FS: ES(s) >= EF(p) + lag; SS: ES(s) >= ES(p) + lag;
FF: EF(s) >= EF(p) + lag; SF: EF(s) >= ES(p) + lag; no task starts before 0. Late dates run
back from the project finish T, or from the required finish when one is given. Total float
is LS - ES; free float is how far a task can slip without moving any successor's early
dates, and not past T. A task is critical when its total float is the minimum (zero unless a
required finish is given).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from headway.engine.network import Compiled, LinkType, Network, compile_network
from headway.engine.passes import backward, forward

EPS = 1e-9


@dataclass(frozen=True)
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
    explanation: str


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


def _explain_link(pred: str, kind: LinkType, lag: float) -> str:
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


def _explanations(c: Compiled, dur: np.ndarray, es: np.ndarray, ef: np.ndarray) -> list[str]:
    texts = ["project start"] * len(c.ids)
    if c.pred.size == 0:
        return texts
    base = np.where(c.from_finish, ef[c.pred], es[c.pred])
    cand = base + c.lag - np.where(c.to_finish, dur[c.succ], 0.0)
    best = np.full(len(c.ids), -np.inf)
    which = np.full(len(c.ids), -1)
    for k in range(c.pred.size):
        s = c.succ[k]
        if cand[k] > best[s] + EPS:
            best[s], which[s] = cand[k], k
    for i in range(len(c.ids)):
        k = which[i]
        if k >= 0 and best[i] > EPS and abs(best[i] - es[i]) <= EPS:
            texts[i] = _explain_link(c.ids[c.pred[k]], c.types[k], float(c.lag[k]))
    return texts


def _free_float(c: Compiled, es: np.ndarray, ef: np.ndarray, finish: float) -> np.ndarray:
    free = finish - ef
    if c.pred.size:
        own = np.where(c.from_finish, ef[c.pred], es[c.pred])
        theirs = np.where(c.to_finish, ef[c.succ], es[c.succ])
        slack = theirs - c.lag - own
        np.minimum.at(free, c.pred, slack)
    return np.maximum(free, 0.0)


def schedule_compiled(
    c: Compiled, durations: np.ndarray, required_finish: float | None = None
) -> Schedule:
    dur = durations.astype(np.float64)[None, :]
    es2, ef2 = forward(c, dur)
    es, ef = es2[0], ef2[0]
    t = float(ef.max(initial=0.0))
    finish = t if required_finish is None else float(required_finish)
    ls2, lf2 = backward(c, dur, np.array([finish]))
    ls, lf = ls2[0], lf2[0]
    total = ls - es
    floor = float(total.min()) if required_finish is not None and total.size else 0.0
    critical = np.abs(total - floor) <= 1e-7
    free = _free_float(c, es, ef, t)
    texts = _explanations(c, durations.astype(np.float64), es, ef)
    tasks = {
        tid: TaskSchedule(
            id=tid,
            duration=float(durations[i]),
            early_start=float(es[i]),
            early_finish=float(ef[i]),
            late_start=float(ls[i]),
            late_finish=float(lf[i]),
            total_float=float(total[i]),
            free_float=float(free[i]),
            critical=bool(critical[i]),
            explanation=texts[i],
        )
        for i, tid in enumerate(c.ids)
    }
    position = {i: n for n, i in enumerate(c.order)}
    path = sorted(np.flatnonzero(critical), key=lambda i: (es[i], ef[i], position[int(i)]))
    return Schedule(
        duration=t, finish=finish, critical_path=[c.ids[int(i)] for i in path], tasks=tasks
    )


def schedule(network: Network, *, required_finish: float | None = None) -> Schedule:
    """The early and late schedule of `network`, scheduling each task at its expected duration."""
    c = compile_network(network)
    durations = np.array([t.expected for t in network.tasks], dtype=np.float64)
    return schedule_compiled(c, durations, required_finish)
