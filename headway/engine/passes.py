"""The forward and backward passes over many scenarios at once.

Durations come as an array of shape (trials, tasks); every pass handles a whole level of the
network per step, so the cost grows with the number of levels, not of trials.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headway.engine.network import Compiled

Array = npt.NDArray[np.float64]


def forward(c: Compiled, dur: Array) -> tuple[Array, Array]:
    """Early starts and finishes: ES >= 0 and every link's constraint on the successor."""
    es = np.zeros_like(dur)
    ef = dur.copy()
    for links, starts, tasks in c.forward_groups:
        p, s = c.pred[links], c.succ[links]
        base = np.where(c.from_finish[links], ef[:, p], es[:, p])
        cand = base + c.lag[links] - np.where(c.to_finish[links], dur[:, s], 0.0)
        best = np.maximum.reduceat(cand, starts, axis=1)
        es[:, tasks] = np.maximum(best, 0.0)
        ef[:, tasks] = es[:, tasks] + dur[:, tasks]
    return es, ef


def backward(c: Compiled, dur: Array, finish: Array) -> tuple[Array, Array]:
    """Late starts and finishes back from `finish` (one value per trial)."""
    lf = np.repeat(finish[:, None], dur.shape[1], axis=1).astype(np.float64)
    ls = lf - dur
    for links, starts, tasks in c.backward_groups:
        p, s = c.pred[links], c.succ[links]
        base = np.where(c.to_finish[links], lf[:, s], ls[:, s])
        cand = base - c.lag[links] + np.where(c.from_finish[links], 0.0, dur[:, p])
        best = np.minimum.reduceat(cand, starts, axis=1)
        lf[:, tasks] = np.minimum(best, finish[:, None])
        ls[:, tasks] = lf[:, tasks] - dur[:, tasks]
    return ls, lf
