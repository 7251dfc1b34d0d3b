"""Monte Carlo launch forecasts over the dependency network, vectorised across trials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from headway.engine.network import Network, compile_network
from headway.engine.passes import backward, forward

PERCENTILES = (50, 70, 85, 95)


class Distribution(StrEnum):
    PERT = "pert"
    TRIANGULAR = "triangular"
    HISTORICAL = "historical"


@dataclass(frozen=True)
class Forecast:
    trials: int
    p_finish_by: float | None
    percentiles: dict[int, float]
    criticality: dict[str, float]


# PERT-beta draws come from a table of each task's quantile function: QUANTILE_POINTS
# equally spaced probabilities, inverted from the beta CDF integrated on CDF_POINTS.
QUANTILE_POINTS = 1025
CDF_POINTS = 4097


def beta_quantiles(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Quantile tables, shape (len(alpha), QUANTILE_POINTS), of Beta(alpha, beta) with both
    shapes >= 1 (as in PERT): the density is integrated by the trapezoid rule and inverted
    by linear interpolation. Equal shape pairs share one table."""
    pairs, inverse = np.unique(np.round(np.c_[alpha, beta], 9), axis=0, return_inverse=True)
    x = np.linspace(0.0, 1.0, CDF_POINTS)
    inner = x[1:-1]
    log_x, log_1x = np.log(inner), np.log1p(-inner)
    u = np.linspace(0.0, 1.0, QUANTILE_POINTS)
    tables = np.empty((len(pairs), QUANTILE_POINTS))
    for j, (a, b) in enumerate(pairs):
        log_pdf = (a - 1) * log_x + (b - 1) * log_1x
        pdf = np.exp(log_pdf - log_pdf.max())
        ends = [1.0 if a == 1 else 0.0, 1.0 if b == 1 else 0.0]
        pdf = np.r_[ends[0], pdf, ends[1]]
        cdf = np.r_[0.0, np.cumsum(pdf[1:] + pdf[:-1])]
        tables[j] = np.interp(u, cdf / cdf[-1], x)
    return tables[inverse.ravel()]


def _pert_beta(
    rng: np.random.Generator, a: np.ndarray, m: np.ndarray, b: np.ndarray, trials: int
) -> np.ndarray:
    """PERT-beta durations, shape (tasks, trials), by inverse-transform sampling:
    shapes 1 + 4(m - a)/(b - a) and 1 + 4(b - m)/(b - a), scaled to [a, b]."""
    spread = b - a
    out = np.repeat(a[:, None], trials, axis=1)
    vary = np.flatnonzero(spread > 0)
    if vary.size == 0:
        return out
    s = spread[vary]
    q = beta_quantiles(1 + 4 * (m[vary] - a[vary]) / s, 1 + 4 * (b[vary] - m[vary]) / s)
    q = a[vary, None] + q * s[:, None]  # quantiles of the durations themselves
    pos = rng.random((vary.size, trials))
    pos *= QUANTILE_POINTS - 1
    idx = pos.astype(np.intp)
    pos -= idx  # the fraction between two table points
    idx += (np.arange(vary.size) * QUANTILE_POINTS)[:, None]
    flat = q.ravel()
    lo = flat[idx]
    idx += 1
    hi = flat[idx]
    hi -= lo
    hi *= pos
    hi += lo
    out[vary] = hi
    return out


def _triangular(
    rng: np.random.Generator, a: np.ndarray, m: np.ndarray, b: np.ndarray, trials: int
) -> np.ndarray:
    """Triangular durations, shape (tasks, trials), by the inverse of the triangular CDF."""
    a, m, b = a[:, None], m[:, None], b[:, None]
    spread = b - a
    safe = np.where(spread > 0, spread, 1.0)
    c = (m - a) / safe
    u = rng.random((a.shape[0], trials))
    left = a + np.sqrt(u * spread * (m - a))
    right = b - np.sqrt((1 - u) * spread * (b - m))
    return np.where(spread > 0, np.where(u < c, left, right), a)


def sample_durations(
    network: Network,
    trials: int,
    rng: np.random.Generator,
    distribution: Distribution,
    history: Mapping[str, Sequence[float]] | None = None,
    shared_factor: float = 0.0,
) -> npt.NDArray[np.float64]:
    """Durations of shape (tasks, trials); a task without an estimate keeps its duration.

    With `shared_factor` s > 0, every duration of a trial is multiplied by one lognormal
    factor of mean 1 and spread s: the team is slow, or fast, on everything at once.
    """
    est = np.array([t.estimate or (t.expected,) * 3 for t in network.tasks], dtype=np.float64)
    est = est.reshape(len(network.tasks), 3)
    a, m, b = est[:, 0], est[:, 1], est[:, 2]
    if distribution == Distribution.TRIANGULAR:
        out = _triangular(rng, a, m, b, trials)
    elif distribution == Distribution.HISTORICAL:
        out = np.repeat(m[:, None], trials, axis=1)
        for i, t in enumerate(network.tasks):
            past = np.asarray((history or {}).get(t.kind or t.id, ()), dtype=np.float64)
            if past.size:
                out[i] = rng.choice(past, size=trials)
    else:
        out = _pert_beta(rng, a, m, b, trials)
    if shared_factor > 0:
        factor = np.exp(rng.normal(-(shared_factor**2) / 2, shared_factor, size=trials))
        out *= factor[None, :]
    return out


def simulate(
    network: Network,
    *,
    trials: int = 10_000,
    seed: int = 0,
    distribution: Distribution = Distribution.PERT,
    finish_by: float | None = None,
    history: Mapping[str, Sequence[float]] | None = None,
    shared_factor: float = 0.0,
) -> Forecast:
    """Schedules every trial at once and returns P(finish by D), percentiles of the finish
    and each task's criticality index (share of trials in which its total float was zero).

    `shared_factor` models correlated slowness (see `sample_durations`).
    """
    if trials < 1:
        raise ValueError("trials must be at least 1")
    if shared_factor < 0:
        raise ValueError("shared_factor must not be negative")
    c = compile_network(network)
    rng = np.random.default_rng(seed)
    dur = sample_durations(network, trials, rng, Distribution(distribution), history, shared_factor)
    es, ef = forward(c, dur)
    finish = ef.max(axis=0) if ef.size else np.zeros(trials)
    ls, _ = backward(c, dur, finish)
    critical = (ls - es) <= 1e-7 * np.maximum(1.0, finish[None, :])
    share = critical.mean(axis=1)
    return Forecast(
        trials=trials,
        p_finish_by=None if finish_by is None else float((finish <= finish_by + 1e-9).mean()),
        percentiles={p: float(np.percentile(finish, p)) for p in PERCENTILES},
        criticality={tid: float(share[i]) for i, tid in enumerate(c.ids)},
    )
