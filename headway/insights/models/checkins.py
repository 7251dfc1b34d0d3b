"""The weekly check-in: when a workspace meets, each week's meeting with the dates it started
from, what was discussed, and the decisions taken (each with one owner and a due date)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class CheckInSchedule(TimestampedModel):
    """When a workspace holds its check-in, in the workspace's time zone (Monday 09:00 when
    the workspace has not chosen)."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="checkin_schedule"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    time = models.TimeField(default=dt.time(9, 0))

    class Meta:
        ordering = ["workspace_id"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.time:%H:%M}"


class CheckIn(TimestampedModel):
    """One week's meeting. `snapshot` holds the dates the meeting closed on (engine
    slippage.Snapshot JSON): the next check-in's slippage is measured from it."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="checkins"
    )
    week = models.DateField(help_text="The Monday of the check-in's week.")
    scheduled_at = models.DateTimeField()
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "week"], name="checkin_one_per_week")
        ]

    def __str__(self) -> str:
        return f"Check-in of {self.week:%-d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CheckInItem(TimestampedModel):
    """An agenda item marked discussed; `key` names it stably ('slipped:task:12')."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=80)
    discussed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "key"], name="checkin_item_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class CheckInDecision(TimestampedModel):
    """A decision taken at a check-in: what, one owner, by when; optionally the task it
    became in a campaign."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="checkin_decisions"
    )
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkin_decisions"
    )
    due_date = models.DateField()
    task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:80]
