"""The forward and backward passes over many scenarios at once.

Durations come as an array of shape (trials, tasks). Internally each task's trials are one
contiguous row, so gathering a level's predecessors reads whole rows; every pass handles a
whole level of the network per step, so the cost grows with the number of levels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headway.engine.network import Compiled

Array = npt.NDArray[np.float64]


def forward(c: Compiled, dur: Array) -> tuple[Array, Array]:
    """Early starts and finishes: ES >= 0 and every link's constraint on the successor."""
    d = np.ascontiguousarray(dur.T)
    es = np.zeros_like(d)
    ef = d.copy()
    for links, starts, tasks in c.forward_groups:
        p, s = c.pred[links], c.succ[links]
        fin = c.from_finish[links]
        base = np.where(fin[:, None], ef[p], es[p])
        base += c.lag[links][:, None]
        to_fin = c.to_finish[links]
        if to_fin.any():
            base -= np.where(to_fin[:, None], d[s], 0.0)
        best = np.maximum.reduceat(base, starts, axis=0)
        np.maximum(best, 0.0, out=best)
        es[tasks] = best
        ef[tasks] = best + d[tasks]
    return es.T, ef.T


def backward(c: Compiled, dur: Array, finish: Array) -> tuple[Array, Array]:
    """Late starts and finishes back from `finish` (one value per trial)."""
    d = np.ascontiguousarray(dur.T)
    lf = np.repeat(np.asarray(finish, dtype=np.float64)[None, :], d.shape[0], axis=0)
    ls = lf - d
    for links, starts, tasks in c.backward_groups:
        p, s = c.pred[links], c.succ[links]
        base = np.where(c.to_finish[links][:, None], lf[s], ls[s])
        base -= c.lag[links][:, None]
        from_start = ~c.from_finish[links]
        if from_start.any():
            base += np.where(from_start[:, None], d[p], 0.0)
        best = np.minimum.reduceat(base, starts, axis=0)
        np.minimum(best, finish[None, :], out=best)
        lf[tasks] = best
        ls[tasks] = best - d[tasks]
    return ls.T, lf.T
