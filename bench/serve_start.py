"""How long `headway serve` takes to answer its first request (issue 11: listening within 3 s).

Run with `.venv/bin/python bench/serve_start.py` (SQLite, a database under
var/bench/serve_start/ migrated once; SERVE_START_RUNS sets the number of starts, default 5).
For each start it prints the load average, the seconds from starting `headway serve` (the
console command, as deployed) to the first 200 on the login page, and then the wall time of
the next few requests (login page, the OpenAPI description, a static file), so that making
the start cheaper by loading things later shows up if it moves their cost into the first
requests.

Measured 2026-11-24 (2 CPUs shared with other sessions): see the figures in the commit that
last changed this file, and headway/urls.py's imports.
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
