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


def _pert_beta(
    rng: np.random.Generator, a: np.ndarray, m: np.ndarray, b: np.ndarray, trials: int
) -> np.ndarray:
    spread = b - a
    safe = np.where(spread > 0, spread, 1.0)
    alpha = 1 + 4 * (m - a) / safe
    beta = 1 + 4 * (b - m) / safe
    x = rng.beta(alpha, beta, size=(trials, a.size))
    return np.where(spread > 0, a + x * spread, a)


def _triangular(
    rng: np.random.Generator, a: np.ndarray, m: np.ndarray, b: np.ndarray, trials: int
) -> np.ndarray:
    spread = b - a
    safe = np.where(spread > 0, spread, 1.0)
    c = (m - a) / safe
    u = rng.random((trials, a.size))
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
    """Durations of shape (trials, tasks); a task without an estimate keeps its duration.

    With `shared_factor` s > 0, every duration of a trial is multiplied by one lognormal
    factor of mean 1 and spread s: the team is slow, or fast, on everything at once.
    """
    est = np.array([t.estimate or (t.expected,) * 3 for t in network.tasks], dtype=np.float64)
    est = est.reshape(len(network.tasks), 3)
    a, m, b = est[:, 0], est[:, 1], est[:, 2]
    if distribution == Distribution.TRIANGULAR:
        out = _triangular(rng, a, m, b, trials)
    elif distribution == Distribution.HISTORICAL:
        out = np.repeat(m[None, :], trials, axis=0)
        for i, t in enumerate(network.tasks):
            past = np.asarray((history or {}).get(t.kind or t.id, ()), dtype=np.float64)
            if past.size:
                out[:, i] = rng.choice(past, size=trials)
    else:
        out = _pert_beta(rng, a, m, b, trials)
    if shared_factor > 0:
        factor = np.exp(rng.normal(-(shared_factor**2) / 2, shared_factor, size=trials))
        out = out * factor[:, None]
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
    finish = ef.max(axis=1) if ef.size else np.zeros(trials)
    ls, _ = backward(c, dur, finish)
    critical = (ls - es) <= 1e-7 * np.maximum(1.0, finish[:, None])
    share = critical.mean(axis=0)
    return Forecast(
        trials=trials,
        p_finish_by=None if finish_by is None else float((finish <= finish_by + 1e-9).mean()),
        percentiles={p: float(np.percentile(finish, p)) for p in PERCENTILES},
        criticality={tid: float(share[i]) for i, tid in enumerate(c.ids)},
    )
