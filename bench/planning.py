"""Planning benchmarks: server time of the campaign page and the board with 300 tasks and
600 links, and rescheduling that campaign after a slip.

Run with `make bench` (or `.venv/bin/python bench/planning.py`). It builds its own SQLite
database under var/bench/ through the planning services, then times requests through
Django's test client (middleware, view, selectors and template; no network).
"""

from __future__ import annotations

import statistics

from django_bench import big_plan, django_for_bench, percentile, times_ms


def main() -> None:
    django_for_bench("bench")
    from django.db import transaction
    from django.test import Client

    from headway.planning.models import Task
    from headway.planning.services.schedule import (
        PlanChange,
        campaign_reschedule,
        plan_preview,
    )

    plan = big_plan()
    owner, ws, campaign, tasks = plan.owner, plan.workspace, plan.campaign, plan.tasks
    campaign_reschedule(campaign)

    client = Client()
    client.force_login(owner)
    page_url = f"/w/{ws.slug}/campaigns/{campaign.pk}/"
    board_url = f"/w/{ws.slug}/board/"
    for url in (page_url, board_url):
        assert client.get(url).status_code == 200
    page = times_ms(lambda: client.get(page_url), 100)
    board = times_ms(lambda: client.get(board_url), 100)
    slip = tasks[10]
    flip = iter(range(1000))

    def slip_and_reschedule() -> None:
        # A real change each time: the slipped task alternates between 2 and 9 days; one
        # transaction, as in the request that saves the change.
        with transaction.atomic():
            Task.objects.filter(pk=slip.pk).update(duration_days=9 if next(flip) % 2 else 2)
            campaign_reschedule(campaign)

    resched = times_ms(slip_and_reschedule, 40)
    preview = times_ms(lambda: plan_preview(campaign, PlanChange(task_id=slip.pk, duration=9)), 40)
    print("Planning, 300 tasks and 600 links on SQLite (ms; median / p95):")
    print(
        f"  campaign page {statistics.median(page):.0f} / {percentile(page, 95):.0f}; "
        f"board {statistics.median(board):.0f} / {percentile(board, 95):.0f} "
        "(target p95 <= 150)"
    )
    print(
        f"  reschedule after a change (load, schedule, store) {statistics.median(resched):.0f}"
        f" / {percentile(resched, 95):.0f}; cascade preview {statistics.median(preview):.0f}"
        f" / {percentile(preview, 95):.0f} (target <= 100)"
    )


if __name__ == "__main__":
    main()
