"""Stored campaign health: the state the engine decided, its reasons in words with the one
person who can act, since when the state holds, and the launch forecast with its basis."""

from __future__ import annotations

from django.db import models

from headway.core.models import TimestampedModel


class HealthState(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    BLOCKED = "blocked", "Blocked"
    LATE = "late", "Late"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def is_trouble(self) -> bool:
        """Whether the state opens an escalation to the campaign owner."""
        return self in (HealthState.AT_RISK, HealthState.BLOCKED, HealthState.LATE)


class CampaignHealth(TimestampedModel):
    """One row per campaign, rewritten by `campaign_health_refresh`. `reasons` is a list of
    {code, text, owner_id, object: {kind, id, url}}; `since` is when `state` last changed."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="campaign_health"
    )
    campaign = models.OneToOneField(
        "planning.Campaign", on_delete=models.CASCADE, related_name="health"
    )
    state = models.CharField(
        max_length=12, choices=HealthState.choices, default=HealthState.ON_TRACK
    )
    reasons = models.JSONField(default=list, blank=True)
    since = models.DateTimeField()
    computed_at = models.DateTimeField()
    # The launch forecast (none for closed campaigns or a plan without a launch date).
    p_on_time = models.FloatField(null=True, blank=True)
    p50_date = models.DateField(null=True, blank=True)
    p85_date = models.DateField(null=True, blank=True)
    forecast_basis = models.CharField(max_length=200, blank=True)
    forecast_trials = models.PositiveIntegerField(default=0)
    critical_task_ids = models.JSONField(default=list, blank=True)  # most often critical first

    class Meta:
        ordering = ["campaign_id"]
        indexes = [models.Index(fields=["workspace", "state"], name="health_ws_state")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.state}"

    @property
    def state_enum(self) -> HealthState:
        return HealthState(self.state)
