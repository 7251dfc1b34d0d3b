"""Planning benchmarks: server time of the campaign page and the board with 300 tasks and
600 links, and rescheduling that campaign after a slip.

Run with `make bench` (or `.venv/bin/python bench/planning.py`). It builds its own SQLite
database under var/bench/ through the planning services, then times requests through
Django's test client (middleware, view, selectors and template; no network).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _times(fn: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    import django

    django.setup()
    from django.conf import settings

    # Static files are not collected for the benchmark: plain storage, no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from headway.accounts.services import user_create
    from headway.planning.models import Dependency, Task
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.schedule import (
        PlanChange,
        campaign_reschedule,
        plan_preview,
    )
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    call_command("migrate", verbosity=0)
    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    people = [owner]
    for k in range(8):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k}", password="bench-pass-123")
        membership_add(actor=owner, workspace=ws, user=u, role=Role.MEMBER)
        people.append(u)
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
    campaign_reschedule(campaign)

    client = Client()
    client.force_login(owner)
    page_url = f"/w/{ws.slug}/campaigns/{campaign.pk}/"
    board_url = f"/w/{ws.slug}/board/"
    for url in (page_url, board_url):
        assert client.get(url).status_code == 200
    page = _times(lambda: client.get(page_url), 100)
    board = _times(lambda: client.get(board_url), 100)
    slip = tasks[10]
    flip = iter(range(1000))

    def slip_and_reschedule() -> None:
        # A real change each time: the slipped task alternates between 2 and 9 days; one
        # transaction, as in the request that saves the change.
        with transaction.atomic():
            Task.objects.filter(pk=slip.pk).update(duration_days=9 if next(flip) % 2 else 2)
            campaign_reschedule(campaign)

    resched = _times(slip_and_reschedule, 40)
    preview = _times(lambda: plan_preview(campaign, PlanChange(task_id=slip.pk, duration=9)), 40)
    print("Planning, 300 tasks and 600 links on SQLite (ms; median / p95):")
    print(
        f"  campaign page {statistics.median(page):.0f} / {_percentile(page, 95):.0f}; "
        f"board {statistics.median(board):.0f} / {_percentile(board, 95):.0f} "
        "(target p95 <= 150)"
    )
    print(
        f"  reschedule after a change (load, schedule, store) {statistics.median(resched):.0f}"
        f" / {_percentile(resched, 95):.0f}; cascade preview {statistics.median(preview):.0f}"
        f" / {_percentile(preview, 95):.0f} (target <= 100)"
    )


if __name__ == "__main__":
    main()
