"""Computing and storing the diagnosis pages' figures for their default periods (the flow and
where-work-waits pages' last quarter, the scorecard's months), so the pages read one row
instead of the whole activity log. Run by the rollup job; nothing else writes them."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from headway.activity.models import Event
from headway.insights.models import DiagnosisRollup, RollupPage
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import flow_for, period_for
from headway.insights.selectors.rollups import RESULT_VERSION
from headway.insights.selectors.scorecard import past_months_figures, scorecard_for
from headway.insights.services.moves import columns_copy_store, task_moves_copy
from headway.workspaces.models import Workspace


def newest_event_id(workspace: Workspace) -> int:
    last = (
        Event.objects.filter(workspace=workspace)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def _computations(
    workspace: Workspace, now: dt.datetime
) -> dict[str, tuple[dt.date, dt.date, Callable[[], Any]]]:
    quarter = period_for(workspace, end=now.astimezone(workspace.tzinfo).date())
    today = quarter.end
    return {
        RollupPage.FLOW: (quarter.start, quarter.end, lambda: flow_for(workspace, quarter, now)),
        RollupPage.BOTTLENECKS: (
            quarter.start,
            quarter.end,
            lambda: bottlenecks_for(workspace, quarter, now),
        ),
        RollupPage.SCORECARD: (today, today, lambda: scorecard_for(workspace, today)),
        # the whole months before this one, which a chosen period's scorecard reads
        RollupPage.SCORECARD_MONTHS: (
            today,
            today,
            lambda: past_months_figures(workspace, today),
        ),
    }


def diagnosis_rollups_refresh(
    workspace: Workspace, now: dt.datetime | None = None, *, force: bool = False
) -> list[str]:
    """Copies the log's new task moves (and stores the kept columns, ColumnsCopy, when due),
    then recomputes the pages whose stored figures miss
    newer activity or cover another period (a new day); the pages it recomputed."""
    now = now or dt.datetime.now(dt.UTC)
    task_moves_copy(workspace, now)
    columns_copy_store(workspace, now, force=force)
    last_event = newest_event_id(workspace)
    stored = {
        r.page: r
        for r in DiagnosisRollup.objects.filter(workspace=workspace).only(
            "page", "start", "end", "last_event_id", "version"
        )
    }
    done = []
    for page, (start, end, compute) in _computations(workspace, now).items():
        row = stored.get(page)
        if (
            not force
            and row is not None
            and (row.start, row.end, row.last_event_id, row.version)
            == (start, end, last_event, RESULT_VERSION)
        ):
            continue
        began = time.perf_counter()
        result = compute()
        with transaction.atomic():
            DiagnosisRollup.objects.update_or_create(
                workspace=workspace,
                page=page,
                defaults={
                    "start": start,
                    "end": end,
                    "computed_at": now,
                    "last_event_id": last_event,
                    "seconds": time.perf_counter() - began,
                    "version": RESULT_VERSION,
                    "result": pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
                },
            )
        done.append(str(page))
    return done
