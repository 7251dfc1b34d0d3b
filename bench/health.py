"""Launch forecast benchmark: 40 campaigns x 50 tasks x 10,000 trials (target <= 2 s in all).

Run with `.venv/bin/python bench/health.py [repeats]` (default 3). Each campaign is a random
network of 50 remaining tasks (a spine with side branches, FS links and some SS/FF with lag):
a third with three-point estimates, a third drawn from the team's history (actual/planned
ratios by role, 60 samples each), a third from the default spread, a few held back by a
start-no-earlier-than date. Times `forecast_launch` for all 40 campaigns (the engine work the
background job does), then the health rules on the results.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from headway.engine.health import CampaignSnapshot, Phase, TaskFact, health
from headway.engine.launch_forecast import (
    ForecastInput,
    LaunchForecast,
    RemainingLink,
    RemainingTask,
    forecast_launch,
)

CAMPAIGNS, TASKS, TRIALS = 40, 50, 10_000
ROLES = ["designer", "copywriter", "web", "email", "social"]


def campaign(rng: random.Random, seed: int) -> ForecastInput:
    tasks, links = [], []
    for i in range(TASKS):
        planned = float(rng.randint(1, 6))
        kind = i % 3
        estimate = (planned * 0.8, planned, planned * 1.7) if kind == 0 else None
        role = ROLES[i % len(ROLES)] if kind == 1 else "strategist"
        release = float(rng.randint(3, 10)) if rng.random() < 0.05 else 0.0
        tasks.append(RemainingTask(i + 1, planned, estimate, role, release))
        if i:
            pred = i if rng.random() < 0.6 else rng.randint(1, i)
            kind_link = rng.choice(["FS", "FS", "FS", "SS", "FF"])
            links.append(RemainingLink(pred, i + 1, kind_link, float(rng.randint(0, 2))))
    ratios = {r: [rng.lognormvariate(0.1, 0.3) for _ in range(60)] for r in ROLES}
    return ForecastInput(tuple(tasks), tuple(links), 60.0, ratios, TRIALS, seed)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rng = random.Random(12)
    inputs = [campaign(rng, k) for k in range(CAMPAIGNS)]
    forecast_launch(inputs[0])  # warm up NumPy
    runs = []
    results: list[LaunchForecast] = []
    for _ in range(repeats):
        started = time.perf_counter()
        results = [forecast_launch(f) for f in inputs]
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    import datetime as dt

    today = dt.date(2026, 11, 23)
    for f, r in zip(inputs, results, strict=True):
        snap = CampaignSnapshot(
            campaign_id=f.seed,
            owner_id=1,
            phase=Phase.OPEN,
            today=today,
            now=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
            launch_date=today + dt.timedelta(days=84),
            projected_launch=today + dt.timedelta(days=80),
            tasks=tuple(
                TaskFact(t.id, f"T{t.id}", "not_started", today, 1.0, True, 2) for t in f.tasks
            ),
            p_on_time=r.p_on_time,
        )
        health(snap)
    rules = time.perf_counter() - started
    p = [r.p_on_time or 0.0 for r in results]
    print(f"forecasts: {CAMPAIGNS} campaigns x {TASKS} tasks x {TRIALS:,} trials")
    print(f"  runs (s): {', '.join(f'{t:.2f}' for t in runs)}")
    print(f"  best {min(runs):.2f} s, median {statistics.median(runs):.2f} s (target <= 2 s)")
    print(f"  per campaign {1000 * min(runs) / CAMPAIGNS:.1f} ms")
    print(f"  P(on time) across campaigns: min {min(p):.2f}, median {statistics.median(p):.2f}")
    print(f"health rules on {CAMPAIGNS} snapshots: {1000 * rules:.1f} ms")


if __name__ == "__main__":
    main()
