"""Post-campaign reviews and the learnings they leave, tagged so they find the next campaign."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel
from headway.planning.models import RoleNeeded

REVIEW_AFTER_DAYS_DEFAULT = 14
REVIEW_AFTER_DAYS_MAX = 365


class ReviewSettings(TimestampedModel):
    """How long after a launch its review falls due, per workspace (14 days unless set)."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="review_settings"
    )
    review_after_days = models.PositiveSmallIntegerField(default=REVIEW_AFTER_DAYS_DEFAULT)

    class Meta:
        ordering = ["workspace"]
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return f"Reviews {self.review_after_days} days after launch"


class ReviewStatus(models.TextChoices):
    DUE = "due", "Due"
    COMPLETED = "completed", "Completed"


class Verdict(models.TextChoices):
    """Did the campaign deliver what was expected commercially?"""

    YES = "yes", "Yes, it delivered"
    PARTLY = "partly", "Partly"
    NO = "no", "No, it fell short"


class Review(TimestampedModel):
    """A campaign's look back: due a set number of days after it launched, answering three
    questions (did it deliver commercially, what was learned, what to do differently)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="reviews"
    )
    campaign = models.OneToOneField(
        "planning.Campaign", on_delete=models.CASCADE, related_name="review"
    )
    launched_on = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default="due")
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    delivered = models.TextField(blank=True)
    learned = models.TextField(blank=True)
    differently = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="completed_reviews",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # Who last changed the answers after the review was completed, and when (None: never).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["workspace", "status", "due_date"], name="review_ws_due")]

    def __str__(self) -> str:
        return f"Review of {self.campaign}"

    @property
    def is_completed(self) -> bool:
        return self.status == ReviewStatus.COMPLETED


class Learning(TimestampedModel):
    """One thing the team learned, tagged by channel, audience, template and kind of work,
    so that it is shown where the next campaign of that kind is planned."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="learnings"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="learnings"
    )
    text = models.TextField()
    channel = models.ForeignKey(
        "planning.Channel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
    )
    audience = models.CharField(max_length=80, blank=True)
    template = models.ForeignKey(
        "planning.CampaignTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
    )
    work_kind = models.CharField(max_length=20, choices=RoleNeeded.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the learning changed in its template, once applied (e.g. "Ad creative variants:
    # 4 -> 6 days").
    applied_change = models.CharField(max_length=240, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "template"], name="learning_ws_template"),
            models.Index(fields=["workspace", "channel"], name="learning_ws_channel"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
