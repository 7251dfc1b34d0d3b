"""Approval chains with a clock: ordered steps with named approvers, a backup and a time
limit; requests that move a task through its chain; recorded decisions; signed links."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel
from headway.workspaces.models import Role


class WorkKind(models.TextChoices):
    CONTENT_DRAFT = "content_draft", "Content draft"
    DESIGN_ASSET = "design_asset", "Design asset"
    BUDGET_CHANGE = "budget_change", "Budget change"
    MESSAGING = "messaging", "Messaging"
    LEGAL = "legal", "Legal"


class LimitUnit(models.TextChoices):
    HOURS = "hours", "working hours"
    DAYS = "days", "working days"


class StepMode(models.TextChoices):
    ANY = "any", "one decision is enough"
    ALL = "all", "every named approver decides"


class Verdict(models.TextChoices):
    APPROVE = "approve", "approved"
    CHANGES = "changes", "requested changes"
    REJECT = "reject", "rejected"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ApprovalChain(TimestampedModel):
    """How one kind of work gets approved in a workspace: its steps in order."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="approval_chains"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=WorkKind.choices)
    round_cap = models.PositiveIntegerField(
        default=3, help_text="Flag work that goes round more often than this."
    )
    remind_before_hours = models.PositiveIntegerField(
        default=4, help_text="Remind the approvers this many hours before a step's limit."
    )
    escalate = models.BooleanField(
        default=True, help_text="At the limit, notify the backup and the campaign owner."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(TimestampedModel):
    """One step: named approvers (people, or everyone holding a role), a backup, a time
    limit, and whether one decision or every named approver's is needed."""

    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=80)
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="approval_steps"
    )
    approver_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backup_steps",
    )
    limit = models.PositiveIntegerField(default=2)
    limit_unit = models.CharField(max_length=5, choices=LimitUnit.choices, default=LimitUnit.DAYS)
    mode = models.CharField(max_length=3, choices=StepMode.choices, default=StepMode.ANY)

    class Meta:
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="step_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.chain}: {self.position + 1}. {self.name}"


class ApprovalRequest(TimestampedModel):
    """A task or a content piece going through a chain: which step waits, since when, and
    which round."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="approval_requests"
    )
    task = models.ForeignKey(
        "planning.Task",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_requests",
    )
    piece = models.ForeignKey(
        "publishing.ContentPiece",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_requests",
    )
    chain = models.ForeignKey(ApprovalChain, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.PositiveIntegerField(default=0)  # position of the waiting step
    round = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    waiting_since = models.DateTimeField()
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set when the waiting step's reminder and escalation went out; cleared when it moves.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["waiting_since", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="approval_ws_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, piece__isnull=True)
                | models.Q(task__isnull=True, piece__isnull=False),
                name="approval_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_title} ({self.chain}, round {self.round})"

    @property
    def subject_title(self) -> str:
        """The title of what is being approved: the task's or the piece's."""
        subject = self.task or self.piece
        return subject.title if subject is not None else ""

    @property
    def subject_context(self) -> str:
        """Where it belongs: the task's campaign, or the piece's channel."""
        if self.task is not None:
            return self.task.campaign.name
        return self.piece.channel.name if self.piece is not None else ""


class Decision(TimestampedModel):
    """One approver's decision on one step of one round; the same person cannot decide the
    same step of the same round twice."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveIntegerField()
    round = models.PositiveIntegerField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    attachment = models.ForeignKey(
        "planning.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    via_link = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "step", "round", "approver"], name="decision_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.approver} {self.get_verdict_display()} {self.request}"


class DecisionLink(TimestampedModel):
    """A signed, single-use link that lets one approver decide one step of one round."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decision_links"
    )
    step = models.PositiveIntegerField()
    round = models.PositiveIntegerField()
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link for {self.user} on {self.request}"
