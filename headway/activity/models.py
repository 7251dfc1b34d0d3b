from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    DELETED = "deleted", "deleted"
    INVITED = "invited", "invited"
    INVITATION_REVOKED = "invitation_revoked", "revoked an invitation"
    JOINED = "joined", "joined"
    ROLE_CHANGED = "role_changed", "changed the role of"
    REMOVED = "removed", "removed"
    TOKEN_CREATED = "token_created", "created an API token"
    TOKEN_REVOKED = "token_revoked", "revoked an API token"
    TASK_FAILED = "task_failed", "background task failed"
    # One event per approval move, on the work itself, carrying its status change.
    SENT_FOR_APPROVAL = "sent_for_approval", "sent for approval"
    APPROVED = "approved", "approved"
    CHANGES_REQUESTED = "changes_requested", "requested changes on"
    REJECTED = "rejected", "rejected"
    RESUBMITTED = "resubmitted", "resubmitted"


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Activity events are append-only and cannot be updated.")


class Event(models.Model):
    """One change made through a service: who did what to which object, and what changed.

    Events are append-only; the audit trail and the flow metrics are computed from them.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "object_type", "object_id"], name="event_ws_object"),
            models.Index(fields=["workspace", "created_at"], name="event_ws_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Activity events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Activity events are append-only and cannot be deleted.")

    @property
    def object_label(self) -> str:
        """What the event is about, in words ("content piece"), for activity lines."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type.rsplit(".", 1)[-1]
