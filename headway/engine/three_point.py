"""Three-point estimates (optimistic, most likely, pessimistic working days)."""

from __future__ import annotations


def pert_mean(a: float, m: float, b: float) -> float:
    """The PERT mean of a three-point estimate: (o + 4m + p) / 6, the duration a plan uses."""
    return (a + 4 * m + b) / 6


def pert_variance(a: float, m: float, b: float) -> float:
    """The PERT variance of a three-point estimate: ((p - o) / 6)^2."""
    return ((b - a) / 6) ** 2
