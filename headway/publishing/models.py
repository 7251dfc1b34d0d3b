"""The editorial pipeline (content pieces with a publish slot), each channel's cadence, and
the secret calendar feeds people subscribe to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel
from headway.core.versioning import VersionedModel


class PieceKind(models.TextChoices):
    BLOG_POST = "blog_post", "Blog post"
    EMAIL = "email", "Email"
    SOCIAL_POST = "social_post", "Social post"
    LANDING_PAGE = "landing_page", "Landing page"
    VIDEO = "video", "Video"


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    ASSIGNED = "assigned", "Assigned"
    DRAFTING = "drafting", "Drafting"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"

    @property
    def fills_the_calendar(self) -> bool:
        """Approved or in-progress work counts toward a channel's cadence; ideas do not."""
        return self != Stage.IDEA


class Period(models.TextChoices):
    WEEK = "week", "a week"
    MONTH = "month", "a month"


class ContentPiece(VersionedModel):
    """One piece of content moving from idea to published, with one owner and a slot."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="content_pieces"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PieceKind.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    channel = models.ForeignKey(
        "planning.Channel", on_delete=models.PROTECT, related_name="content_pieces"
    )
    publish_at = models.DateTimeField(null=True, blank=True)
    campaign = models.ForeignKey(
        "planning.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_pieces",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_pieces",
    )

    class Meta:
        ordering = ["publish_at", "id"]
        indexes = [models.Index(fields=["workspace", "publish_at"], name="piece_ws_slot")]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class Cadence(TimestampedModel):
    """How often a channel should publish, e.g. social three times a week."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="cadences"
    )
    channel = models.ForeignKey("planning.Channel", on_delete=models.CASCADE, related_name="+")
    per_period = models.PositiveIntegerField(default=1)
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.WEEK)

    class Meta:
        ordering = ["channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "channel"], name="cadence_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.per_period} per {self.period}"


class CalendarFeed(TimestampedModel):
    """A secret, revocable iCal address: the workspace's calendar, or one person's."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    personal = models.BooleanField(default=True)  # the person's work, or the whole workspace
    token_digest = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{'personal' if self.personal else 'workspace'} feed of {self.user}"
