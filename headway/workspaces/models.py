from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from headway.core.models import TimestampedModel


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"
    FREELANCER = "freelancer", "Freelancer"
    CLIENT = "client", "Client"

    @property
    def administers(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN)

    @property
    def is_external(self) -> bool:
        """Freelancers and clients see only the work assigned to them or waiting on them."""
        return self in (Role.FREELANCER, Role.CLIENT)

    @property
    def plans(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN, Role.MANAGER)


class WorkspaceKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    CLIENT = "client", "Agency client"


class Workspace(TimestampedModel):
    """One organisation, or one agency client: every domain row belongs to exactly one."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(
        max_length=20, choices=WorkspaceKind.choices, default=WorkspaceKind.ORGANISATION
    )
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def today(self) -> dt.date:
        """Today's date where the workspace is: plans and calendars are dated in it."""
        return timezone.localdate(timezone=self.tzinfo)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The workspace's time zone; dates shown to its people are in it."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Membership(TimestampedModel):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["workspace", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class Invitation(TimestampedModel):
    """A single-use link that adds its holder to a workspace with the role chosen for it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.workspace} as {self.role}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
