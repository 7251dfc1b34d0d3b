"""Column mappings: how a layout Headway does not know is read, remembered per header."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel


class ColumnMapping(TimestampedModel):
    """A file layout the team mapped once: each header column to a Headway field (or ignored).

    Remembered per workspace by its header signature (the set of column names), so the next
    file with the same header is read without asking."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(max_length=60)
    signature = models.CharField(max_length=64)
    #: [[header label, target], ...] in the file's column order
    columns = models.JSONField(default=list)
    channel = models.CharField(max_length=30, default="other")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "signature"], name="results_mapping_unique_header"
            )
        ]

    def __str__(self) -> str:
        return self.name
