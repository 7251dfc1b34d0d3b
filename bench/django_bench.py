"""What the page benchmarks share: a fresh SQLite database of their own under var/, Django
set up against it with production settings (DEBUG off), and timing helpers.

BENCH_DATABASE_URL=postgres://user@host:port/name runs a benchmark on PostgreSQL instead: that
database is dropped and created again (its name must start with "headway_" and must not be a
test database), so a benchmark never writes into a database it did not make."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url(name: str) -> str:
    """The database a benchmark named `name` uses: BENCH_DATABASE_URL (PostgreSQL) when set,
    else var/<name>/bench.sqlite3."""
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{ROOT / 'var' / name / 'bench.sqlite3'}"
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"BENCH_DATABASE_URL must be a postgres:// URL, not {url!r}")
    database = urlsplit(url).path.lstrip("/")
    if not database.startswith("headway_") or database.startswith("test_"):
        raise SystemExit(
            f"BENCH_DATABASE_URL names the database {database!r}: a benchmark drops and creates "
            "its database, so give it one of its own whose name starts with headway_"
        )
    return url


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def recreate_postgres(url: str) -> None:
    """Drops the PostgreSQL database `url` names and creates it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def django_for_bench(name: str) -> None:
    """Sets up Django on a new database (var/<name>/bench.sqlite3, or the PostgreSQL database
    BENCH_DATABASE_URL names, dropped and created) and migrates it."""
    folder = ROOT / "var" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    url = bench_database_url(name)
    if is_postgres(url):
        recreate_postgres(url)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Static files are not collected for benchmarks: plain storage, no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by linear interpolation."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def times_ms(fn: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


@dataclass
class BigPlan:
    """A 300-task campaign with 600 finish-to-start links among nine people."""

    owner: Any
    workspace: Any
    campaign: Any
    tasks: list[Any]
    rng: random.Random


def bench_team() -> tuple[Any, Any, list[Any]]:
    """The benchmarks' owner, workspace "Bench Co" and its nine people (owner first)."""
    from headway.accounts.services import user_create
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    people = [owner]
    for k in range(8):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k}", password="bench-pass-123")
        membership_add(actor=owner, workspace=ws, user=u, role=Role.MEMBER)
        people.append(u)
    return owner, ws, people


def big_plan() -> BigPlan:
    """Builds the benchmarks' plan in the database set up by django_for_bench."""
    from django.db import transaction

    from headway.planning.models import Dependency, Task
    from headway.planning.services.campaigns import campaign_create

    owner, ws, people = bench_team()
    rng = random.Random(4)
    campaign = campaign_create(actor=owner, workspace=ws, name="Big launch")
    with transaction.atomic():
        tasks = Task.objects.bulk_create(
            Task(
                workspace=ws,
                campaign=campaign,
                title=f"Task {n}",
                position=n,
                duration_days=rng.randint(1, 5),
                owner=rng.choice([*people, None]),
                kind="launch" if n == 299 else "task",
            )
            for n in range(300)
        )
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 600:
            s = rng.randint(1, 299)
            pairs.add((rng.randint(max(0, s - 30), s - 1), s))
        Dependency.objects.bulk_create(
            Dependency(workspace=ws, predecessor=tasks[p], successor=tasks[s], type="FS")
            for p, s in pairs
        )
    return BigPlan(owner, ws, campaign, tasks, rng)


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) the server and every process under it have used so far."""
    parent, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parent[pid], used[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    family, grew = {server.pid}, True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    return sum(used.get(pid, 0) for pid in family) / os.sysconf("SC_CLK_TCK")
