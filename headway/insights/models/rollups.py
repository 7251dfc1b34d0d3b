"""Stored diagnosis figures: the flow, where-work-waits and scorecard results for a page's
default period, computed in the background so the pages read them instead of the whole log."""

from __future__ import annotations

from django.db import models

from headway.core.models import TimestampedModel


class RollupPage(models.TextChoices):
    FLOW = "flow", "Flow"
    BOTTLENECKS = "bottlenecks", "Where work waits"
    SCORECARD = "scorecard", "Scorecard"


class DiagnosisRollup(TimestampedModel):
    """One row per workspace and page, rewritten by `diagnosis_rollups_refresh`. `result` is
    the selector's result object as the job computed it (pickled: only the job writes it);
    `last_event_id` is the newest activity event it includes, so the job skips a workspace
    with no new activity on the same day."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="diagnosis_rollups"
    )
    page = models.CharField(max_length=20, choices=RollupPage.choices)
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField()
    last_event_id = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0.0)  # how long the computation took
    result = models.BinaryField()

    class Meta:
        ordering = ["workspace", "page"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "page"], name="insights_rollup_page")
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.start}..{self.end} at {self.computed_at:%Y-%m-%d %H:%M}"


class TaskMove(TimestampedModel):
    """A task's status move copied from the activity log (its creation, or a change of its
    status), so the flow figures read short rows instead of the log's JSON. Copied by the
    rollup job in event order; `event_id` is the log event it came from."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField()
    task_id = models.BigIntegerField()
    stage = models.CharField(max_length=20)  # not_started for a creation, else the new status
    blocker = models.BigIntegerField(null=True, blank=True)
    at = models.FloatField()  # seconds since 1970, as the flow figures read event times

    class Meta:
        ordering = ["workspace", "event_id"]
        indexes = [
            models.Index(fields=["workspace", "at"], name="insights_move_ws_at"),
            models.Index(fields=["workspace", "event_id"], name="insights_move_ws_event"),
        ]

    def __str__(self) -> str:
        return f"task {self.task_id} -> {self.stage} (event {self.event_id})"
