"""Background work for the results pages: once an import (or a matching rule) has changed a
workspace's rollups, the answers its results pages open on are computed and stored
(headway.results.answers), so the first page after an import reads them instead of working
them out inside its request: the month links, the reports of the latest two months with
results, and the attribution reports of the latest month with CRM conversions and of the
month before (the periods the pages open on and link to)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from headway.core.tasks import retried_task
from headway.workspaces.models import Workspace


@retried_task()
def results_answers_job(*, workspace_id: int) -> str:
    """Computes and stores the answers the results and attribution pages open on (those
    already stored for the current inputs are only read)."""
    from headway.results import selectors
    from headway.results.attribution import attribution_report, latest_crm_day

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "workspace deleted"
    answers_forget_unused(workspace_id)
    fp = selectors.results_fingerprint(workspace)
    money = selectors.report_money(workspace)
    done = ["month links"]
    # the latest two months with results: the page opens on the first, links the second
    months = [h.month for h in selectors.months_with_results(workspace, fp=fp, money=money)]
    for month in months[:2]:
        selectors.report_figures(workspace, month, selectors.CONTENT_SHOWN, fp=fp, money=money)
        done.append(f"results of {month:%Y-%m}")
    if months:  # the API's answer without parameters: the latest month, its default content
        selectors.report_figures(workspace, months[0], selectors.CONTENT_API, fp=fp, money=money)
    crm_day = latest_crm_day(workspace)
    if crm_day is not None:
        # an export downloaded early in a month reaches a few days into it: the month before
        # is the one its reader looks at
        latest = crm_day.replace(day=1)
        for month in (latest, (latest - dt.timedelta(days=1)).replace(day=1)):
            attribution_report(workspace, *selectors.month_bounds(month))
            done.append(f"attribution of {month:%Y-%m}")
    return "stored: " + ", ".join(done)


#: A stored answer nobody asked for again in this long (another period, another half-life)
#: is removed by the next job; asking again computes it again.
UNUSED_DAYS = 30


def answers_forget_unused(workspace_id: int) -> int:
    """Removes the workspace's stored answers not computed again for UNUSED_DAYS (what the
    pages read are computed again after every import); how many were removed."""
    from headway.results.rollup_models import StoredAnswer

    old = timezone.now() - dt.timedelta(days=UNUSED_DAYS)
    return StoredAnswer.objects.filter(workspace_id=workspace_id, computed_at__lt=old).delete()[0]


def _waiting(workspace_id: int) -> QuerySet[DBTaskResult, Any]:
    return DBTaskResult.objects.filter(
        task_path=results_answers_job.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__kwargs__workspace_id=workspace_id,
    )


def results_answers_soon(workspace_id: int) -> None:
    """Queues results_answers_job once the current transaction commits, unless one is
    already waiting for the workspace (several imports in a row compute once)."""

    def enqueue() -> None:
        if not _waiting(workspace_id).exists():
            results_answers_job.enqueue(workspace_id=workspace_id)

    transaction.on_commit(enqueue)
