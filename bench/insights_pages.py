"""The dashboard, the check-in agenda and the newcomer page at real size, through HTTP against
`headway serve` (gunicorn, production settings), logged in as a manager.

Run with `.venv/bin/python bench/insights_pages.py [requests]` (default 100 per page). It
builds 40 open campaigns of 50 tasks (2,000 tasks, chained, some blocked, some unowned), an
approval past its limit per campaign, 100,000 activity events over 90 days, and last week's
closed check-in, in its own SQLite database under var/insights_pages/, then times sequential
GETs on one keep-alive connection: p50, p95 and the response size.

Target (issue 12): dashboard and check-in p95 <= 150 ms. Measured 23 Nov 2026 on the shared
2-core machine (load average 5-8): dashboard p95 127 ms, check-in p95 361 ms (over target),
newcomer p95 198 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys

from django_bench import ROOT, django_for_bench, percentile
from pages_http import free_port, measure, serve

CAMPAIGNS, TASKS_PER, EVENTS = 40, 50, 100_000
NAME = "insights_pages"


def build() -> tuple[str, dict[str, str]]:
    django_for_bench(NAME)
    import random

    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from headway.accounts.services import user_create
    from headway.activity.models import Event
    from headway.approvals.services import StepSpec, approval_start, chain_create
    from headway.insights.services.checkins import checkin_close, checkin_open
    from headway.planning.models import Dependency, Task
    from headway.planning.services.campaigns import campaign_create, campaign_set_status
    from headway.planning.services.schedule import campaign_reschedule
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    rng = random.Random(12)
    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    manager = user_create(email="m@example.com", name="Manager", password="bench-pass-123")
    membership_add(actor=owner, workspace=ws, user=manager, role=Role.MANAGER)
    people = [owner, manager]
    for k in range(10):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k}", password="bench-pass-123")
        membership_add(actor=owner, workspace=ws, user=u, role=Role.MEMBER)
        people.append(u)
    chain = chain_create(actor=manager, workspace=ws, name="Founder", kind="content_draft",
                         steps=[StepSpec("Founder", approvers=[owner.pk])])  # fmt: skip
    today = ws.today()
    now = timezone.now()
    campaigns = []
    for c in range(CAMPAIGNS):
        launch = today + dt.timedelta(days=20 + c)
        campaign = campaign_create(actor=manager, workspace=ws, name=f"Campaign {c}",
                                   launch_date=launch, owner=manager.pk)  # fmt: skip
        with transaction.atomic():
            made = Task.objects.bulk_create(
                Task(workspace=ws, campaign=campaign, title=f"C{c} task {n}", position=n,
                     duration_days=rng.randint(1, 3),
                     owner=None if n % 9 == 4 else rng.choice(people),
                     kind="launch" if n == TASKS_PER - 1 else "task")
                for n in range(TASKS_PER)
            )  # fmt: skip
            Dependency.objects.bulk_create(
                Dependency(workspace=ws, predecessor=made[n - 1], successor=made[n], type="FS")
                for n in range(1, TASKS_PER)
            )
            blocked = [t for t in made[5:45:10] if t.owner_id]
            for t in blocked:
                t.status, t.blocked_reason, t.blocked_on = "blocked", "Waiting", owner
            Task.objects.bulk_update(blocked, ["status", "blocked_reason", "blocked_on"])
        campaign_reschedule(campaign)
        campaign_set_status(actor=manager, campaign=campaign, status="in_progress")
        first = Task.objects.get(pk=made[0].pk)
        if first.owner_id:
            approval_start(actor=manager, chain=chain, task=first,
                           at=now - dt.timedelta(days=5), force=True)  # fmt: skip
        campaigns.append((campaign, made))
    task_ids = [t.pk for _, made in campaigns for t in made]
    with transaction.atomic():
        Event.objects.bulk_create(
            (
                Event(workspace=ws, actor=rng.choice(people), verb="updated",
                      object_type="planning.task", object_id=str(rng.choice(task_ids)),
                      object_repr="Task", changes={"duration_days": [1, 2]},
                      created_at=now - dt.timedelta(minutes=rng.randint(1, 90 * 24 * 60)))
                for _ in range(EVENTS)
            ),
            batch_size=5000,
        )  # fmt: skip
    last = checkin_open(workspace=ws, now=now - dt.timedelta(days=7))
    checkin_close(actor=manager, checkin=last, now=now - dt.timedelta(days=7))
    for campaign, made in campaigns[::4]:  # a quarter of the campaigns slipped since
        Task.objects.filter(pk=made[10].pk).update(duration_days=6)
        campaign_reschedule(campaign)
    client = Client()
    client.force_login(manager)
    urls = {
        "dashboard": f"/w/{ws.slug}/",
        "check-in": f"/w/{ws.slug}/checkin/",
        "newcomer": f"/w/{ws.slug}/start/",
    }
    return client.cookies["sessionid"].value, urls


def main(repeats: int) -> None:
    import os

    out = subprocess.run([sys.executable, __file__, "--build"], check=True,
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    cookie, urls = out[0], dict(zip(["dashboard", "check-in", "newcomer"], out[1:4], strict=True))
    folder = ROOT / "var" / NAME
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + "x" * 40,
        HEADWAY_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
    )
    port = free_port()
    server = serve(port)
    try:
        results = {name: measure(port, cookie, url, repeats) for name, url in urls.items()}
    finally:
        server.terminate()
        server.wait()
    print(f"Through HTTP (headway serve, SQLite): {CAMPAIGNS} open campaigns, "
          f"{CAMPAIGNS * TASKS_PER:,} tasks, {EVENTS:,} events, {repeats} GETs each:")  # fmt: skip
    for name, (ms, size) in results.items():
        print(f"  {name}: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
              f"max {max(ms):.1f} ms, {size / 1024:.0f} KB")  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        session, built = build()
        print(session, built["dashboard"], built["check-in"], built["newcomer"])
    else:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        main(int(args[0]) if args else 100)
