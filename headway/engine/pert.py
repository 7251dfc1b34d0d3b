"""PERT: three-point estimates, the expected project duration and P(finish by D)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from headway.engine.cpm import schedule
from headway.engine.network import Network
from headway.engine.three_point import pert_variance


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass(frozen=True)
class PertResult:
    expected_duration: float
    std_dev: float
    p_finish_by: float | None
    critical_path: list[str]


def pert(network: Network, *, finish_by: float | None = None) -> PertResult:
    """The expected duration along the critical path of expected durations, its standard
    deviation (the root of the summed variances of that path), and P(T <= finish_by) from the
    normal approximation."""
    sched = schedule(network)
    by_id = {t.id: t for t in network.tasks}
    variance = sum(
        pert_variance(*by_id[tid].estimate)  # type: ignore[misc]
        for tid in sched.critical_path
        if by_id[tid].estimate is not None
    )
    std = math.sqrt(variance)
    p = None
    if finish_by is not None:
        if std == 0:
            p = 1.0 if finish_by >= sched.duration - 1e-9 else 0.0
        else:
            p = normal_cdf((finish_by - sched.duration) / std)
    return PertResult(sched.duration, std, p, sched.critical_path)
