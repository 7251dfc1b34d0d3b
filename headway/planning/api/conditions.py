"""Go-live conditions and success metrics: what must be true at launch, and what the campaign
should achieve."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import BoundedDate as Date
from headway.api.schemas import ChoiceStr, Id, LeadDays, MetricTarget, SafeStr
from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.api.lookups import team_campaign
from headway.planning.models import GoLiveCondition, SuccessMetric
from headway.planning.services import campaigns as campaign_services
from headway.planning.services import links as link_services

router = Router(tags=["planning"])


class ConditionIn(Schema):
    title: Annotated[SafeStr, MaxLen(200)]
    kind: ChoiceStr = "readiness"
    party: ChoiceStr = "internal"
    owner: Id
    due_date: Date | None = None
    lead_time_days: LeadDays = 0


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


class MetIn(Schema):
    met: bool = True


class MetricIn(Schema):
    name: Annotated[SafeStr, MaxLen(100)]
    target: MetricTarget
    unit: Annotated[SafeStr, MaxLen(30)] = ""
    comparison: ChoiceStr = "at_least"


class MetricOut(Schema):
    id: int
    name: str
    target: Decimal
    unit: str
    comparison: str


def condition_out(cond: GoLiveCondition, *, at_risk: bool) -> ConditionOut:
    """A condition as the campaign page shows it: `met` and `at_risk` are computed, not
    stored, so they cannot come from the model alone."""
    return ConditionOut(
        id=cond.pk,
        title=cond.title,
        kind=cond.kind,
        party=cond.party,
        owner_id=cond.owner_id,
        due_date=cond.due_date,
        lead_time_days=cond.lead_time_days,
        met=cond.is_met,
        at_risk=at_risk,
    )


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/conditions",
    response={201: ConditionOut},
    summary="Add a go-live condition with one owner",
)
def conditions_create(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: ConditionIn
) -> tuple[int, ConditionOut]:
    campaign = team_campaign(request, campaign_id)
    cond = link_services.condition_create(actor=request.user, campaign=campaign, **payload.dict())
    at_risk = link_services.condition_at_risk(cond, request.workspace.today())
    return 201, condition_out(cond, at_risk=at_risk)


@router.post(
    "/workspaces/{ws}/conditions/{int:condition_id}/met",
    response=ConditionOut,
    summary="Mark a go-live condition met, or not",
)
def conditions_met(
    request: WorkspaceRequest, ws: str, condition_id: int, payload: MetIn
) -> ConditionOut:
    cond = selectors.condition_get(request.workspace, condition_id)
    cond = link_services.condition_set_met(actor=request.user, condition=cond, met=payload.met)
    at_risk = link_services.condition_at_risk(cond, request.workspace.today())
    return condition_out(cond, at_risk=at_risk)


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/metrics",
    response={201: MetricOut},
    summary="Add a success metric with its target",
)
def metrics_create(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: MetricIn
) -> tuple[int, SuccessMetric]:
    campaign = team_campaign(request, campaign_id)
    return 201, campaign_services.metric_add(
        actor=request.user, campaign=campaign, **payload.dict()
    )
