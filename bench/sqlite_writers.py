"""How long concurrent task creates wait for SQLite's write lock: SQLite's busy handler alone
(the default), or with Headway's writer lock (HEADWAY_SQLITE_WRITER_LOCK=on).

Run `.venv/bin/python bench/sqlite_writers.py` after `bench/speed.py` (it reuses that bench's
database, var/bench/speed/speed.sqlite3, and its 1,000-task plan). Like gunicorn, it forks
PROCESSES processes of THREADS threads; each thread creates tasks through the API (Django's
test client, in process, so no HTTP or client CPU is counted) and the time each request
spends getting its write transaction (`BEGIN IMMEDIATE`, and the lock before it) is recorded
apart from the request's whole time. The machine is shared: state the load with the figures.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "speed" / "speed.sqlite3"
PROCESSES = int(os.environ.get("WRITERS_PROCESSES", "4"))
THREADS = int(os.environ.get("WRITERS_THREADS", "5"))
PER_THREAD = int(os.environ.get("WRITERS_PER_THREAD", "25"))
SWITCH = float(os.environ.get("WRITERS_SWITCH_INTERVAL", "0"))  # sys.setswitchinterval


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p / 100), len(ordered) - 1)]


def setup() -> tuple[str, str]:
    os.environ.update(
        DATABASE_URL=f"sqlite:///{DATABASE}",
        DJANGO_SETTINGS_MODULE="headway.settings",
        SECRET_KEY="bench-only-" + "s" * 40,
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from headway.accounts.models import User
    from headway.accounts.services import token_create
    from headway.planning.models import Campaign

    owner = User.objects.get(email="speed@example.com")
    _, token = token_create(actor=owner, name="writers bench")
    campaign = Campaign.objects.get(name="Plan of 1000")
    path = f"/api/v1/workspaces/{campaign.workspace.slug}/campaigns/{campaign.pk}/tasks"
    from django.db import connections

    connections.close_all()  # each forked process opens its own
    return token, path


def instrument(waits: dict[int, float]) -> None:
    """Records, per thread, the seconds spent in starting write transactions."""
    from headway.core.sqlite.base import DatabaseWrapper

    begin = DatabaseWrapper._start_transaction_under_autocommit

    def timed(self: DatabaseWrapper) -> None:
        start = time.perf_counter()
        try:
            begin(self)
        finally:
            key = threading.get_ident()
            waits[key] = waits.get(key, 0.0) + time.perf_counter() - start

    DatabaseWrapper._start_transaction_under_autocommit = timed  # type: ignore[method-assign]


def worker(token: str, path: str, out: int) -> None:
    from django.test import Client

    if SWITCH:
        sys.setswitchinterval(SWITCH)

    waits: dict[int, float] = {}
    instrument(waits)
    rows: list[tuple[float, float]] = []
    lock = threading.Lock()

    def client() -> None:
        http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        key = threading.get_ident()
        for n in range(PER_THREAD):
            before = waits.get(key, 0.0)
            start = time.perf_counter()
            response = http.post(path, data={"title": f"w{n}"}, content_type="application/json")
            took = time.perf_counter() - start
            assert response.status_code == 201, response.content
            with lock:
                rows.append((took * 1000, (waits.get(key, 0.0) - before) * 1000))

    # One request first, not counted: the process loads the URLs, templates and API schema.
    warm = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (
        warm.post(path, data={"title": "warm"}, content_type="application/json").status_code == 201
    )
    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os.write(out, json.dumps(rows).encode())
    os.close(out)
    os._exit(0)


def main() -> None:
    token, path = setup()
    readers, started = [], time.perf_counter()
    for _ in range(PROCESSES):
        r, w = os.pipe()
        if os.fork() == 0:
            os.close(r)
            worker(token, path, w)
        os.close(w)
        readers.append(r)
    rows: list[list[float]] = []
    for r in readers:
        chunks = []
        while chunk := os.read(r, 1 << 16):
            chunks.append(chunk)
        rows.extend(json.loads(b"".join(chunks)))
        os.wait()
    elapsed = time.perf_counter() - started
    took = [t for t, _ in rows]
    wait = [w for _, w in rows]
    mode = os.environ.get("HEADWAY_SQLITE_WRITER_LOCK", "off")
    print(
        f"writer lock {mode}, GIL switch interval {SWITCH * 1000 if SWITCH else 5:g} ms: "
        f"{PROCESSES} processes x {THREADS} threads x {PER_THREAD} creates: "
        f"{len(rows) / elapsed:.0f} req/s; request p50 {statistics.median(took):.1f} ms, "
        f"p95 {percentile(took, 95):.1f} ms; waiting for the write lock p50 "
        f"{statistics.median(wait):.1f} ms, p95 {percentile(wait, 95):.1f} ms, "
        f"{100 * sum(wait) / sum(took):.0f}% of request time"
    )


if __name__ == "__main__":
    main()
