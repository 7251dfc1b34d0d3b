"""Background work for insights: recomputing one campaign's health after a change, and the
periodic sweep that refreshes every open campaign and sends overdue escalations on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from headway.core.tasks import retried_task
from headway.insights.services.escalations import escalations_sweep
from headway.insights.services.health import campaign_health_refresh, workspace_health_refresh
from headway.planning.models import Campaign
from headway.workspaces.models import Workspace


@retried_task()
def campaign_health_job(*, campaign_id: int, workspace_id: int) -> str:
    """Recomputes one campaign's health and forecast (the campaign may be gone by now)."""
    campaign = Campaign.objects.select_related("workspace", "owner").filter(pk=campaign_id).first()
    if campaign is None:
        return "campaign deleted"
    row = campaign_health_refresh(campaign)
    return f"{campaign.name}: {row.state}"


@retried_task()
def health_sweep_job(*, again: bool = True) -> str:
    """Refreshes every open campaign (dates pass even when nothing changes), sends overdue
    escalations on, then queues the next sweep (every HEALTH_SWEEP_MINUTES)."""
    refreshed = sum(workspace_health_refresh(w) for w in Workspace.objects.all())
    sent = escalations_sweep(timezone.now())
    if again:
        minutes = getattr(settings, "HEALTH_SWEEP_MINUTES", 30)
        health_sweep_job.using(run_after=timezone.now() + dt.timedelta(minutes=minutes)).enqueue(
            again=True
        )
    return f"{refreshed} campaigns refreshed, {sent} escalations sent on"
