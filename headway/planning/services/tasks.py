"""Tasks with one owner: create, edit (refusing stale edits), status, checklist, comments."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, diff, event_record, snapshot
from headway.core.bounds import COMMENT_MAX_CHARS, check_text, within
from headway.core.errors import DomainError
from headway.core.prepared import PreparedRead
from headway.core.versioning import guarded_update
from headway.engine.three_point import pert_mean
from headway.notifications.sender import notify
from headway.planning.models import (
    Campaign,
    Channel,
    ChecklistItem,
    Comment,
    RoleNeeded,
    Task,
    TaskKind,
    TaskStatus,
    TimeOff,
)
from headway.planning.services.access import member_user, require_planner, require_task_worker
from headway.planning.services.links import conditions_follow_task, unmet_conditions
from headway.planning.services.schedule import (
    PlanChange,
    Preview,
    campaign_reschedule,
    campaigns_waiting_on,
    plan_changed_announce,
    plan_preview,
    plans_backward,
    unlinked_dates,
)
from headway.planning.services.work_order import work_order_check
from headway.workspaces.models import Membership

TASK_FIELDS = [
    "title",
    "kind",
    "milestone",
    "owner",
    "role_needed",
    "channel",
    "effort_hours",
    "duration_days",
    "optimistic_days",
    "likely_days",
    "pessimistic_days",
    "not_before",
]
# Changing these moves dates: the plan is rescheduled after the save.
SCHEDULE_FIELDS = {
    "kind",
    "duration_days",
    "optimistic_days",
    "likely_days",
    "pessimistic_days",
    "not_before",
}


def _days(value: Any, field: str, *, allow_none: bool) -> Decimal | None:
    if value in (None, ""):
        if allow_none:
            return None
        raise DomainError("Give a duration in working days.", field=field)
    try:
        days = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(f"{value!r} is not a number of days.", field=field) from None
    if days < 0:
        raise DomainError("A duration cannot be negative.", field=field)
    if days > 999:
        raise DomainError("A duration longer than 999 working days is not a plan.", field=field)
    return days


def _clean(campaign: Campaign, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    ws = campaign.workspace
    out: dict[str, Any] = {}
    if "title" in data or creating:
        title = str(data.get("title") or "").strip()
        if not title:
            raise DomainError("Give the task a title.", field="title")
        out["title"] = within("title", check_text, title, max_length=200)
    if "kind" in data:
        if data["kind"] not in TaskKind.values:
            raise DomainError(f"{data['kind']!r} is not a kind of task.", field="kind")
        out["kind"] = data["kind"]
    if "role_needed" in data:
        if (data["role_needed"] or "") not in RoleNeeded.values:
            raise DomainError(f"{data['role_needed']!r} is not a role.", field="role_needed")
        out["role_needed"] = data["role_needed"] or ""
    if "owner" in data:
        out["owner"] = member_user(ws, data["owner"], "owner")
    if "channel" in data:
        channel = data["channel"]
        if channel is not None and not isinstance(channel, Channel):
            channel = Channel.objects.filter(workspace=ws, pk=channel).first()
            if channel is None:
                raise DomainError("No such channel in this workspace.", field="channel")
        if channel is not None and channel.workspace_id != ws.pk:
            raise DomainError("That channel belongs to another workspace.", field="channel")
        out["channel"] = channel
    if "milestone" in data:
        out["milestone"] = _milestone(campaign, data["milestone"])
    if "not_before" in data:
        out["not_before"] = data["not_before"] or None
    if "effort_hours" in data:
        out["effort_hours"] = _days(data["effort_hours"], "effort_hours", allow_none=True)
    if "duration_days" in data:
        out["duration_days"] = _days(data["duration_days"], "duration_days", allow_none=False)
    three = [k for k in ("optimistic_days", "likely_days", "pessimistic_days") if k in data]
    for k in three:
        out[k] = _days(data[k], k, allow_none=True)
    if three:
        _check_estimate(out)
    return out


def _check_estimate(out: dict[str, Any]) -> None:
    a, m, b = (out.get(k) for k in ("optimistic_days", "likely_days", "pessimistic_days"))
    given = [v for v in (a, m, b) if v is not None]
    if given and len(given) < 3:
        raise DomainError(
            "A three-point estimate needs optimistic, most likely and pessimistic days.",
            field="likely_days",
        )
    if given and not (a <= m <= b):  # type: ignore[operator]
        raise DomainError(
            "The estimate must run optimistic <= most likely <= pessimistic.",
            field="likely_days",
        )


def _milestone(campaign: Campaign, value: Any) -> Task | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Task) else value
    milestone = Task.objects.filter(campaign=campaign, pk=pk).exclude(kind=TaskKind.TASK).first()
    if milestone is None:
        raise DomainError("Group tasks under a milestone of the same campaign.", field="milestone")
    return milestone


# Every create reads it: compiled once (see headway.core.prepared).
_LAST_POSITION = PreparedRead(
    lambda campaign_id: (
        Task.objects.filter(campaign_id=campaign_id)
        .values("campaign_id")
        .annotate(last=Max("position"))
        .values_list("last")
        .order_by()
    ),
    rows=True,
    campaign_id=-918_273_645,
)


@transaction.atomic
def task_create(*, actor: User, campaign: Campaign, reschedule: bool = True, **data: Any) -> Task:
    """A new task in the campaign's plan (title is the only required field), returned with
    its dates (unless `reschedule` is off)."""
    require_planner(actor, campaign.workspace)
    fields = _clean(campaign, data, creating=True)
    last = _LAST_POSITION.all(campaign_id=campaign.pk)
    position = (last[0][0] if last else 0) + 1
    task = Task(workspace=campaign.workspace, campaign=campaign, position=position, **fields)
    # A task with no links is usually dated on its own, stored with the row itself.
    dated = unlinked_dates(campaign, task) if reschedule else None
    for name, value in (dated or {}).items():
        setattr(task, name, value)
    moved: list[int] = []
    if dated is not None:
        # Announced before the insert, so that what hears the save (health) waits for it.
        plan_changed_announce(campaign, moved)
    task.save(force_insert=True)
    moved.append(task.pk)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=task,
        workspace=campaign.workspace,
        changes=created_changes(task, ["title", "kind", "owner", "duration_days"]),
    )
    if dated is None and reschedule:
        campaign_reschedule(campaign)
        task.refresh_from_db()
    return task


BULK_MAX_TASKS = 500


@transaction.atomic
def tasks_create_bulk(
    *, actor: User, campaign: Campaign, items: list[dict[str, Any]]
) -> list[Task]:
    """Up to BULK_MAX_TASKS new tasks in one transaction and one reschedule. All or nothing:
    a bad item is refused naming its index and field (`tasks.3.title`) and nothing is
    stored. Returns the tasks with their dates."""
    require_planner(actor, campaign.workspace)
    if not items:
        raise DomainError("Send at least one task.", field="tasks")
    if len(items) > BULK_MAX_TASKS:
        raise DomainError(
            f"At most {BULK_MAX_TASKS} tasks at once; this has {len(items)}.", field="tasks"
        )
    cleaned = []
    for n, data in enumerate(items):
        try:
            cleaned.append(_clean(campaign, data, creating=True))
        except DomainError as exc:
            where = f"tasks.{n}.{exc.field}" if exc.field else f"tasks.{n}"
            raise type(exc)(f"Task {n}: {exc.message}", field=where, code=exc.code) from None
    first = (Task.objects.filter(campaign=campaign).aggregate(m=Max("position"))["m"] or 0) + 1
    made = Task.objects.bulk_create(
        Task(workspace=campaign.workspace, campaign=campaign, position=first + n, **fields)
        for n, fields in enumerate(cleaned)
    )
    for task in made:
        event_record(
            actor=actor,
            verb=Verb.CREATED,
            obj=task,
            workspace=campaign.workspace,
            changes=created_changes(task, ["title", "kind", "owner", "duration_days"]),
        )
    campaign_reschedule(campaign)
    fresh = Task.objects.in_bulk([t.pk for t in made])
    return [fresh[t.pk] for t in made]


def task_edit_preview(task: Task, data: dict[str, Any]) -> Preview | None:
    """What an edit would move when it changes the days the plan gives the task (its
    duration, or the PERT mean of its three-point estimate; none for a milestone) or its
    start-no-earlier-than date; None when it moves no dates. `data` holds the task's fields
    as edited; a change that would close a cycle raises DomainError."""
    kind = data.get("kind", task.kind)
    days = _expected_days(task, data) if kind == TaskKind.TASK else 0.0
    not_before = data.get("not_before", task.not_before)
    if abs(days - task.expected_days) <= 1e-9 and not_before == task.not_before:
        return None
    change = PlanChange(task_id=task.pk, duration=days, not_before=not_before, set_not_before=True)
    return plan_preview(task.campaign, change)


def _expected_days(task: Task, data: dict[str, Any]) -> float:
    a, m, b = (data.get(k) for k in ("optimistic_days", "likely_days", "pessimistic_days"))
    if a is not None and m is not None and b is not None:
        return pert_mean(float(a), float(m), float(b))
    return float(data.get("duration_days", task.duration_days))


@transaction.atomic
def task_update(*, actor: User, task: Task, version: int, **data: Any) -> Task:
    """Edits a task. `version` is the one the editor started from: a task changed since
    then is refused with a clear message instead of silently overwritten."""
    require_planner(actor, task.workspace)
    fields = _clean(task.campaign, data, creating=False)
    if fields.get("milestone") is not None and fields["milestone"].pk == task.pk:
        raise DomainError("A milestone cannot group itself.", field="milestone")
    before = snapshot(task, TASK_FIELDS)
    guarded_update(task, fields, expected=version)
    changes = diff(before, snapshot(task, TASK_FIELDS))
    if changes:
        event_record(
            actor=actor, verb=Verb.UPDATED, obj=task, workspace=task.workspace, changes=changes
        )
    if SCHEDULE_FIELDS & set(changes) or _owner_days_off_move(task, changes):
        campaign_reschedule(task.campaign)
        task.refresh_from_db()
    elif "title" in changes:
        # Successors explain their start by this task's title: their plans say it anew.
        waiting = Campaign.objects.filter(tasks__predecessor_links__predecessor=task)
        for campaign in waiting.select_related("workspace").distinct():
            campaign_reschedule(campaign)
    return task


def _owner_days_off_move(task: Task, changes: dict[str, Any]) -> bool:
    """Whether a change of owner can move dates: only when the old or new owner has days
    off, which the schedule works around."""
    if "owner" not in changes:
        return False
    people = [pk for pk in changes["owner"] if pk is not None]
    return bool(people) and (
        TimeOff.objects.filter(workspace_id=task.workspace_id, user_id__in=people).exists()
    )


@transaction.atomic
def task_set_status(
    *,
    actor: User,
    task: Task,
    status: str,
    version: int | None = None,
    blocked_reason: str = "",
    blocked_on: int | None = None,
    force: bool = False,
) -> Task:
    """Moves a task on the board. An unowned task cannot start; a blocked task says why and
    who must unblock it; the launch cannot be done while a go-live condition is unmet; a
    task whose predecessors are unfinished moves on only when `force` confirms it."""
    require_task_worker(actor, task)
    if status not in TaskStatus.values:
        raise DomainError(f"{status!r} is not a task status.", field="status")
    fields: dict[str, Any] = {"status": status}
    if status != TaskStatus.NOT_STARTED and task.owner_id is None and not task.is_milestone:
        raise DomainError(
            f"“{task.title}” has no owner. Assign one person before work starts.",
            field="owner",
            code="unowned",
        )
    if status == TaskStatus.BLOCKED:
        reason = (blocked_reason or "").strip()
        if not reason:
            raise DomainError("Say what the task is blocked on.", field="blocked_reason")
        person = member_user(task.workspace, blocked_on, "blocked_on")
        if person is None:
            raise DomainError("Name the one person who must unblock it.", field="blocked_on")
        reason = within("blocked_reason", check_text, reason, max_length=240)
        fields |= {"blocked_reason": reason, "blocked_on": person}
    else:
        fields |= {"blocked_reason": "", "blocked_on": None}
    if status == TaskStatus.DONE and task.kind == TaskKind.LAUNCH:
        unmet = unmet_conditions(task.campaign, [task])
        if unmet:
            raise DomainError(
                "The launch cannot be marked done while go-live conditions are unmet: "
                + ", ".join(c.title for c in unmet)
                + ".",
                field="status",
                code="conditions_unmet",
            )
    work_order_check(task, status, force=force)
    return task_status_apply(actor=actor, task=task, status=status, version=version, fields=fields)


def task_status_apply(
    *,
    actor: User,
    task: Task,
    status: str,
    version: int | None = None,
    fields: dict[str, Any] | None = None,
    record: bool = True,
) -> Task:
    """Records a status the rules already allow (callers check them: `task_set_status` for
    people, approvals for decisions): stale versions are refused, done is stamped, and
    conditions that follow the task are met when it is done. `record=False` leaves the
    activity event to the caller, which records the move once, in its own words."""
    before = task.status
    fields = {**(fields or {}), "status": status}
    fields["done_at"] = timezone.now() if status == TaskStatus.DONE else None
    # Starting the first task (or unstarting the last) decides whether the plan is still
    # dated back from its launch: only then does a status move dates.
    started = TaskStatus.NOT_STARTED not in (before, status)
    backward = None if started or before == status else plans_backward(task.campaign)
    guarded_update(task, fields, expected=task.version if version is None else version)
    if backward is not None and plans_backward(task.campaign) != backward:
        campaign_reschedule(task.campaign)
        task.refresh_from_db()
    if status == TaskStatus.DONE:
        conditions_follow_task(task, actor)
    if record:
        changes: dict[str, list[Any]] = {"status": [before, status]}
        if fields.get("blocked_on") is not None:
            # who it waits on, so the log can attribute blocked time (insights: where work waits)
            changes["blocked_on"] = [None, fields["blocked_on"].pk]
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=task,
            workspace=task.workspace,
            changes=changes,
        )
    return task


@transaction.atomic
def task_delete(*, actor: User, task: Task) -> None:
    require_planner(actor, task.workspace)
    campaign = task.campaign
    # Tasks of other campaigns waiting on it lose that link with it: their plans follow.
    waiting = list(campaigns_waiting_on(campaign, [task.pk]))
    event_record(actor=actor, verb=Verb.DELETED, obj=task, workspace=task.workspace)
    task.delete()
    campaign_reschedule(campaign)
    for other in waiting:
        campaign_reschedule(other)


@transaction.atomic
def checklist_add(*, actor: User, task: Task, text: str) -> ChecklistItem:
    require_task_worker(actor, task)
    text = (text or "").strip()
    if not text:
        raise DomainError("Write the checklist item.", field="text")
    text = within("text", check_text, text, max_length=200)
    item = ChecklistItem.objects.create(task=task, text=text)
    event_record(actor=actor, verb=Verb.CREATED, obj=item, workspace=task.workspace)
    return item


@transaction.atomic
def checklist_toggle(*, actor: User, item: ChecklistItem) -> ChecklistItem:
    require_task_worker(actor, item.task)
    item.done = not item.done
    item.save(update_fields=["done", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=item,
        workspace=item.task.workspace,
        changes={"done": [not item.done, item.done]},
    )
    return item


MENTION = re.compile(r"@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _mentioned(task: Task, body: str) -> list[User]:
    """Members named in `body` as @first-name or @email."""
    handles = {h.lower() for h in MENTION.findall(body)}
    if not handles:
        return []
    people = []
    for m in Membership.objects.filter(workspace=task.workspace).select_related("user"):
        first = (m.user.name.split(" ")[0] if m.user.name else "").lower()
        if first in handles or m.user.email.lower() in handles:
            people.append(m.user)
    return people


def _tell_mentioned(task: Task, actor: User, body: str, people: list[User]) -> None:
    url = settings.BASE_URL + reverse("planning:task", args=[task.workspace.slug, task.pk])
    notify(
        recipients=people,
        workspace=task.workspace,
        subject=f"{actor.name} mentioned you on “{task.title}”",
        template="notifications/mention.txt",
        context={"actor": actor, "task": task, "body": body, "url": url},
    )


@transaction.atomic
def comment_add(*, actor: User, task: Task, body: str) -> Comment:
    """A comment; @first-name or @email mentions the members it names, and each of them
    (but the author) is emailed a link to the task by the background worker."""
    require_task_worker(actor, task)
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a comment first.", field="body")
    within("body", check_text, body, max_length=COMMENT_MAX_CHARS)
    comment = Comment.objects.create(task=task, author=actor, body=body)
    people = _mentioned(task, body)
    if people:
        comment.mentions.set(people)
        _tell_mentioned(task, actor, body, [p for p in people if p.pk != actor.pk])
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=comment,
        workspace=task.workspace,
        changes={"mentions": [None, [p.pk for p in people]]},
    )
    return comment
