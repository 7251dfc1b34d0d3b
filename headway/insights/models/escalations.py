"""Escalations: trouble taken to one owner, who acknowledges it with what will be done and by
when; unacknowledged past the limit it goes to the workspace's owners and managers, once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel


class EscalationState(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class EscalationSource(models.TextChoices):
    HEALTH = "health", "Campaign health"
    RAISED = "raised", "Raised by hand"


class Escalation(TimestampedModel):
    """Opened when a campaign turns at risk, blocked or late (or a member raises a risk on a
    task or campaign); resolved when the campaign is back on track."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="escalations"
    )
    campaign = models.ForeignKey(
        "planning.Campaign", on_delete=models.CASCADE, related_name="escalations"
    )
    task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    source = models.CharField(max_length=10, choices=EscalationSource.choices)
    state = models.CharField(
        max_length=14, choices=EscalationState.choices, default=EscalationState.OPEN
    )
    health_state = models.CharField(max_length=12, blank=True)
    text = models.CharField(max_length=500)
    reasons = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_owned",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations_raised",
    )
    opened_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ack_note = models.CharField(max_length=500, blank=True)
    ack_by_date = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)  # sent to owners/managers
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["workspace", "state"], name="escalation_ws_state")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def state_enum(self) -> EscalationState:
        return EscalationState(self.state)

    @property
    def health_label(self) -> str:
        """The campaign state that opened it, in words ("At risk"); empty when raised by hand."""
        from headway.insights.models.health import HealthState

        return HealthState(self.health_state).label if self.health_state else ""

    # -- what it says now ----------------------------------------------------------------
    # An escalation opened by the campaign's health keeps the reasons it was opened with;
    # while it is unresolved, pages show the campaign's current reasons (from its stored
    # health, loaded with `campaign__health`), so its words never contradict the campaign page.

    def _live_health(self) -> object | None:
        if self.source != EscalationSource.HEALTH or self.state == EscalationState.RESOLVED:
            return None
        try:
            row = self.campaign.health
        except models.ObjectDoesNotExist:
            return None
        return row if row.state_enum.is_trouble and row.reasons else None

    @property
    def current_reasons(self) -> list[dict]:
        row = self._live_health()
        return list(row.reasons) if row is not None else list(self.reasons)  # type: ignore[attr-defined]

    @property
    def current_label(self) -> str:
        row = self._live_health()
        return row.state_enum.label if row is not None else self.health_label  # type: ignore[attr-defined]

    @property
    def current_text(self) -> str:
        """What it says now: for health, the campaign's state and its first current reason
        (the campaign named once); raised by hand, the member's sentence."""
        row = self._live_health()
        if row is None:
            return self.text
        first = self.current_reasons[0]["text"]
        return f"{self.campaign.name} is {self.current_label.lower()}: {first}"

    @property
    def opened_because(self) -> str:
        """The reason it was opened with, when the current one differs; empty otherwise."""
        if self.source != EscalationSource.HEALTH or not self.reasons:
            return ""
        first = str(self.reasons[0].get("text", ""))
        now = self.current_reasons
        return "" if now and now[0].get("text") == first else first
