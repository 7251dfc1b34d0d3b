"""Engine benchmarks: each prints its figure beside a plain-Python version of the same work.

Run with `make bench` (or `.venv/bin/python bench/run.py`). Figures are medians of repeats.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from headway.engine.cpm import schedule, schedule_compiled
from headway.engine.flow import FlowLog, flow_metrics
from headway.engine.montecarlo import simulate
from headway.engine.network import Link, LinkType, Network, Task, compile_network
from headway.engine.reference import plain_schedule


def timed(fn: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_network(n: int, links: int, seed: int, estimates: bool = False) -> Network:
    rng = random.Random(seed)
    tasks = []
    for i in range(n):
        m = rng.randint(1, 8)
        tasks.append(Task(f"T{i}", float(m), (m * 0.7, float(m), m * 1.8) if estimates else None))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        s = rng.randint(1, n - 1)
        p = rng.randint(max(0, s - 60), s - 1)
        pairs.add((p, s))
    kinds = [LinkType.FS] * 7 + [LinkType.SS, LinkType.FF, LinkType.SF]
    return Network(
        tasks=tuple(tasks),
        links=tuple(
            Link(f"T{p}", f"T{s}", rng.choice(kinds), float(rng.randint(-1, 2)))
            for p, s in sorted(pairs)
        ),
    )


def bench_cpm() -> None:
    net = random_network(5000, 15000, seed=1)
    compiled = compile_network(net)
    durations = np.array([t.duration for t in net.tasks])
    passes = timed(lambda: schedule_compiled(compiled, durations))
    whole = timed(lambda: schedule(net))
    plain = timed(lambda: plain_schedule(net))
    print(
        f"CPM 5,000 tasks / 15,000 links: schedule on a compiled network {passes * 1000:.1f} ms; "
        f"including validation and compilation {whole * 1000:.1f} ms; "
        f"plain Python {plain * 1000:.1f} ms (speed-up {plain / passes:.1f}x passes, "
        f"{plain / whole:.1f}x whole); target <= 50 ms"
    )


def plain_monte_carlo(net: Network, trials: int, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    finishes = []
    for _ in range(trials):
        tasks = []
        for t in net.tasks:
            a, m, b = t.estimate  # type: ignore[misc]
            alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
            tasks.append(Task(t.id, a + rng.beta(alpha, beta) * (b - a)))
        dates = plain_schedule(Network(tasks=tuple(tasks), links=net.links))
        finishes.append(max(v[1] for v in dates.values()))
    return finishes


def bench_monte_carlo() -> None:
    net = random_network(500, 1500, seed=2, estimates=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fast = timed(lambda: simulate(net, trials=10_000, seed=1, finish_by=100), repeats=3)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sample_trials = 100
    plain = timed(lambda: plain_monte_carlo(net, sample_trials, 1), repeats=1) * (
        10_000 / sample_trials
    )
    print(
        f"Monte Carlo 500 tasks x 10,000 trials (sampling, both passes, criticality): "
        f"{fast * 1000:.0f} ms; peak resident memory {peak / 1024:.0f} MB "
        f"(+{(peak - before) / 1024:.0f} MB); plain Python about {plain:.1f} s "
        f"(timed on {sample_trials} trials, scaled), speed-up about {plain / fast:.0f}x; "
        "targets <= 300 ms, <= 1 GB"
    )


def flow_events(n_events: int, seed: int) -> FlowLog:
    rng = np.random.default_rng(seed)
    per_item = 5
    items = n_events // per_item
    start = rng.uniform(0, 365, size=items)
    gaps = rng.exponential(2.0, size=(items, per_item))
    times = start[:, None] + np.cumsum(gaps, axis=1)
    stages = np.tile(np.arange(per_item), items)
    # Leave a tenth of the items unfinished.
    keep = ~((np.repeat(np.arange(items) % 10 == 0, per_item)) & (stages == per_item - 1))
    return FlowLog(np.repeat(np.arange(items), per_item)[keep], stages[keep], times.ravel()[keep])


def plain_flow(log: FlowLog, start: int, done: int) -> list[float]:
    first: dict[tuple[int, int], float] = {}
    for item, stage, t in zip(
        log.items.tolist(), log.stages.tolist(), log.entered.tolist(), strict=True
    ):
        key = (item, stage)
        if key not in first or t < first[key]:
            first[key] = t
    cycle = []
    for (item, stage), t in first.items():
        if stage == done and (item, start) in first:
            cycle.append(t - first[(item, start)])
    cycle.sort()
    return cycle


def bench_flow() -> None:
    log = flow_events(1_000_000, seed=3)
    stages = ["Backlog", "Committed", "Drafting", "Review", "Done"]
    fast = timed(
        lambda: flow_metrics(
            log,
            stages,
            "Committed",
            "Done",
            waiting=["Backlog", "Review"],
            working=["Committed", "Drafting"],
        ),
        repeats=3,
    )
    plain = timed(lambda: plain_flow(log, 1, 4), repeats=1)
    print(
        f"Flow metrics over {log.items.size:,} events (CFD, cycle time, throughput, WIP age, "
        f"time in stage, efficiency): {fast * 1000:.0f} ms; plain Python for cycle times alone "
        f"{plain * 1000:.0f} ms (speed-up {plain / fast:.1f}x); target <= 2 s"
    )


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}, NumPy {np.__version__}")
    bench_cpm()
    bench_monte_carlo()
    bench_flow()
