"""Approvals and calendar benchmarks: server time of an approver's queue with 2,000 waiting
items and of the calendar month view with 2,000 pieces.

Run with `make bench` (or `.venv/bin/python bench/review.py`). It builds its own SQLite
database under var/bench-review/; the rows are bulk-created, the pages go through Django's
test client (middleware, view, selectors, template).
"""

from __future__ import annotations

import datetime as dt
import statistics
from functools import partial

from django_bench import django_for_bench, percentile, times_ms

ITEMS = 2000


def main() -> None:
    django_for_bench("bench-review")
    from django.test import Client
    from django.utils import timezone

    from headway.accounts.services import user_create
    from headway.approvals.models import ApprovalRequest
    from headway.approvals.services import StepSpec, chain_create
    from headway.planning.models import Task
    from headway.planning.services.campaigns import campaign_create, channels_ensure
    from headway.publishing.models import ContentPiece
    from headway.workspaces.services import workspace_create

    owner = user_create(email="bench@example.com", name="Bench Owner", password="bench-pass-1")
    ws = workspace_create(actor=owner, name="Review Co")
    campaign = campaign_create(actor=owner, workspace=ws, name="Everything")
    chain = chain_create(
        actor=owner,
        workspace=ws,
        name="Founder",
        kind="content_draft",
        steps=[StepSpec("Founder", approvers=[owner.pk])],
    )
    now = timezone.now()
    tasks = Task.objects.bulk_create(
        Task(workspace=ws, campaign=campaign, title=f"Draft {n}", position=n, status="in_review")
        for n in range(ITEMS)
    )
    ApprovalRequest.objects.bulk_create(
        ApprovalRequest(
            workspace=ws,
            task=t,
            chain=chain,
            requested_by=owner,
            waiting_since=now - dt.timedelta(minutes=n),
            due_at=now + dt.timedelta(days=1),
        )
        for n, t in enumerate(tasks)
    )
    channels = channels_ensure(ws)
    month = timezone.localdate().replace(day=1)
    ContentPiece.objects.bulk_create(
        ContentPiece(
            workspace=ws,
            title=f"Piece {n}",
            kind="social_post",
            stage="drafting",
            channel=channels[n % len(channels)],
            owner=owner,
            publish_at=dt.datetime.combine(month, dt.time(9), dt.UTC)
            + dt.timedelta(days=n % 28, minutes=n),
        )
        for n in range(ITEMS)
    )
    client = Client()
    client.force_login(owner)
    figures = {}
    for name, url in (
        ("approver's queue", f"/w/{ws.slug}/approvals/"),
        ("calendar month", f"/w/{ws.slug}/calendar/"),
    ):
        assert client.get(url).status_code == 200
        times = times_ms(partial(client.get, url), 30)
        figures[name] = (statistics.median(times), percentile(times, 95))
    print(f"Approvals and calendar, {ITEMS:,} items on SQLite (ms; median / p95):")
    print(
        "  "
        + "; ".join(f"{k} {m:.0f} / {p:.0f}" for k, (m, p) in figures.items())
        + " (target p95 <= 150)"
    )


if __name__ == "__main__":
    main()
