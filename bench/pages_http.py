"""The board and the campaign page at real size, measured through HTTP against `headway serve`
(gunicorn, production settings), logged in with a session cookie.

Run with `.venv/bin/python bench/pages_http.py [requests] [--scaling]` (default 120 requests per
page). It builds a 1,000-task campaign with 2,000 links in its own SQLite database under
var/pages_http/ (or, with BENCH_DATABASE_URL=postgres://…/headway_<name>, in that PostgreSQL
database, dropped and created), starts `headway serve` on a free port against it, and times
sequential GETs on one keep-alive connection: p50, p95 and the response size. With --scaling
it also prints the board's p50 at 100, 1,000 and 10,000 tasks (a fresh database for each size).

Targets (issue 11): board p95 <= 100 ms, campaign page p95 <= 200 ms with 1,000 tasks.

Measured 24 Nov 2026 ~05:55 UTC (60 GETs; load 0.3-1.4, a CI run starting beside the last):
- SQLite: board p50 41.7 / p95 51.3 ms (server CPU 43.3 ms), campaign page 92.5 / 96.2 ms (92.3).
- PostgreSQL (BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/headway_pagesbench): board
  61.2 / 74.9 ms (49.0), campaign page 117.7 / 128.3 ms (104.5).
- Board scaling, SQLite (--scaling, 40 GETs, load 1.4-2.0): p50 27.5 / 44.8 / 69.9 ms at 100 /
  1,000 / 10,000 tasks (the board sends the first 50 cards of each column; the rest by htmx).
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django_bench import (
    ROOT,
    bench_database_url,
    bench_team,
    django_for_bench,
    is_postgres,
    percentile,
    server_cpu_seconds,
)

STATUS_MIX = ["not_started"] * 5 + ["in_progress"] * 2 + ["blocked", "in_review"] + ["done"] * 3


def build(tasks: int, name: str) -> tuple[dict[str, str], str]:
    """A database holding one campaign of `tasks` tasks (2 links each, a milestone every 50,
    statuses spread over the board's columns), and the session cookie of its owner."""
    django_for_bench(name)
    import random

    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from headway.planning.models import Dependency, Task
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.schedule import campaign_reschedule

    owner, ws, people = bench_team()
    rng = random.Random(11)
    campaign = campaign_create(actor=owner, workspace=ws, name="Big launch")
    now = timezone.now()
    with transaction.atomic():
        made = Task.objects.bulk_create(
            Task(
                workspace=ws,
                campaign=campaign,
                title=f"Task {n}",
                position=n,
                duration_days=rng.randint(1, 5),
                owner=rng.choice([*people, None]),
                kind="launch" if n == tasks - 1 else ("milestone" if n % 50 == 49 else "task"),
            )
            for n in range(tasks)
        )
        milestones = [t for t in made if t.kind != "task"]
        for t in made:
            if t.kind == "task":
                t.milestone = milestones[min(t.position // 50, len(milestones) - 1)]
                t.status = rng.choice(STATUS_MIX)
                t.done_at = now if t.status == "done" else None
                t.blocked_reason = "Waiting" if t.status == "blocked" else ""
        Task.objects.bulk_update(made, ["milestone", "status", "done_at", "blocked_reason"])
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 2 * tasks:
            s = rng.randint(1, tasks - 1)
            pairs.add((rng.randint(max(0, s - 30), s - 1), s))
        Dependency.objects.bulk_create(
            Dependency(workspace=ws, predecessor=made[p], successor=made[s], type="FS")
            for p, s in pairs
        )
    campaign_reschedule(campaign)
    client = Client()
    client.force_login(owner)
    urls = {
        "board": f"/w/{ws.slug}/board/",
        "campaign page": f"/w/{ws.slug}/campaigns/{campaign.pk}/",
    }
    return urls, client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    """`headway serve` on `port` against the database django_for_bench set up (its
    environment), waiting until it answers."""
    log = open(Path(os.environ["HEADWAY_VAR_DIR"]) / "serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "headway"), "serve", "--port", str(port)],
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # gunicorn listens before its workers have imported Django: wait for a page to answer
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"headway serve did not answer on {port}; see serve.log")


CPU_MS: dict[str, float] = {}  # page -> server CPU ms per request, from the last measure


def measure(port: int, cookie: str, url: str, repeats: int) -> tuple[list[float], int]:
    """Times `repeats` GETs of `url` on one connection; returns the times (ms) and the size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
    times, size = [], 0
    for n in range(repeats + 3):
        if n == 3 and SERVER:
            cpu = server_cpu_seconds(SERVER[0])
        start = time.perf_counter()
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        size = len(body)
        if n >= 3:  # the first requests warm the worker (imports, template cache)
            times.append(elapsed)
    conn.close()
    if SERVER:
        CPU_MS[url] = (server_cpu_seconds(SERVER[0]) - cpu) * 1000 / repeats
    return times, size


SERVER: list[subprocess.Popen[bytes]] = []  # the server being measured


def run(tasks: int, repeats: int, pages: list[str]) -> dict[str, tuple[list[float], int]]:
    """Builds a plan of `tasks` tasks in a child process's fresh database (Django is set up
    once per process), serves it, and measures `pages`."""
    name = f"pages_http_{tasks}"
    out = subprocess.run(
        [sys.executable, __file__, "--build", str(tasks), name],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    urls = dict(zip(["board", "campaign page"], out[1:3], strict=True))
    folder = ROOT / "var" / name
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "x" * 40,
        HEADWAY_VAR_DIR=str(folder),
        DATABASE_URL=bench_database_url(name),
    )
    port = free_port()
    server = serve(port)
    SERVER[:] = [server]
    try:
        found = {p: measure(port, out[0], urls[p], repeats) for p in pages}
        for p in pages:
            CPU_MS[p] = CPU_MS.pop(urls[p])
        return found
    finally:
        SERVER.clear()
        server.terminate()
        server.wait()


def main(repeats: int, scaling: bool) -> None:
    results = run(1000, repeats, ["board", "campaign page"])
    database = "PostgreSQL" if is_postgres(bench_database_url("pages_http_1000")) else "SQLite"
    print(
        f"Through HTTP (headway serve, {database}), 1,000 tasks / 2,000 links, {repeats} GETs each:"
    )
    for name, (ms, size) in results.items():
        print(
            f"  {name}: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
            f"max {max(ms):.1f} ms, {size / 1024:.0f} KB; "
            f"server CPU {CPU_MS[name]:.1f} ms a request (less sensitive to the machine's load)"
        )
    if scaling:
        print("Board scaling (p50 / p95 ms, KB):")
        for tasks in (100, 1000, 10_000):
            ms, size = run(tasks, max(repeats // 2, 20), ["board"])["board"]
            print(
                f"  {tasks:>6,} tasks: {statistics.median(ms):.1f} / "
                f"{percentile(ms, 95):.1f}, {size / 1024:.0f} KB"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        built, session = build(int(sys.argv[2]), sys.argv[3])
        print(session, built["board"], built["campaign page"])
    else:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        main(int(args[0]) if args else 120, "--scaling" in sys.argv)
