"""The forward and backward passes: one scenario with plain floats, many trials with NumPy.

A link binds the successor's start (FS, SS) or its finish (FF, SF), measured from the
predecessor's finish (FS, FF) or start (SS, SF), plus the lag. The forward pass keeps, per
task, the largest start bound and the largest finish bound and sets ES = max(0, start bound,
finish bound - duration). The backward pass mirrors it from the project finish.

For trials, durations have shape (tasks, trials): each task's trials are one contiguous row,
and each link costs a couple of row operations, so the cost grows with the number of links
and trials, not with the depth of the network.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headway.engine.network import Compiled

Array = npt.NDArray[np.float64]


def earliest_start(c: Compiled, i: int, d: float, es: list[float], ef: list[float]) -> float:
    """The earliest start of task `i` (duration `d`) that every incoming link allows."""
    start = 0.0
    for p, fin, to_fin, lag in c.incoming[i]:
        v = (ef[p] if fin else es[p]) + lag
        if to_fin:
            v -= d
        if v > start:
            start = v
    return start


def forward_one(c: Compiled, dur: list[float]) -> tuple[list[float], list[float]]:
    """Early starts and finishes of one scenario."""
    n = len(dur)
    es = [0.0] * n
    ef = [0.0] * n
    for i in c.order:
        d = dur[i]
        start = earliest_start(c, i, d, es, ef)
        es[i] = start
        ef[i] = start + d
    return es, ef


def backward_one(c: Compiled, dur: list[float], finish: float) -> tuple[list[float], list[float]]:
    """Late starts and finishes of one scenario, back from `finish`."""
    n = len(dur)
    ls = [0.0] * n
    lf = [0.0] * n
    for i in reversed(c.order):
        d = dur[i]
        late = finish
        for s, fin, to_fin, lag in c.outgoing[i]:
            v = (lf[s] if to_fin else ls[s]) - lag
            if not fin:
                v += d
            if v < late:
                late = v
        lf[i] = late
        ls[i] = late - d
    return ls, lf


def forward(c: Compiled, d: Array) -> tuple[Array, Array]:
    """Early starts and finishes for every trial; `d` has shape (tasks, trials)."""
    es = np.zeros_like(d)
    ef = np.empty_like(d)
    bound = np.empty(d.shape[1])
    tmp = np.empty(d.shape[1])
    for i in c.order:
        row = es[i]
        finish_bound = False
        for p, fin, to_fin, lag in c.incoming[i]:
            src = ef[p] if fin else es[p]
            target = bound if to_fin else row
            if to_fin and not finish_bound:
                np.add(src, lag, out=bound)
                finish_bound = True
            elif lag == 0.0:
                np.maximum(target, src, out=target)
            else:
                np.add(src, lag, out=tmp)
                np.maximum(target, tmp, out=target)
        if finish_bound:
            np.subtract(bound, d[i], out=bound)
            np.maximum(row, bound, out=row)
        np.add(row, d[i], out=ef[i])
    return es, ef


def backward(c: Compiled, d: Array, finish: Array) -> tuple[Array, Array]:
    """Late starts and finishes for every trial, back from `finish` (one value per trial)."""
    lf = np.empty_like(d)
    ls = np.empty_like(d)
    bound = np.empty(d.shape[1])
    tmp = np.empty(d.shape[1])
    for i in reversed(c.order):
        row = lf[i]
        row[:] = finish
        start_bound = False
        for s, fin, to_fin, lag in c.outgoing[i]:
            src = lf[s] if to_fin else ls[s]
            target = row if fin else bound
            if not fin and not start_bound:
                np.subtract(src, lag, out=bound)
                start_bound = True
            elif lag == 0.0:
                np.minimum(target, src, out=target)
            else:
                np.subtract(src, lag, out=tmp)
                np.minimum(target, tmp, out=target)
        if start_bound:
            np.add(bound, d[i], out=bound)
            np.minimum(row, bound, out=row)
        np.subtract(row, d[i], out=ls[i])
    return ls, lf
