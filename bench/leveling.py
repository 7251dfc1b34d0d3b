"""Levelling benchmark: 2,000 tasks of 30 people in 40 campaigns (target <= 200 ms).

Run with `.venv/bin/python bench/leveling.py [repeats]` (default 20). Each campaign is a
network of 50 tasks (each linked to one or two earlier ones, mostly finish-to-start) with an
unlevelled schedule from a forward pass, its total floats from the critical path, and owners
drawn from 30 people (two freelancers on Tuesday to Thursday, a few with days off). The team
is booked well over its hours, so most tasks move, many of them several times while they
are placed: a heavy case for the scheme's search. Prints the median and p95 time of `level`
and how many tasks it moved.

With `--http` it then serves bench/load.py's database (30 people, 5,000 tasks in 50
campaigns) with `headway serve` and times, through HTTP on one keep-alive connection, the
load page (the 12-week grid; target p95 <= 150 ms) and the levelled section it loads (all
5,000 tasks levelled per request).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time

from headway.engine.calendar import BusinessDays, WorkCalendar
from headway.engine.cpm import schedule
from headway.engine.dated import PlanLink
from headway.engine.leveling import LevelTask, level
from headway.engine.load import Person
from headway.engine.network import Link, LinkType, Network, Task

PEOPLE, CAMPAIGNS, PER_CAMPAIGN = 30, 40, 50
FIRST = dt.date(2026, 1, 5)


def team(rng: random.Random) -> list[Person]:
    people = []
    for k in range(PEOPLE):
        weekdays = frozenset({1, 2, 3}) if k < 2 else frozenset(range(5))
        off = frozenset(FIRST + dt.timedelta(days=rng.randint(0, 120)) for _ in range(k % 4))
        people.append(Person(k + 1, 32.0 if k >= 2 else 18.0, weekdays, off))
    return people


def plan(rng: random.Random) -> tuple[list[LevelTask], list[PlanLink]]:
    calendar = BusinessDays(WorkCalendar())
    tasks: list[LevelTask] = []
    links: list[PlanLink] = []
    for c in range(CAMPAIGNS):
        base = c * PER_CAMPAIGN
        durations = [rng.randint(1, 8) for _ in range(PER_CAMPAIGN)]
        engine_links = []
        for i in range(1, PER_CAMPAIGN):
            for p in rng.sample(range(max(0, i - 6), i), k=min(i, rng.randint(1, 2))):
                kind = rng.choice([LinkType.FS] * 6 + [LinkType.SS, LinkType.FF])
                engine_links.append(Link(str(p), str(i), kind, float(rng.randint(0, 1))))
        network = Network(
            tuple(Task(str(i), float(d)) for i, d in enumerate(durations)), tuple(engine_links)
        )
        sched = schedule(network)
        offset = rng.randint(0, 60)
        launch = calendar.add(FIRST, offset + int(sched.duration) + 5)
        for i, d in enumerate(durations):
            ts = sched.tasks[str(i)]
            tasks.append(
                LevelTask(
                    id=base + i + 1,
                    start=calendar.add(FIRST, offset + int(ts.early_start)),
                    duration=d,
                    hours_per_day=rng.choice([2.0, 3.0, 4.0, 6.4]),
                    owner_id=rng.randint(1, PEOPLE),
                    total_float=ts.total_float,
                    launch=launch,
                    campaign_id=c,
                    campaign=f"Campaign {c}",
                )
            )
        links += [
            PlanLink(base + int(k.predecessor) + 1, base + int(k.successor) + 1, k.type, int(k.lag))
            for k in engine_links
        ]
    return tasks, links


def main(repeats: int) -> None:
    rng = random.Random(14)
    people = team(rng)
    tasks, links = plan(rng)
    calendar = WorkCalendar()
    times = []
    result = level(tasks, links, people, calendar)
    for _ in range(repeats):
        start = time.perf_counter()
        result = level(tasks, links, people, calendar)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    moved = result.moved
    print(f"level: {len(tasks)} tasks, {len(links)} links, {PEOPLE} people, {repeats} repeats")
    print(f"  median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms (target <= 200 ms)")
    print(
        f"  moved {len(moved)} tasks, up to {max((t.moved_days for t in moved), default=0)}"
        f" working days; {len(result.over_capacity)} over a day's capacity"
    )


def build_for_http() -> None:
    """In a child process: bench/load.py's database, and the owner's session and workspace."""
    import load as load_bench
    from django.test import Client
    from django_bench import django_for_bench

    django_for_bench("leveling_http")
    owner, ws = load_bench.build()
    client = Client()
    client.force_login(owner)
    print(client.cookies["sessionid"].value, ws.slug)


def over_http(repeats: int) -> None:
    from django_bench import ROOT, percentile
    from pages_http import CPU_MS, SERVER, free_port, measure, serve

    out = subprocess.run(
        [sys.executable, __file__, "--build-http"], check=True, capture_output=True, text=True
    ).stdout.split()
    cookie, slug = out[-2], out[-1]
    folder = ROOT / "var" / "leveling_http"
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "x" * 40,
        HEADWAY_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
    )
    port = free_port()
    server = serve(port)
    SERVER[:] = [server]
    try:
        pages = {
            "load page (grid)": f"/w/{slug}/capacity/",
            "levelled section": f"/w/{slug}/capacity/levelled/",
        }
        print(f"Through HTTP (headway serve, SQLite), 30 people, 5,000 tasks, {repeats} GETs:")
        for name, url in pages.items():
            ms, size = measure(port, cookie, url, repeats)
            print(
                f"  {name}: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms,"
                f" max {max(ms):.1f} ms, {size / 1024:.0f} KB; server CPU"
                f" {CPU_MS.get(url, float('nan')):.1f} ms a request"
            )
    finally:
        SERVER.clear()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-http"]:
        build_for_http()
    else:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        count = int(args[0]) if args else 20
        main(count)
        if "--http" in sys.argv:
            over_http(max(count, 50))
