"""The results app's models: imported files, the rows they brought, and matching rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimestampedModel


class Source(models.TextChoices):
    GOOGLE_ADS = "google_ads", "Google Ads"
    META_ADS = "meta_ads", "Meta Ads"
    LINKEDIN = "linkedin", "LinkedIn Campaign Manager"
    MAILCHIMP = "mailchimp", "Mailchimp"
    GA4 = "ga4", "Google Analytics 4"
    HUBSPOT_CONTACTS = "hubspot_contacts", "HubSpot contacts"
    HUBSPOT_DEALS = "hubspot_deals", "HubSpot deals"


class Import(TimestampedModel):
    """One file stored: its source, period and totals. The same file (by hash) is stored once."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="imports"
    )
    source = models.CharField(max_length=30, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    rows_count = models.PositiveIntegerField(default=0)
    replaced_rows = models.PositiveIntegerField(default=0)
    totals = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "file_hash"], name="results_import_unique_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.period_start}..{self.period_end}"

    def get_source_display(self) -> str:  # type: ignore[no-redef]
        """The reader's label; a mapped source's (`x:tiktok-ads`) from its key."""
        label = dict(Source.choices).get(self.source)
        return label or self.source.removeprefix("x:").replace("-", " ").title()


class ResultRow(TimestampedModel):
    """A campaign's figures from one source for a day (or for the import's whole period)."""

    #: no index of its own: both indexes below start with the workspace (a million-row import
    #: spent ~1 s of SQLite's ~12 s keeping a third one up to date)
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        related_name="result_rows",
        db_index=False,
    )
    source_import = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    source = models.CharField(max_length=30, choices=Source.choices)
    line = models.PositiveIntegerField()
    day = models.DateField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    campaign_name = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    campaign = models.ForeignKey(
        "planning.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_rows",
    )
    channel = models.CharField(max_length=30, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    spend = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    conversions = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    conversion_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    leads = models.BigIntegerField(default=0)
    qualified_leads = models.BigIntegerField(default=0)
    deals = models.BigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    sessions = models.BigIntegerField(default=0)
    key_events = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    recipients = models.BigIntegerField(default=0)
    opens = models.BigIntegerField(default=0)
    email_clicks = models.BigIntegerField(default=0)
    unsubscribes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["day", "line"]
        indexes = [
            models.Index(fields=["workspace", "source", "day"], name="results_row_ws_source_day"),
            models.Index(fields=["workspace", "campaign", "day"], name="results_row_ws_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_name} {self.day or ''}"


class MatchKind(models.TextChoices):
    EXACT = "exact", "is"
    STARTS_WITH = "starts_with", "starts with"
    CONTAINS = "contains", "contains"


class MatchRule(TimestampedModel):
    """A rule the team adds: rows whose campaign name matches belong to this campaign."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="match_rules"
    )
    campaign = models.ForeignKey(
        "planning.Campaign", on_delete=models.CASCADE, related_name="match_rules"
    )
    kind = models.CharField(max_length=20, choices=MatchKind.choices, default=MatchKind.EXACT)
    pattern = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "pattern"], name="results_rule_unique_pattern"
            )
        ]

    def __str__(self) -> str:
        verb = {"exact": "are", "starts_with": "start with", "contains": "contain"}[self.kind]
        return f"names that {verb} “{self.pattern}”"


# CRM touch data, reviews and learnings live in their own modules; imported so Django finds them.
from headway.results.crm_models import CrmContact, CrmDeal, Touch  # noqa: E402, F401
from headway.results.currency_models import CurrencyRate, ReportCurrency  # noqa: E402, F401
from headway.results.mapping_models import ColumnMapping  # noqa: E402, F401
from headway.results.reviews.models import Learning, Review, ReviewSettings  # noqa: E402, F401
from headway.results.rollup_models import MonthRollup, RollupState  # noqa: E402, F401
