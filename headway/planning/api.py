import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import MaxLen
from django.urls import reverse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from headway.api.schemas import BoundedDate as Date
from headway.api.schemas import (
    Budget,
    ChoiceStr,
    DurationDays,
    EffortHours,
    Id,
    LagDays,
    LeadDays,
    LongText,
    MetricTarget,
    SafeJson,
    SafeStr,
    Version,
)
from headway.core.bounds import COMMENT_MAX_CHARS
from headway.core.errors import DomainError, Forbidden
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import (
    Attachment,
    Campaign,
    CampaignTemplate,
    Dependency,
    GoLiveCondition,
    Holiday,
    Task,
    TimeOff,
)
from headway.planning.services import attachments as attachment_services
from headway.planning.services import calendar as calendar_services
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import links as link_services
from headway.planning.services import tasks as task_services
from headway.planning.services import templates as template_services
from headway.planning.services.schedule import PlanChange, plan_preview
from headway.workspaces import visibility

router = Router(tags=["planning"])


class MetricIn(Schema):
    name: Annotated[SafeStr, MaxLen(100)]
    target: MetricTarget
    unit: Annotated[SafeStr, MaxLen(30)] = ""
    comparison: ChoiceStr = "at_least"


class CampaignIn(Schema):
    name: Annotated[SafeStr, MaxLen(140)]
    objective: LongText = ""
    audience: LongText = ""
    funnel_stage: ChoiceStr = ""
    budget: Budget | None = None
    currency: Annotated[SafeStr, MaxLen(3)] = "USD"
    constraints: LongText = ""
    launch_date: Date | None = None
    owner: Id | None = None
    utm_campaign: Annotated[SafeStr, MaxLen(100)] = ""
    platform_names: Annotated[list[Annotated[SafeStr, MaxLen(60)]], MaxLen(50)] = []
    metrics: Annotated[list[MetricIn], MaxLen(50)] = []
    template_id: Id | None = None
    assign_suggested: bool = False


class CampaignPatch(Schema):
    version: Version
    name: Annotated[SafeStr, MaxLen(140)] | None = None
    objective: LongText | None = None
    audience: LongText | None = None
    funnel_stage: ChoiceStr | None = None
    budget: Budget | None = None
    constraints: LongText | None = None
    launch_date: Date | None = None
    owner: Id | None = None
    utm_campaign: Annotated[SafeStr, MaxLen(100)] | None = None


class CampaignOut(Schema):
    id: int
    name: str
    status: str
    objective: str
    launch_date: dt.date | None
    owner_id: int | None
    plan_start: dt.date | None
    projected_launch: dt.date | None
    short_by: int
    late_by: int
    utm_campaign: str
    version: int


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


class LinkOut(Schema):
    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag: int


class ConditionOut(Schema):
    id: int
    title: str
    kind: str
    party: str
    owner_id: int | None
    due_date: dt.date | None
    lead_time_days: int
    met: bool
    at_risk: bool


def _condition_out(cond: GoLiveCondition, *, at_risk: bool) -> dict[str, Any]:
    """A condition as the campaign page shows it: `met` and `at_risk` are computed, not
    stored, so they cannot come from the model alone."""
    return {
        "id": cond.pk,
        "title": cond.title,
        "kind": cond.kind,
        "party": cond.party,
        "owner_id": cond.owner_id,
        "due_date": cond.due_date,
        "lead_time_days": cond.lead_time_days,
        "met": cond.is_met,
        "at_risk": at_risk,
    }


class CampaignDetail(CampaignOut):
    tasks: list[TaskOut]
    links: list[LinkOut]
    conditions: list[ConditionOut]


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


class LinkIn(Schema):
    predecessor: Id
    type: Annotated[SafeStr, MaxLen(2)] = "FS"
    lag: LagDays = 0


class MovedOut(Schema):
    task_id: int
    title: str
    before: dt.date
    after: dt.date
    days: int


class PreviewOut(Schema):
    summary: str
    moved: list[MovedOut]
    launch_days: int


class ConditionIn(Schema):
    title: Annotated[SafeStr, MaxLen(200)]
    kind: ChoiceStr = "readiness"
    party: ChoiceStr = "internal"
    owner: Id
    due_date: Date | None = None
    lead_time_days: LeadDays = 0


class MetIn(Schema):
    met: bool = True


class TemplateIn(Schema):
    name: Annotated[SafeStr, MaxLen(120)]
    description: LongText = ""
    spec: SafeJson


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    spec: dict[str, Any]


def _internal(request: WorkspaceRequest) -> None:
    if not visibility.is_internal(request.membership):
        raise Forbidden("Freelancers and clients see only the tasks assigned to them.")


def _task(request: WorkspaceRequest, task_id: int) -> Task:
    """The task if the caller may see it (404 otherwise); services decide what they may do."""
    return (
        visibility.visible_tasks(request.membership)
        .select_related("campaign__workspace", "workspace")
        .get(pk=task_id)
    )


def _campaign(request: WorkspaceRequest, campaign_id: int) -> Campaign:
    _internal(request)
    return Campaign.objects.select_related("workspace").get(
        workspace=request.workspace, pk=campaign_id
    )


@router.get("/workspaces/{ws}/campaigns", response=list[CampaignOut], summary="Campaigns")
def campaigns_list(request: WorkspaceRequest, ws: str, status: ChoiceStr = "") -> object:
    _internal(request)
    filters = selectors.CampaignFilter(status=status)
    return list(selectors.campaigns_list(request.workspace, request.workspace.today(), filters))


@router.post(
    "/workspaces/{ws}/campaigns",
    response={201: CampaignOut},
    summary="Create a campaign; with template_id and launch_date, planned backward from the launch",
)
def campaigns_create(request: WorkspaceRequest, ws: str, payload: CampaignIn) -> object:
    data = payload.dict()
    template_id, assign = data.pop("template_id"), data.pop("assign_suggested")
    metrics = data.pop("metrics")
    if template_id is None:
        return 201, campaign_services.campaign_create(
            actor=request.user, workspace=request.workspace, metrics=metrics, **data
        )
    template = CampaignTemplate.objects.filter(workspace=request.workspace, pk=template_id).first()
    if template is None:
        raise DomainError("No such template in this workspace.", field="template_id")
    if data.get("launch_date") is None:
        raise DomainError("A campaign from a template needs a launch date.", field="launch_date")
    name, launch = data.pop("name"), data.pop("launch_date")
    return 201, template_services.campaign_from_template(
        actor=request.user,
        workspace=request.workspace,
        template=template,
        name=name,
        launch_date=launch,
        assign_suggested=assign,
        metrics=metrics,
        **data,
    )


@router.get(
    "/workspaces/{ws}/campaigns/{int:campaign_id}",
    response=CampaignDetail,
    summary="A campaign with its tasks, links and go-live conditions",
)
def campaigns_get(request: WorkspaceRequest, ws: str, campaign_id: int) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    page = selectors.campaign_page(campaign, campaign.workspace.today())
    return {
        **CampaignOut.from_orm(campaign).dict(),
        "tasks": page.tasks,
        "links": page.links,
        "conditions": [_condition_out(c, at_risk=c.pk in page.at_risk) for c in page.conditions],
    }


@router.patch(
    "/workspaces/{ws}/campaigns/{int:campaign_id}",
    response=CampaignOut,
    summary="Edit the brief (send the version you read; a stale one answers 409)",
)
def campaigns_update(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: CampaignPatch
) -> object:
    campaign = _campaign(request, campaign_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return campaign_services.campaign_update(
        actor=request.user, campaign=campaign, version=version, **data
    )


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/status",
    response=CampaignOut,
    summary="Change the campaign's status (launched needs every go-live condition met)",
)
def campaigns_status(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: StatusIn
) -> object:
    campaign = _campaign(request, campaign_id)
    return campaign_services.campaign_set_status(
        actor=request.user, campaign=campaign, status=payload.status
    )


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/tasks",
    response={201: TaskOut},
    summary="Add a task or milestone; the plan is rescheduled",
)
def tasks_create(request: WorkspaceRequest, ws: str, campaign_id: int, payload: TaskIn) -> object:
    campaign = _campaign(request, campaign_id)
    task = task_services.task_create(actor=request.user, campaign=campaign, **payload.dict())
    task.refresh_from_db()
    return 201, task


@router.patch(
    "/workspaces/{ws}/tasks/{int:task_id}",
    response=TaskOut,
    summary="Edit a task (send the version you read; a stale one answers 409)",
)
def tasks_update(request: WorkspaceRequest, ws: str, task_id: int, payload: TaskPatch) -> object:
    task = _task(request, task_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return task_services.task_update(actor=request.user, task=task, version=version, **data)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/status",
    response=TaskOut,
    summary="Move a task (an unowned task cannot start; blocked needs a reason and a person; "
    "starting before the predecessors are done answers 409 unless force is true)",
)
def tasks_status(request: WorkspaceRequest, ws: str, task_id: int, payload: StatusIn) -> object:
    task = _task(request, task_id)
    return task_services.task_set_status(actor=request.user, task=task, **payload.dict())


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/dependencies",
    response={201: LinkOut, 200: PreviewOut},
    summary="Make the task wait on another; with preview=true, answer what it would move",
)
def links_create(
    request: WorkspaceRequest, ws: str, task_id: int, payload: LinkIn, preview: bool = False
) -> object:
    task = _task(request, task_id)
    predecessor = Task.objects.filter(pk=payload.predecessor).select_related("campaign").first()
    if predecessor is None or predecessor.workspace_id != request.workspace.pk:
        raise DomainError(
            "A task can only depend on tasks of the same workspace.", field="predecessor"
        )
    if preview:
        link = link_services.link_check(predecessor, task, payload.type, payload.lag)
        result = plan_preview(task.campaign, PlanChange(link=link))
        return 200, {
            "summary": result.summary(),
            "moved": result.moved,
            "launch_days": result.launch_days,
        }
    return 201, link_services.dependency_add(
        actor=request.user,
        predecessor=predecessor,
        successor=task,
        type=payload.type,
        lag=payload.lag,
    )


@router.delete(
    "/workspaces/{ws}/dependencies/{int:dependency_id}",
    response={204: None},
    summary="Remove a link; the plan is rescheduled",
)
def links_delete(request: WorkspaceRequest, ws: str, dependency_id: int) -> tuple[int, None]:
    _internal(request)
    dep = Dependency.objects.select_related("successor__campaign", "workspace").get(
        workspace=request.workspace, pk=dependency_id
    )
    link_services.dependency_remove(actor=request.user, dependency=dep)
    return 204, None


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/conditions",
    response={201: ConditionOut},
    summary="Add a go-live condition with one owner",
)
def conditions_create(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: ConditionIn
) -> object:
    campaign = _campaign(request, campaign_id)
    cond = link_services.condition_create(actor=request.user, campaign=campaign, **payload.dict())
    at_risk = link_services.condition_at_risk(cond, request.workspace.today())
    return 201, _condition_out(cond, at_risk=at_risk)


@router.post(
    "/workspaces/{ws}/conditions/{int:condition_id}/met",
    response=ConditionOut,
    summary="Mark a go-live condition met, or not",
)
def conditions_met(
    request: WorkspaceRequest, ws: str, condition_id: int, payload: MetIn
) -> dict[str, Any]:
    cond = GoLiveCondition.objects.select_related("workspace", "campaign").get(
        workspace=request.workspace, pk=condition_id
    )
    cond = link_services.condition_set_met(actor=request.user, condition=cond, met=payload.met)
    at_risk = link_services.condition_at_risk(cond, request.workspace.today())
    return _condition_out(cond, at_risk=at_risk)


@router.get("/workspaces/{ws}/templates", response=list[TemplateOut], summary="Templates")
def templates_list(request: WorkspaceRequest, ws: str) -> object:
    _internal(request)
    return selectors.workspace_templates(request.workspace)


@router.post(
    "/workspaces/{ws}/templates",
    response={201: TemplateOut},
    summary="Add a template (a broken network is refused with the fault named)",
)
def templates_create(request: WorkspaceRequest, ws: str, payload: TemplateIn) -> object:
    return 201, template_services.template_create(
        actor=request.user,
        workspace=request.workspace,
        name=payload.name,
        spec=payload.spec,
        description=payload.description,
    )


@router.get(
    "/workspaces/{ws}/my-work",
    response=list[TaskOut],
    summary="Your open tasks, in the order that unblocks the most",
)
def my_work(request: WorkspaceRequest, ws: str) -> object:
    rows = selectors.my_work(request.workspace, request.user, request.workspace.today())
    return [r.task for r in rows]


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


class TimeOffIn(Schema):
    user_id: Id
    first_day: Date
    last_day: Date
    note: Annotated[SafeStr, MaxLen(120)] = ""


class TimeOffOut(Schema):
    id: int
    user_id: int
    first_day: dt.date
    last_day: dt.date
    note: str


class HolidayIn(Schema):
    date: Date
    name: Annotated[SafeStr, MaxLen(80)]


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str


class ChannelOut(Schema):
    id: int
    key: str
    name: str


class ChannelIn(Schema):
    name: Annotated[SafeStr, MaxLen(60)]


class MetricOut(Schema):
    id: int
    name: str
    target: Decimal
    unit: str
    comparison: str


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/checklist",
    response={201: ChecklistOut},
    summary="Add a checklist item",
)
def checklist_create(request: WorkspaceRequest, ws: str, task_id: int, payload: TextIn) -> object:
    task = _task(request, task_id)
    return 201, task_services.checklist_add(actor=request.user, task=task, text=payload.text)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/comments",
    response={201: CommentOut},
    summary="Comment on a task; @first-name or @email mentions a member",
)
def comments_create(request: WorkspaceRequest, ws: str, task_id: int, payload: CommentIn) -> object:
    task = _task(request, task_id)
    comment = task_services.comment_add(actor=request.user, task=task, body=payload.body)
    return 201, {
        "id": comment.pk,
        "author_id": comment.author_id,
        "body": comment.body,
        "mention_ids": [u.pk for u in comment.mentions.all()],
        "created_at": comment.created_at,
    }


@router.get("/workspaces/{ws}/time-off", response=list[TimeOffOut], summary="Time off ahead")
def timeoff_list(request: WorkspaceRequest, ws: str) -> object:
    qs = TimeOff.objects.filter(
        workspace=request.workspace, last_day__gte=request.workspace.today()
    )
    if not request.membership.role_enum.plans:
        qs = qs.filter(user=request.user)
    return list(qs)


@router.post(
    "/workspaces/{ws}/time-off",
    response={201: TimeOffOut},
    summary="Record time off (your own, or anyone's for planners); plans are redated",
)
def timeoff_create(request: WorkspaceRequest, ws: str, payload: TimeOffIn) -> object:
    return 201, calendar_services.timeoff_add(
        actor=request.user, workspace=request.workspace, **payload.dict()
    )


@router.get("/workspaces/{ws}/holidays", response=list[HolidayOut], summary="Holidays")
def holidays_list(request: WorkspaceRequest, ws: str) -> object:
    return list(Holiday.objects.filter(workspace=request.workspace))


@router.post(
    "/workspaces/{ws}/holidays",
    response={201: HolidayOut},
    summary="Add a workspace holiday; open plans are redated",
)
def holidays_create(request: WorkspaceRequest, ws: str, payload: HolidayIn) -> object:
    return 201, calendar_services.holiday_add(
        actor=request.user, workspace=request.workspace, date=payload.date, name=payload.name
    )


@router.get("/workspaces/{ws}/channels", response=list[ChannelOut], summary="Channels")
def channels_list(request: WorkspaceRequest, ws: str) -> object:
    return selectors.workspace_channels(request.workspace)


@router.post("/workspaces/{ws}/channels", response={201: ChannelOut}, summary="Add a channel")
def channels_create(request: WorkspaceRequest, ws: str, payload: ChannelIn) -> object:
    return 201, campaign_services.channel_create(
        actor=request.user, workspace=request.workspace, name=payload.name
    )


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/metrics",
    response={201: MetricOut},
    summary="Add a success metric with its target",
)
def metrics_create(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: MetricIn
) -> object:
    campaign = _campaign(request, campaign_id)
    return 201, campaign_services.metric_add(
        actor=request.user, campaign=campaign, **payload.dict()
    )


@router.get(
    "/workspaces/{ws}/board",
    response=dict[str, list[TaskOut]],
    summary="Open campaigns' tasks by status (externals: only their own)",
)
def board(
    request: WorkspaceRequest,
    ws: str,
    person: Id | None = None,
    channel: Annotated[SafeStr, MaxLen(40)] = "",
    campaign: Id | None = None,
) -> dict[str, list[Task]]:
    viewer = request.membership
    within = None if visibility.is_internal(viewer) else visibility.workable_tasks(viewer)
    filters = selectors.BoardFilter(person=person, channel=channel, campaign=campaign)
    columns = selectors.board_columns(
        request.workspace, request.workspace.today(), filters, within=within
    )
    return {status.value: [r.task for r in rows] for status, rows in columns}


class AttachmentOut(Schema):
    id: int
    name: str
    version: int
    content_type: str
    size: int
    link: str
    download: str
    created_at: dt.datetime


class LinkAttachmentIn(Schema):
    url: Annotated[SafeStr, MaxLen(500)]
    name: Annotated[SafeStr, MaxLen(200)] = ""


def _attachment_out(request: WorkspaceRequest, a: Attachment) -> dict[str, Any]:
    download = reverse("planning:attachment", args=[request.workspace.slug, a.pk])
    return {
        "id": a.pk,
        "name": a.name,
        "version": a.version if not a.is_link else 0,
        "content_type": a.content_type,
        "size": a.size,
        "link": a.url,
        "download": request.build_absolute_uri(download),
        "created_at": a.created_at,
    }


@router.get(
    "/workspaces/{ws}/tasks/{int:task_id}/attachments",
    response=list[AttachmentOut],
    summary="A task's files (numbered versions) and links",
)
def attachments_list(request: WorkspaceRequest, ws: str, task_id: int) -> list[dict[str, Any]]:
    task = _task(request, task_id)
    return [_attachment_out(request, a) for a in task.attachments.all()]


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/attachments",
    response={201: AttachmentOut},
    summary="Upload a file to a task (the next version); type checked from its content",
)
def attachments_upload(
    request: WorkspaceRequest, ws: str, task_id: int, file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    task = _task(request, task_id)
    a = attachment_services.attachment_add_file(actor=request.user, task=task, upload=file)
    return 201, _attachment_out(request, a)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/attachment-links",
    response={201: AttachmentOut},
    summary="Attach a link to a file kept elsewhere",
)
def attachments_link(
    request: WorkspaceRequest, ws: str, task_id: int, payload: LinkAttachmentIn
) -> tuple[int, dict[str, Any]]:
    task = _task(request, task_id)
    a = attachment_services.attachment_add_link(
        actor=request.user, task=task, url=payload.url, name=payload.name
    )
    return 201, _attachment_out(request, a)


@router.delete(
    "/workspaces/{ws}/tasks/{int:task_id}",
    response={204: None},
    summary="Delete a task; the plan is redated",
)
def tasks_delete(request: WorkspaceRequest, ws: str, task_id: int) -> tuple[int, None]:
    task_services.task_delete(actor=request.user, task=_task(request, task_id))
    return 204, None
