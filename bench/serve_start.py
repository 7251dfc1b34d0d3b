"""How long `headway serve` takes to answer its first request (issue 11: listening within 3 s).

Run with `.venv/bin/python bench/serve_start.py` (SQLite, a database under
var/bench/serve_start/ migrated once; SERVE_START_RUNS sets the number of starts, default 5).
For each start it prints the load average, the seconds from starting `headway serve` (the
console command, as deployed) to the first 200 on the login page, and then the wall time of
the next few requests (login page, the OpenAPI description, a static file), so that making
the start cheaper by loading things later shows up if it moves their cost into the first
requests.

Measured 2026-11-24, 2 CPUs shared with other sessions, 5 starts each, SQLite (the code before,
f261b52, run from `git archive` with this script, then the code after):

| code                                  | load      | first 200 after (median, min-max) |
|---------------------------------------|-----------|-----------------------------------|
| f261b52 (altair, icalendar at start)  | 1.3-1.5   | 3.38 s (3.32-3.48)                |
| lazy altair and icalendar             | 1.1-1.3   | 2.53 s (2.42-2.57)                |
| f261b52 (same checkout, earlier)      | 0.9       | 3.19 s (3.15-3.21)                |
| lazy altair and icalendar             | 0.7-0.9   | 2.57 s (2.53-2.83)                |

The requests after the first did not change (login page 4-40 ms, the OpenAPI description
~300 ms, built at its first request). A page that draws a chart imports altair at its first
chart in each worker (~0.7 s of CPU, as vl-convert's first render already costs ~1 s).
Where the remaining ~2.5 s goes (in process, load ~1): Python and gunicorn ~0.3 s, the
`headway` console command before it hands over to gunicorn ~0.25 s, django.setup() 1.4 s
(Django, ninja and pydantic, numpy for the engine, headway.results' sources: ~0.15 s with
charset_normalizer, babel and its month names for seven locales read at import), the
URLconf 0.65 s (ninja building each API router's schemas).
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

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("SERVE_START_RUNS", "5"))
FOLDER = ROOT / "var" / "bench" / "serve_start"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment() -> dict[str, str]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{FOLDER / 'serve_start.sqlite3'}"
        ),
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "s" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "headway.settings",
    }
    return {**os.environ, **env}


def get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - start) * 1000


def one_start(env: dict[str, str]) -> tuple[float, list[tuple[str, int, float]]]:
    port = free_port()
    argv = [sys.executable, "-m", "headway.cli", "serve", "--port", str(port)]
    start = time.perf_counter()
    server = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"headway serve exited with status {server.returncode}")
            try:
                status, _ = get(port, "/accounts/login/")
                if status == 200:
                    ready = time.perf_counter() - start
                    break
            except OSError:
                time.sleep(0.01)
        after = [
            (path, *get(port, path))
            for path in ("/accounts/login/", "/api/v1/openapi.json", "/accounts/login/")
        ]
        return ready, after
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    env = environment()
    subprocess.run(
        [sys.executable, "-m", "headway.cli", "migrate", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    print("headway serve: seconds from start to the first 200 on /accounts/login/ (target 3)")
    readies = []
    for n in range(RUNS):
        before = load()
        ready, after = one_start(env)
        readies.append(ready)
        requests = ", ".join(f"{path} {status} {ms:.0f} ms" for path, status, ms in after)
        print(f"  run {n + 1}: load {before} -> answered after {ready:.2f} s; then {requests}")
        time.sleep(1)
    print(
        f"  median {statistics.median(readies):.2f} s, min {min(readies):.2f} s, "
        f"max {max(readies):.2f} s; load at end {load()}"
    )


if __name__ == "__main__":
    main()
