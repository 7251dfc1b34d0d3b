"""Campaign health, launch forecasts and escalations over the API: the team's (freelancers
and clients get 403), read from the stored values the background job keeps fresh."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import BoundedDate, ChoiceStr, Id, SafeStr
from headway.core.errors import DomainError, Forbidden
from headway.core.http import WorkspaceRequest
from headway.insights.health_schemas import HealthOut
from headway.insights.models import Escalation
from headway.insights.selectors.escalations import escalation_get, escalations_list
from headway.insights.selectors.health import HealthView, campaign_health
from headway.insights.services.escalations import (
    can_acknowledge,
    escalation_acknowledge,
    escalation_raise,
)
from headway.insights.services.health import campaign_health_refresh
from headway.planning.api.lookups import internal_only, team_campaign
from headway.planning.models import Campaign
from headway.planning.selectors import task_find

router = Router(tags=["insights"])


class LaunchForecastOut(Schema):
    campaign_id: int
    launch_date: dt.date | None
    p_on_time: float | None
    p50_date: dt.date | None
    p85_date: dt.date | None
    basis: str
    trials: int
    sentence: str
    most_critical_task_ids: list[int]
    computed_at: dt.datetime


def _stored(campaign: Campaign) -> HealthView:
    """The stored health; computed now if the background job has not yet stored any."""
    view = campaign_health(campaign.workspace, campaign.pk)
    if view is None:
        campaign_health_refresh(campaign)
        view = campaign_health(campaign.workspace, campaign.pk)
    assert view is not None
    return view


@router.get(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/health",
    response=HealthOut,
    summary="A campaign's health: state, reasons with the one person who can act, since when",
)
def campaign_health_get(request: WorkspaceRequest, ws: str, campaign_id: int) -> HealthOut:
    return HealthOut(**_stored(team_campaign(request, campaign_id)).as_api())


@router.get(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/forecast",
    response=LaunchForecastOut,
    summary="A campaign's launch forecast: P(on time), 50% and 85% dates, basis, critical tasks",
)
def campaign_forecast_get(
    request: WorkspaceRequest, ws: str, campaign_id: int
) -> LaunchForecastOut:
    campaign = team_campaign(request, campaign_id)
    view = _stored(campaign)
    f = view.forecast
    return LaunchForecastOut(
        campaign_id=campaign.pk,
        launch_date=campaign.launch_date,
        p_on_time=f.p_on_time if f else None,
        p50_date=f.p50_date if f else None,
        p85_date=f.p85_date if f else None,
        basis=f.basis if f else "no forecast: the campaign is closed",
        trials=f.trials if f else 0,
        sentence=f.sentence if f else "",
        most_critical_task_ids=f.critical_task_ids if f else [],
        computed_at=view.computed_at,
    )


class EscalationOut(Schema):
    id: int
    state: str
    source: str
    campaign_id: int
    task_id: int | None
    text: str  # as opened
    reasons: list[dict[str, Any]]  # as opened
    # what it says now: the campaign's current health reasons while it is unresolved
    current_text: str
    current_reasons: list[dict[str, Any]]
    opened_because: str  # the reason it was opened with, when it differs from today's
    owner_id: int | None
    raised_by_id: int | None
    opened_at: dt.datetime
    acknowledged_at: dt.datetime | None
    ack_note: str
    ack_by_date: dt.date | None
    escalated_at: dt.datetime | None
    resolved_at: dt.datetime | None


class AcknowledgeIn(Schema):
    note: Annotated[SafeStr, MaxLen(500)]
    by_date: BoundedDate


class RaiseIn(Schema):
    text: Annotated[SafeStr, MaxLen(500)]
    task_id: Id | None = None


@router.get(
    "/workspaces/{ws}/escalations",
    response=list[EscalationOut],
    summary="Escalations, newest first (state: open, acknowledged or resolved)",
)
def escalations_get(request: WorkspaceRequest, ws: str, state: ChoiceStr = "") -> list[Escalation]:
    internal_only(request)
    if state and state not in ("open", "acknowledged", "resolved"):
        raise DomainError("state must be open, acknowledged or resolved.", field="state")
    return list(escalations_list(request.workspace, state or None)[:500])


@router.post(
    "/workspaces/{ws}/escalations/{int:escalation_id}/acknowledge",
    response=EscalationOut,
    summary="Acknowledge an escalation with what will be done and by when",
)
def escalation_acknowledge_post(
    request: WorkspaceRequest, ws: str, escalation_id: int, payload: AcknowledgeIn
) -> Escalation:
    internal_only(request)
    esc = escalation_get(request.workspace, escalation_id)
    if esc is None:
        raise Escalation.DoesNotExist("No such escalation.")
    if not can_acknowledge(request.membership, esc):
        raise Forbidden("Only the campaign owner or a manager can acknowledge this escalation.")
    return escalation_acknowledge(
        actor=request.user, escalation=esc, note=payload.note, by_date=payload.by_date
    )


@router.post(
    "/workspaces/{ws}/campaigns/{int:campaign_id}/risks",
    response={201: EscalationOut},
    summary="Raise a risk on a campaign (or one of its tasks) in a sentence",
)
def risk_raise_post(
    request: WorkspaceRequest, ws: str, campaign_id: int, payload: RaiseIn
) -> tuple[int, Escalation]:
    campaign = team_campaign(request, campaign_id)
    task = None
    if payload.task_id is not None:
        task = task_find(request.workspace, payload.task_id)
        if task is None:
            raise DomainError("No such task in this workspace.", field="task_id")
    return 201, escalation_raise(
        actor=request.user, campaign=campaign, task=task, text=payload.text
    )
