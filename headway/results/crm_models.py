"""What the CRM exports say about each contact's path: contacts with their sources and stage
dates, deals with their contact, and the touches attribution shares credit among."""

from __future__ import annotations

from django.db import models

from headway.core.models import TimestampedModel


class CrmContact(TimestampedModel):
    """A HubSpot contact as last imported (one per workspace and record id)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="crm_contacts"
    )
    source_import = models.ForeignKey(
        "results.Import", on_delete=models.CASCADE, related_name="crm_contacts"
    )
    record_id = models.CharField(max_length=64)
    email = models.CharField(max_length=254, blank=True)
    created = models.DateTimeField()
    lifecycle_stage = models.CharField(max_length=100, blank=True)
    original_source = models.CharField(max_length=100, blank=True)
    original_drill_down_1 = models.CharField(max_length=255, blank=True)
    original_drill_down_2 = models.CharField(max_length=255, blank=True)
    latest_source = models.CharField(max_length=100, blank=True)
    latest_drill_down_1 = models.CharField(max_length=255, blank=True)
    latest_drill_down_2 = models.CharField(max_length=255, blank=True)
    first_converting_campaign = models.CharField(max_length=255, blank=True)
    last_converting_campaign = models.CharField(max_length=255, blank=True)
    #: Lifecycle stage -> ISO date-time the contact entered it (only stages reached).
    stage_dates = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created", "record_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "record_id"], name="results_crmcontact_unique_record"
            )
        ]
        indexes = [models.Index(fields=["workspace", "email"], name="results_crmcontact_email")]

    def __str__(self) -> str:
        return self.email or self.record_id


class CrmDeal(TimestampedModel):
    """A HubSpot deal as last imported, tied to its contact by e-mail address."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="crm_deals"
    )
    source_import = models.ForeignKey(
        "results.Import", on_delete=models.CASCADE, related_name="crm_deals"
    )
    record_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    won = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    close_date = models.DateTimeField(null=True, blank=True)
    contact_email = models.CharField(max_length=254, blank=True)
    #: The deal's own copy of its contact's original source, used when the contact is unknown.
    original_source = models.CharField(max_length=100, blank=True)
    original_drill_down_2 = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["close_date", "record_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "record_id"], name="results_crmdeal_unique_record"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.record_id


class TouchKind(models.TextChoices):
    ORIGINAL = "original", "Original source (first touch)"
    LATEST = "latest", "Latest source (most recent touch)"


class Touch(TimestampedModel):
    """A contact met a campaign or channel: its original source when it was created, its
    latest source later. `campaign_name` is the UTM campaign (drill-down 2) or, failing it,
    the converting campaign; it is matched to Headway's campaigns when read."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="crm_touches"
    )
    contact = models.ForeignKey(CrmContact, on_delete=models.CASCADE, related_name="touches")
    kind = models.CharField(max_length=10, choices=TouchKind.choices)
    at = models.DateTimeField()
    source = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=30, blank=True)
    campaign_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "kind"]
        indexes = [models.Index(fields=["workspace", "at"], name="results_touch_ws_at")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.kind} {self.campaign_name or self.channel}"
