"""Stored diagnosis figures: the flow, where-work-waits and scorecard results for a page's
default period, computed in the background so the pages read them instead of the whole log."""

from __future__ import annotations

from django.db import models

from headway.core.models import TimestampedModel


class RollupPage(models.TextChoices):
    FLOW = "flow", "Flow"
    BOTTLENECKS = "bottlenecks", "Where work waits"
    SCORECARD = "scorecard", "Scorecard"
    SCORECARD_MONTHS = "scorecard_months", "Scorecard, whole months"


class DiagnosisRollup(TimestampedModel):
    """One row per workspace and page, rewritten by `diagnosis_rollups_refresh`. `result` is
    the selector's result object as the job computed it (pickled: only the job writes it);
    `last_event_id` is the newest activity event it includes, so the job skips a workspace
    with no new activity on the same day. `version` is the shape of the pickled result
    (RESULT_VERSION when written): a row of another version is neither read nor kept, the
    job recomputes it, so a deploy that changes the result dataclasses does not unpickle
    old ones."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="diagnosis_rollups"
    )
    page = models.CharField(max_length=20, choices=RollupPage.choices)
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField()
    last_event_id = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0.0)  # how long the computation took
    version = models.PositiveIntegerField(default=0)
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
    rollup job in event order; `event_id` is the log event it came from, copied once."""

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
        indexes = [models.Index(fields=["workspace", "at"], name="insights_move_ws_at")]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "event_id"], name="insights_move_event")
        ]

    def __str__(self) -> str:
        return f"task {self.task_id} -> {self.stage} (event {self.event_id})"


class RoundStart(TimestampedModel):
    """When a round of an approval request started (the log's sent-for-approval and
    resubmitted events), copied by the rollup job alongside the task moves so where work
    waits reads short rows instead of scanning the log's JSON for a year of events."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField()
    request_id = models.BigIntegerField()
    round = models.IntegerField()
    at = models.FloatField()  # seconds since 1970

    class Meta:
        ordering = ["workspace", "event_id"]
        indexes = [models.Index(fields=["workspace", "at"], name="insights_round_ws_at")]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "event_id"], name="insights_round_event")
        ]

    def __str__(self) -> str:
        return f"request {self.request_id} round {self.round} (event {self.event_id})"


class CopyMark(TimestampedModel):
    """How far the rollup job has read the workspace's activity log into TaskMove and
    RoundStart: every event up to `event_id` is copied (readers take the log after it)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="insights_copy_mark_workspace")
        ]

    def __str__(self) -> str:
        return f"copied up to event {self.event_id}"


class PlanChange(TimestampedModel):
    """A change to a task's plan copied from the activity log (the task added, edited other
    than a status move, or removed; a link to it added or removed), for the crunch's share of
    plan changes in a launch's final days. Copied by the rollup job with the task moves."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField()
    task_id = models.BigIntegerField()
    at = models.FloatField()  # seconds since 1970

    class Meta:
        ordering = ["workspace", "event_id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "event_id"], name="insights_change_event")
        ]

    def __str__(self) -> str:
        return f"task {self.task_id} plan changed (event {self.event_id})"


class ColumnsCopy(TimestampedModel):
    """The flow figures' columns (headway.insights.selectors.moves: the copied moves, rounds'
    starts and plan changes up to `mark`, the tasks and links as of event `newest`) stored by
    the rollup job as one binary row (an npz file of numpy arrays, layout `version`), so a
    new process reads one row instead of rebuilding them from TaskMove, RoundStart,
    PlanChange and the tasks and links tables; it then reads only what changed since.
    `mark_row` is the CopyMark row the copies were made under (a copy made again from the
    start is another row, and this one is no longer read)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    mark_row = models.BigIntegerField()
    mark = models.BigIntegerField()
    newest = models.BigIntegerField()
    tasks = models.IntegerField()
    version = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="insights_columns_copy_workspace")
        ]

    def __str__(self) -> str:
        return f"columns up to event {self.mark} ({len(self.data) / 2**20:.1f} MiB)"
