"""Tasks and milestones: add, edit, move through statuses, delete; their checklists and
comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen, MinLen
from ninja import Router, Schema

from headway.api.schemas import ChoiceStr, DurationDays, EffortHours, Id, SafeStr, Version
from headway.core.bounds import COMMENT_MAX_CHARS
from headway.core.http import WorkspaceRequest
from headway.planning.api.lookups import team_campaign, visible_task
from headway.planning.models import ChecklistItem, Task
from headway.planning.services import tasks as task_services

router = Router(tags=["planning"])


class TaskOut(Schema):
    id: int
    campaign_id: int
    title: str
    kind: str
    owner_id: int | None
    role_needed: str
    duration_days: float
    status: str
    start_date: dt.date | None
    due_date: dt.date | None
    total_float: float
    critical: bool
    explanation: str
    blocked_reason: str
    blocked_on_id: int | None
    version: int


class TaskIn(Schema):
    title: Annotated[SafeStr, MaxLen(200)]
    kind: ChoiceStr = "task"
    owner: Id | None = None
    role_needed: ChoiceStr = ""
    duration_days: DurationDays = Decimal(1)
    optimistic_days: DurationDays | None = None
    likely_days: DurationDays | None = None
    pessimistic_days: DurationDays | None = None
    effort_hours: EffortHours | None = None


class TaskPatch(Schema):
    version: Version
    title: Annotated[SafeStr, MaxLen(200)] | None = None
    owner: Id | None = None
    role_needed: ChoiceStr | None = None
    duration_days: DurationDays | None = None
    effort_hours: EffortHours | None = None


class StatusIn(Schema):
    status: ChoiceStr
    version: Version | None = None
    blocked_reason: Annotated[SafeStr, MaxLen(240)] = ""
    blocked_on: Id | None = None
    # Moving on before the predecessors are done answers 409 predecessors_not_done unless
    # the client confirms with force.
    force: bool = False


class TextIn(Schema):
    text: Annotated[SafeStr, MaxLen(200)]


class ChecklistOut(Schema):
    id: int
    text: str
    done: bool


class CommentIn(Schema):
    body: Annotated[SafeStr, MaxLen(COMMENT_MAX_CHARS)]


class CommentOut(Schema):
    id: int
    author_id: int | None
    body: str
    mention_ids: list[int]
    created_at: dt.datetime


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/tasks",
    response={201: TaskOut},
    summary="Add a task or milestone; the plan is rescheduled",
)
def tasks_create(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: TaskIn
) -> tuple[int, Task]:
    campaign = team_campaign(request, campaign_id)
    return 201, task_services.task_create(actor=request.user, campaign=campaign, **payload.dict())


class TasksBulkIn(Schema):
    tasks: Annotated[list[TaskIn], MinLen(1), MaxLen(task_services.BULK_MAX_TASKS)]


class TasksBulkOut(Schema):
    tasks: list[TaskOut]


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/tasks/bulk",
    response={201: TasksBulkOut},
    summary="Add up to 500 tasks at once, in one transaction and one reschedule; all or "
    "nothing (an error names the item: tasks.3.title)",
)
def tasks_create_bulk(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: TasksBulkIn
) -> tuple[int, dict[str, list[Task]]]:
    campaign = team_campaign(request, campaign_id)
    items = [item.dict() for item in payload.tasks]
    made = task_services.tasks_create_bulk(actor=request.user, campaign=campaign, items=items)
    return 201, {"tasks": made}


@router.patch(
    "/workspaces/{ws}/tasks/{int:task_id}",
    response=TaskOut,
    summary="Edit a task (send the version you read; a stale one answers 409)",
)
def tasks_update(request: WorkspaceRequest, ws: str, task_id: int, payload: TaskPatch) -> Task:
    task = visible_task(request, task_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return task_services.task_update(actor=request.user, task=task, version=version, **data)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/status",
    response=TaskOut,
    summary="Move a task (an unowned task cannot start; blocked needs a reason and a person; "
    "starting before the predecessors are done answers 409 unless force is true)",
)
def tasks_status(request: WorkspaceRequest, ws: str, task_id: int, payload: StatusIn) -> Task:
    task = visible_task(request, task_id)
    return task_services.task_set_status(actor=request.user, task=task, **payload.dict())


@router.delete(
    "/workspaces/{ws}/tasks/{int:task_id}",
    response={204: None},
    summary="Delete a task; the plan is redated",
)
def tasks_delete(request: WorkspaceRequest, ws: str, task_id: int) -> tuple[int, None]:
    task_services.task_delete(actor=request.user, task=visible_task(request, task_id))
    return 204, None


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/checklist",
    response={201: ChecklistOut},
    summary="Add a checklist item",
)
def checklist_create(
    request: WorkspaceRequest, ws: str, task_id: int, payload: TextIn
) -> tuple[int, ChecklistItem]:
    task = visible_task(request, task_id)
    return 201, task_services.checklist_add(actor=request.user, task=task, text=payload.text)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/comments",
    response={201: CommentOut},
    summary="Comment on a task; @first-name or @email mentions a member",
)
def comments_create(
    request: WorkspaceRequest, ws: str, task_id: int, payload: CommentIn
) -> tuple[int, CommentOut]:
    task = visible_task(request, task_id)
    comment = task_services.comment_add(actor=request.user, task=task, body=payload.body)
    return 201, CommentOut(
        id=comment.pk,
        author_id=comment.author_id,
        body=comment.body,
        mention_ids=[u.pk for u in comment.mentions.all()],
        created_at=comment.created_at,
    )
