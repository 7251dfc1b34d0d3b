"""Campaigns: the list, a new one (blank or from a template), the brief, the status, and the
whole plan at once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import BoundedDate as Date
from headway.api.schemas import Budget, ChoiceStr, Id, LongText, SafeStr, Version
from headway.core.http import WorkspaceRequest
from headway.insights.health_schemas import HealthOut
from headway.insights.selectors.health import campaign_health_map
from headway.planning import selectors
from headway.planning.api.conditions import ConditionOut, MetricIn, condition_out
from headway.planning.api.links import LinkOut
from headway.planning.api.lookups import internal_only, team_campaign
from headway.planning.api.tasks import TaskOut
from headway.planning.models import Campaign
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import templates as template_services

router = Router(tags=["planning"])


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


class CampaignStatusIn(Schema):
    status: ChoiceStr
    # The version read; a change from a stale copy answers 409 (omit it to change regardless).
    version: Version | None = None


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
    # The launch record (planning/launches.py): the date planned when work began, the day it
    # went out, and the working days between (negative: early); null until they are known.
    planned_launch: dt.date | None
    launched_on: dt.date | None
    launch_late_days: int | None
    utm_campaign: str
    version: int
    # Stored health ({state, reasons, since}) on campaign lists; null until first computed.
    health: HealthOut | None = None

    @staticmethod
    def resolve_health(obj: Campaign) -> dict[str, object] | None:
        return getattr(obj, "health_api", None)


class CampaignDetail(CampaignOut):
    tasks: list[TaskOut]
    links: list[LinkOut]
    conditions: list[ConditionOut]


@router.get("/workspaces/{ws}/campaigns", response=list[CampaignOut], summary="Campaigns")
def campaigns_list(request: WorkspaceRequest, ws: str, status: ChoiceStr = "") -> list[Campaign]:
    internal_only(request)
    filters = selectors.CampaignFilter(status=status)
    rows = list(selectors.campaigns_list(request.workspace, request.workspace.today(), filters))
    health = campaign_health_map(request.workspace, [c.pk for c in rows])
    for c in rows:
        view = health.get(c.pk)
        c.health_api = view.as_api() if view is not None else None  # type: ignore[attr-defined]
    return rows


@router.post(
    "/workspaces/{ws}/campaigns",
    response={201: CampaignOut},
    summary="Create a campaign; with template_id and launch_date, planned backward from the launch",
)
def campaigns_create(
    request: WorkspaceRequest, ws: str, payload: CampaignIn
) -> tuple[int, Campaign]:
    return 201, template_services.campaign_start(
        actor=request.user, workspace=request.workspace, **payload.dict()
    )


@router.get(
    "/workspaces/{ws}/campaigns/{int:campaign_id}",
    response=CampaignDetail,
    summary="A campaign with its tasks, links and go-live conditions",
)
def campaigns_get(request: WorkspaceRequest, ws: str, campaign_id: int) -> CampaignDetail:
    campaign = team_campaign(request, campaign_id)
    page = selectors.campaign_page(campaign, campaign.workspace.today())
    return CampaignDetail(
        **CampaignOut.from_orm(campaign).dict(),
        tasks=[TaskOut.from_orm(t) for t in page.tasks],
        links=[LinkOut.from_orm(k) for k in page.links],
        conditions=[condition_out(c, at_risk=c.pk in page.at_risk) for c in page.conditions],
    )


@router.patch(
    "/workspaces/{ws}/campaigns/{int:campaign_id}",
    response=CampaignOut,
    summary="Edit the brief (send the version you read; a stale one answers 409)",
)
def campaigns_update(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: CampaignPatch
) -> Campaign:
    campaign = team_campaign(request, campaign_id)
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
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: CampaignStatusIn
) -> Campaign:
    campaign = team_campaign(request, campaign_id)
    return campaign_services.campaign_set_status(
        actor=request.user, campaign=campaign, status=payload.status, version=payload.version
    )
