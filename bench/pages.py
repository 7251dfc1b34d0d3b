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
import statistics
import sys
import time

from django_bench import big_plan, django_for_bench, percentile, times_ms


def main(repeats: int) -> None:
    django_for_bench("pages")
    from django.db import transaction
    from django.test import Client

    from headway.planning.models import Channel
    from headway.planning.services.schedule import campaign_reschedule
    from headway.publishing.models import ContentPiece, PieceKind, Stage

    plan = big_plan()
    owner, ws, campaign, rng = plan.owner, plan.workspace, plan.campaign, plan.rng
    month = ws.today().replace(day=1)
    channels = list(Channel.objects.filter(workspace=ws))
    with transaction.atomic():
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
