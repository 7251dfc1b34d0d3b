"""Load grid benchmark: 12 weeks x 30 people x 5,000 tasks (target p95 <= 150 ms).

Run with `.venv/bin/python bench/load.py [repeats]` (default 50). It builds its own SQLite
database under var/load/ with 30 people (a few with time off, two freelancers on three days a
week), 50 in-progress campaigns holding 5,000 scheduled tasks and four holidays, then times
the engine alone, the selector (queries + engine + rows), the page through Django's test
client (middleware, view, selector, template) and the API.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from typing import Any

from django_bench import django_for_bench, percentile, times_ms

PEOPLE, TASKS, CAMPAIGNS, WEEKS = 30, 5000, 50, 12


def build() -> tuple[Any, Any]:
    import random

    from django.db import transaction

    from headway.accounts.services import user_create
    from headway.capacity.services import capacity_set
    from headway.planning.models import Campaign, Holiday, Task, TimeOff
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    rng = random.Random(14)
    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    people = [owner]
    for k in range(PEOPLE - 1):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k:02}", password="bench-pass-1")
        role = Role.FREELANCER if k < 2 else Role.MEMBER
        membership_add(actor=owner, workspace=ws, user=u, role=role)
        people.append(u)
    skills = ["designer", "copywriter", "web", "email", "social", "paid_ads"]
    for k, u in enumerate(people[1:]):
        days = [1, 2, 3] if k < 2 else [0, 1, 2, 3, 4]
        capacity_set(
            actor=owner, workspace=ws, user_id=u.pk, weekly_hours=32, weekdays=days,
            skill=skills[k % len(skills)],
        )  # fmt: skip
    today = ws.today()
    with transaction.atomic():
        campaigns = Campaign.objects.bulk_create(
            Campaign(workspace=ws, name=f"Campaign {n}", status="in_progress", plan_start=today)
            for n in range(CAMPAIGNS)
        )
        rows = []
        for n in range(TASKS):
            start = today + dt.timedelta(days=rng.randint(-10, 7 * WEEKS + 5))
            length = rng.randint(1, 10)
            rows.append(
                Task(
                    workspace=ws,
                    campaign=rng.choice(campaigns),
                    title=f"Task {n}",
                    position=n,
                    duration_days=length,
                    owner=rng.choice(people),
                    effort_hours=rng.choice([None, length * 4, length * 7]),
                    start_date=start,
                    due_date=start + dt.timedelta(days=length + length // 5 * 2),
                )
            )
        Task.objects.bulk_create(rows)
        for k in range(4):
            Holiday.objects.create(
                workspace=ws, date=today + dt.timedelta(days=17 * k + 3), name=f"H{k}"
            )
        for u in people[::4]:
            first = today + dt.timedelta(days=rng.randint(0, 60))
            TimeOff.objects.create(
                workspace=ws, user=u, first_day=first, last_day=first + dt.timedelta(days=9)
            )
    return owner, ws


def main(repeats: int) -> None:
    django_for_bench("load")
    from django.test import Client

    from headway.accounts.services import token_create
    from headway.capacity import selectors
    from headway.engine.load import load_grid, monday
    from headway.planning.scheduling import calendar_for

    owner, ws = build()
    client = Client()
    client.force_login(owner)
    _, raw = token_create(actor=owner, name="bench")
    page = f"/w/{ws.slug}/capacity/"
    api = f"/api/v1/workspaces/{ws.slug}/load?weeks={WEEKS}"

    start = monday(ws.today())
    last = start + dt.timedelta(weeks=WEEKS)
    people = [p.as_person() for p in selectors.capacity_people(ws)]
    work, _ = selectors.open_work(ws, start, last, selectors.hours_per_day(ws))
    cal = calendar_for(ws.pk)
    booked = sum(1 for w in work)
    print(f"{len(people)} people, {booked} tasks in the window, {WEEKS} weeks")

    def get(url: str, **extra: Any) -> None:
        response = client.get(url, **extra)
        assert response.status_code == 200, response.status_code

    figures = {
        "engine load_grid": lambda: load_grid(people, work, cal, start, WEEKS),
        "selector, with tasks": lambda: selectors.load_view(ws),
        "selector, page's": lambda: selectors.load_view(ws, with_tasks=False),
        "page GET /capacity/": lambda: get(page),
        "API GET /load": lambda: get(api, HTTP_AUTHORIZATION=f"Bearer {raw}"),
    }
    for fn in figures.values():
        fn()  # warm up
    for name, fn in figures.items():
        ms = times_ms(fn, repeats)
        print(
            f"{name:22} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
