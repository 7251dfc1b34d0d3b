"""Dependencies between tasks, and go-live conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, diff, event_record, snapshot
from headway.core.bounds import check_text, within
from headway.core.errors import DomainError
from headway.engine.network import Link, LinkType, Network, NetworkError, compile_network
from headway.engine.network import Task as EngineTask
from headway.planning.models import (
    Campaign,
    ConditionKind,
    Dependency,
    GoLiveCondition,
    Party,
    Task,
)
from headway.planning.scheduling import PlanLink, calendar_for
from headway.planning.services.access import member_user, require_planner
from headway.planning.services.schedule import campaign_reschedule


def link_check(predecessor: Task, successor: Task, type: str, lag: Any) -> PlanLink:
    """Checks a new link: same workspace, not to itself, not twice, a known type and lag."""
    if predecessor.workspace_id != successor.workspace_id:
        raise DomainError(
            "A task can only depend on tasks of the same workspace.", field="predecessor"
        )
    if predecessor.pk == successor.pk:
        raise DomainError("A task cannot depend on itself.", field="predecessor")
    if type not in LinkType.__members__:
        raise DomainError(f"{type!r} is not one of FS, SS, FF, SF.", field="type")
    try:
        lag_days = int(lag or 0)
    except (TypeError, ValueError):
        raise DomainError(f"{lag!r} is not a whole number of working days.", field="lag") from None
    if abs(lag_days) > 365:
        raise DomainError("A lag is at most 365 working days either way.", field="lag")
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise DomainError(
            f"“{successor.title}” already depends on “{predecessor.title}”.", field="predecessor"
        )
    return PlanLink(predecessor.pk, successor.pk, type, lag_days)


def _refuse_cycles(workspace_id: int, link: PlanLink) -> None:
    """Links may cross campaigns, so a loop is looked for among all the workspace's links."""
    pairs = list(
        Dependency.objects.filter(workspace_id=workspace_id).values_list(
            "predecessor_id", "successor_id"
        )
    )
    pairs.append((link.predecessor, link.successor))
    ids = sorted({i for pair in pairs for i in pair})
    network = Network(
        tasks=tuple(EngineTask(str(i)) for i in ids),
        links=tuple(Link(str(p), str(s)) for p, s in pairs),
    )
    try:
        compile_network(network)
    except NetworkError as exc:
        titles = dict(
            Task.objects.filter(pk__in=[int(t) for t in exc.tasks]).values_list("pk", "title")
        )
        names = [titles.get(int(t), t) for t in exc.tasks]
        loop = " → ".join([*names, names[0]])
        raise DomainError(
            f"That link would make a loop: {loop}. Remove one of these links first.",
            field="predecessor",
            code="cycle",
        ) from None


@transaction.atomic
def dependency_add(
    *,
    actor: User,
    predecessor: Task,
    successor: Task,
    type: str = "FS",
    lag: Any = 0,
    reschedule: bool = True,
) -> Dependency:
    """The successor waits on the predecessor; a link that closes a loop is refused with
    the loop named, and the successor's campaign is rescheduled (unless a caller adding
    several links asks to reschedule once, after the last)."""
    require_planner(actor, successor.workspace)
    link = link_check(predecessor, successor, type, lag)
    _refuse_cycles(successor.workspace_id, link)
    dep = Dependency.objects.create(
        workspace=successor.workspace,
        predecessor=predecessor,
        successor=successor,
        type=link.type,
        lag=link.lag,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=dep,
        workspace=successor.workspace,
        changes=created_changes(dep, ["predecessor", "successor", "type", "lag"]),
    )
    if reschedule:
        campaign_reschedule(successor.campaign)
    return dep


@transaction.atomic
def dependency_remove(*, actor: User, dependency: Dependency) -> None:
    require_planner(actor, dependency.workspace)
    campaign = dependency.successor.campaign
    event_record(actor=actor, verb=Verb.DELETED, obj=dependency, workspace=dependency.workspace)
    dependency.delete()
    campaign_reschedule(campaign)


CONDITION_FIELDS = ["title", "kind", "party", "owner", "due_date", "lead_time_days", "task"]


def _clean_condition(campaign: Campaign, data: dict[str, Any], creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in data or creating:
        title = str(data.get("title") or "").strip()
        if not title:
            raise DomainError("Say what must be true before launch.", field="title")
        out["title"] = within("title", check_text, title, max_length=200)
    if "kind" in data or creating:
        kind = data.get("kind") or ConditionKind.READINESS
        if kind not in ConditionKind.values:
            raise DomainError(f"{kind!r} is not a kind of condition.", field="kind")
        out["kind"] = kind
    if "party" in data:
        if data["party"] not in Party.values:
            raise DomainError("Choose internal or third party.", field="party")
        out["party"] = data["party"]
    if "owner" in data or creating:
        owner = member_user(campaign.workspace, data.get("owner"), "owner")
        if owner is None:
            raise DomainError("Every go-live condition has one owner.", field="owner")
        out["owner"] = owner
    if "due_date" in data:
        out["due_date"] = data["due_date"] or None
    if data.get("task"):
        task = Task.objects.filter(campaign=campaign, pk=data["task"]).first()
        if task is None:
            raise DomainError("Choose a task of this campaign.", field="task")
        out["task"] = task
    elif "task" in data:
        out["task"] = None
    if "lead_time_days" in data:
        try:
            lead = int(data["lead_time_days"] or 0)
        except (TypeError, ValueError):
            raise DomainError(
                "The lead time is whole working days.", field="lead_time_days"
            ) from None
        if lead < 0:
            raise DomainError("The lead time cannot be negative.", field="lead_time_days")
        out["lead_time_days"] = lead
    return out


@transaction.atomic
def condition_create(*, actor: User, campaign: Campaign, **data: Any) -> GoLiveCondition:
    """Something that must be true before launch, with one owner, a due date, a kind and
    the lead time it needs. Without a due date it is due on the last working day on or
    before launch in the workspace calendar."""
    require_planner(actor, campaign.workspace)
    fields = _clean_condition(campaign, data, creating=True)
    if fields.get("due_date") is None and campaign.launch_date:
        cal = calendar_for(campaign.workspace_id)
        fields["due_date"] = cal.previous_working(campaign.launch_date)
    cond = GoLiveCondition.objects.create(workspace=campaign.workspace, campaign=campaign, **fields)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=cond,
        workspace=campaign.workspace,
        changes=created_changes(cond, CONDITION_FIELDS),
    )
    return cond


@transaction.atomic
def condition_update(*, actor: User, condition: GoLiveCondition, **data: Any) -> GoLiveCondition:
    require_planner(actor, condition.workspace)
    before = snapshot(condition, CONDITION_FIELDS)
    for k, v in _clean_condition(condition.campaign, data, creating=False).items():
        setattr(condition, k, v)
    condition.save()
    changes = diff(before, snapshot(condition, CONDITION_FIELDS))
    if changes:
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=condition,
            workspace=condition.workspace,
            changes=changes,
        )
    return condition


@transaction.atomic
def condition_set_met(*, actor: User, condition: GoLiveCondition, met: bool) -> GoLiveCondition:
    """Marks a condition met (or not); its owner or a planner may do it."""
    if actor.pk != condition.owner_id:
        require_planner(actor, condition.workspace)
    before = condition.is_met
    condition.met_at = timezone.now() if met else None
    condition.met_by = actor if met else None
    condition.save(update_fields=["met_at", "met_by", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=condition,
        workspace=condition.workspace,
        changes={"met": [before, met]},
    )
    return condition


def condition_at_risk(condition: GoLiveCondition, today: dt.date) -> bool:
    """A third-party condition is at risk once fewer working days remain before its due
    date than its lead time needs (weekends counted out)."""
    if condition.is_met or condition.due_date is None:
        return False
    if condition.party != Party.THIRD_PARTY:
        return condition.due_date < today
    remaining = 0
    day = today
    while day < condition.due_date:
        if day.weekday() < 5:
            remaining += 1
        day += dt.timedelta(days=1)
    return remaining < condition.lead_time_days


def unmet_conditions(campaign: Campaign, finishing: Iterable[Task] = ()) -> list[GoLiveCondition]:
    """The campaign's go-live conditions not yet met, less those that follow a task in
    `finishing`: marking that task done meets them, so they cannot hold it back."""
    skip = {t.pk for t in finishing}
    return [c for c in campaign.conditions.filter(met_at__isnull=True) if c.task_id not in skip]


def conditions_follow_task(task: Task, actor: User) -> int:
    """Marks met the go-live conditions that follow `task`, now that it is done."""
    met = 0
    for cond in GoLiveCondition.objects.filter(task=task, met_at__isnull=True):
        cond.met_at = timezone.now()
        cond.met_by = actor
        cond.save(update_fields=["met_at", "met_by", "updated_at"])
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=cond,
            workspace=cond.workspace,
            changes={"met": [False, True], "because": [None, f"{task.title} is done"]},
        )
        met += 1
    return met
