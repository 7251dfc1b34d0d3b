"""Background work for the results pages: once an import (or a matching rule) has changed a
workspace's rollups, the answers its results pages open on are computed and stored
(headway.results.answers), so the first page after an import reads them instead of working
them out inside its request: the month links, the latest month's report and the attribution
report of the latest month with CRM conversions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
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
    fp = selectors.results_fingerprint(workspace)
    money = selectors.report_money(workspace)
    done = []
    selectors.months_with_results(workspace, fp=fp, money=money)
    latest = selectors.latest_month(workspace, fp)
    if latest is not None:
        selectors.report_figures(workspace, latest, selectors.CONTENT_SHOWN, fp=fp, money=money)
        done.append(f"results of {latest:%Y-%m}")
    crm_day = latest_crm_day(workspace)
    if crm_day is not None:
        start, end = selectors.month_bounds(crm_day)
        attribution_report(workspace, start, end)
        done.append(f"attribution of {start:%Y-%m}")
    return "stored: month links" + "".join(f", {d}" for d in done)


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
