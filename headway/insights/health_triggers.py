"""What makes a campaign's health stale, and the debounced recompute it triggers: a plan
change (planning's `plan_changed`), a task, go-live condition, approval or campaign saved, or
an activity event recorded about one of them.
At most one recompute waits per campaign; a worker runs it within seconds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from headway.activity.models import Event
from headway.approvals.models import ApprovalRequest
from headway.core.prepared import PreparedRead
from headway.planning.models import Campaign, Dependency, GoLiveCondition, Task
from headway.planning.signals import PLAN_MARK, plan_changed


def health_recompute_soon(campaign_id: int, workspace_id: int, *, plan_heard: bool = False) -> None:
    """Queues a health recompute for the campaign once the current transaction commits,
    unless one is already waiting (HEALTH_RECOMPUTE_ON_CHANGE turns this off). One write
    fires several triggers (its save, its activity event, plan_changed): the transaction
    asks the queue once per campaign."""
    if not getattr(settings, "HEALTH_RECOMPUTE_ON_CHANGE", True):
        return
    connection = transaction.get_connection()
    current = set(connection.savepoint_ids)
    # A recompute already asked for, or (unless this is it) a plan_changed that will ask
    # once committed, and that no savepoint this call would survive can undo.
    names = ("health_campaign_id",) if plan_heard else ("health_campaign_id", PLAN_MARK)
    for sids, func, _ in connection.run_on_commit:
        if campaign_id in (getattr(func, n, None) for n in names) and set(sids) <= current:
            return

    def enqueue() -> None:
        _enqueue(campaign_id, workspace_id)

    enqueue.health_campaign_id = campaign_id  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def _waiting(task_path: str, campaign_id: int) -> QuerySet[DBTaskResult, tuple[Any]]:
    return (
        DBTaskResult.objects.filter(
            task_path=task_path,
            status=TaskResultStatus.READY,
            args_kwargs__kwargs__campaign_id=campaign_id,
        )
        .values_list("id")
        .order_by()[:1]
    )


# Every write asks this once it commits: compiled once (see headway.core.prepared).
_WAITING = PreparedRead(_waiting, rows=True, task_path="\x00task_path", campaign_id=-918_273_645)


def _enqueue(campaign_id: int, workspace_id: int) -> None:
    from headway.insights.health_jobs import campaign_health_job

    path = campaign_health_job.module_path
    if not _WAITING.all(task_path=path, campaign_id=campaign_id):
        campaign_health_job.enqueue(campaign_id=campaign_id, workspace_id=workspace_id)


def _on_plan_changed(sender: object, *, campaign: Campaign, **kwargs: Any) -> None:
    health_recompute_soon(campaign.pk, campaign.workspace_id, plan_heard=True)


def _on_campaign_saved(sender: object, *, instance: Campaign, raw: bool = False, **kw: Any) -> None:
    if not raw:
        health_recompute_soon(instance.pk, instance.workspace_id)


def _on_part_saved(
    sender: object, *, instance: Task | GoLiveCondition, raw: bool = False, **kw: Any
) -> None:
    if not raw:
        health_recompute_soon(instance.campaign_id, instance.workspace_id)


def _on_approval_saved(
    sender: object, *, instance: ApprovalRequest, raw: bool = False, **kw: Any
) -> None:
    if not raw and instance.task_id is not None:
        campaign_id = Task.objects.filter(pk=instance.task_id).values_list("campaign_id", flat=True)
        for cid in campaign_id:
            health_recompute_soon(cid, instance.workspace_id)


# What an activity event is about -> how to find the campaign it belongs to.
_EVENT_CAMPAIGN = {
    "planning.task": (Task, "campaign_id"),
    "planning.golivecondition": (GoLiveCondition, "campaign_id"),
    "planning.dependency": (Dependency, "successor__campaign_id"),
}


def _on_event(sender: object, *, instance: Event, created: bool = False, **kw: Any) -> None:
    """Every service write records an activity event, including the versioned updates that
    send no post_save (a task's status, a campaign's brief): each marks its campaign stale."""
    if not created or instance.workspace_id is None:
        return
    if instance.object_type == "planning.campaign":
        health_recompute_soon(int(instance.object_id), instance.workspace_id)
        return
    found = _EVENT_CAMPAIGN.get(instance.object_type)
    if found is None or not instance.object_id.isdigit():
        return
    subject = getattr(instance, "subject", None)  # the object, when event_record saved it
    if isinstance(subject, Task | GoLiveCondition) and subject.pk == int(instance.object_id):
        health_recompute_soon(subject.campaign_id, instance.workspace_id)
        return
    model, path = found
    rows = model._default_manager.filter(pk=int(instance.object_id)).values_list(path, flat=True)
    for campaign_id in rows:
        health_recompute_soon(campaign_id, instance.workspace_id)


def connect() -> None:
    plan_changed.connect(_on_plan_changed, sender=Campaign, dispatch_uid="insights-health")
    post_save.connect(_on_campaign_saved, sender=Campaign, dispatch_uid="insights-health-c")
    post_save.connect(_on_part_saved, sender=Task, dispatch_uid="insights-health-t")
    post_save.connect(_on_part_saved, sender=GoLiveCondition, dispatch_uid="insights-health-g")
    post_save.connect(_on_approval_saved, sender=ApprovalRequest, dispatch_uid="insights-health-a")
    post_save.connect(_on_event, sender=Event, dispatch_uid="insights-health-e")
