"""Throughput forecasts for work without dependencies, by resampling past periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PERCENTILES = (50, 70, 85, 95)


@dataclass(frozen=True)
class WhenForecast:
    percentiles: dict[int, float]  # periods needed, by confidence
    p_within: dict[int, float]  # P(done within k periods)


@dataclass(frozen=True)
class HowManyForecast:
    how_many: dict[int, float]  # the 85 figure: this many or more in 85% of trials


def _history(history: Sequence[float]) -> np.ndarray:
    past = np.asarray(history, dtype=np.float64)
    if past.size == 0:
        raise ValueError("the history is empty: give items finished per period, e.g. 3,5,2")
    if (past < 0).any():
        raise ValueError("the history has a negative count")
    return past


def when_done(
    history: Sequence[float], items: int, *, trials: int = 10_000, seed: int = 0, horizon: int = 520
) -> WhenForecast:
    """How many periods until `items` are finished, drawing each period from the history."""
    past = _history(history)
    if items <= 0:
        raise ValueError("items must be at least 1")
    if past.max() == 0:
        raise ValueError("the history has no finished items, so no date can be forecast")
    rng = np.random.default_rng(seed)
    draws = rng.choice(past, size=(trials, horizon))
    done = np.cumsum(draws, axis=1) >= items
    periods = np.where(done.any(axis=1), done.argmax(axis=1) + 1, horizon + 1)
    top = int(periods.max())
    return WhenForecast(
        percentiles={
            p: float(np.ceil(np.percentile(periods, p, method="higher"))) for p in PERCENTILES
        },
        p_within={k: float((periods <= k).mean()) for k in range(1, min(top, horizon) + 1)},
    )


def how_many(
    history: Sequence[float], periods: int, *, trials: int = 10_000, seed: int = 0
) -> HowManyForecast:
    """Items finished in `periods` periods; the p figure is met or beaten in p% of trials."""
    past = _history(history)
    if periods <= 0:
        raise ValueError("periods must be at least 1")
    rng = np.random.default_rng(seed)
    totals = rng.choice(past, size=(trials, periods)).sum(axis=1)
    return HowManyForecast(
        how_many={p: float(np.percentile(totals, 100 - p, method="lower")) for p in PERCENTILES}
    )
