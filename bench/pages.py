"""Page benchmarks for the long pages whose markup is rendered per row: the campaign page
(plan rows, owner menus, Gantt SVG) and the board at 300 tasks and 600 links, and a month of
the publishing calendar holding 600 pieces.

Run with `.venv/bin/python bench/pages.py [repeats]` (default 100). It builds its own SQLite
database under var/pages/ and times requests through Django's test client (middleware, view,
selectors and template; no network). Each round requests every page once, so a burst of load
on the machine touches all three figures alike.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time

from django_bench import django_for_bench, percentile, times_ms


def main(repeats: int) -> None:
    django_for_bench("pages")
    from django.db import transaction
    from django.test import Client

    from headway.accounts.services import user_create
    from headway.planning.models import Channel, Dependency, Task
    from headway.planning.services.campaigns import campaign_create
    from headway.planning.services.schedule import campaign_reschedule
    from headway.publishing.models import ContentPiece, PieceKind, Stage
    from headway.workspaces.models import Role
    from headway.workspaces.services import membership_add, workspace_create

    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-123")
    ws = workspace_create(actor=owner, name="Bench Co")
    people = [owner]
    for k in range(8):
        u = user_create(email=f"p{k}@example.com", name=f"Person {k}", password="bench-pass-123")
        membership_add(actor=owner, workspace=ws, user=u, role=Role.MEMBER)
        people.append(u)
    rng = random.Random(4)
    campaign = campaign_create(actor=owner, workspace=ws, name="Big launch")
    month = ws.today().replace(day=1)
    channels = list(Channel.objects.filter(workspace=ws))
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
        ContentPiece.objects.bulk_create(
            ContentPiece(
                workspace=ws,
                title=f"Piece {n}",
                kind=rng.choice(PieceKind.values),
                stage=rng.choice(Stage.values),
                channel=rng.choice(channels),
                publish_at=dt.datetime.combine(
                    month + dt.timedelta(days=rng.randint(0, 27)), dt.time(9 + n % 8), ws.tzinfo
                ),
                campaign=campaign,
            )
            for n in range(600)
        )
    campaign_reschedule(campaign)

    client = Client()
    client.force_login(owner)
    urls = {
        "campaign page": f"/w/{ws.slug}/campaigns/{campaign.pk}/",
        "board": f"/w/{ws.slug}/board/",
        "calendar month (600 pieces)": f"/w/{ws.slug}/calendar/?month={month:%Y-%m}",
    }
    for url in urls.values():
        assert client.get(url).status_code == 200
    times: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(repeats):
        for name, url in urls.items():
            # CPU time beside wall time: on a shared machine the wall clock also counts the
            # time other processes held the core.
            start = time.process_time()
            times[name] += times_ms(lambda url=url: client.get(url), 1)  # type: ignore[misc]
            cpu[name].append((time.process_time() - start) * 1000)
    print(f"Pages, 300 tasks / 600 links / 600 pieces on SQLite, {repeats} rounds (ms):")
    for name, ms in times.items():
        print(
            f"  {name}: median {statistics.median(ms):.1f}, p95 {percentile(ms, 95):.1f}, "
            f"min {min(ms):.1f}; CPU median {statistics.median(cpu[name]):.1f}, "
            f"p95 {percentile(cpu[name], 95):.1f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
