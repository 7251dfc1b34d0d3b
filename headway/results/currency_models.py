"""Currency rates the workspace enters, per month, for reports in its own currency."""

from __future__ import annotations

from django.db import models

from headway.core.models import TimestampedModel


class ReportCurrency(TimestampedModel):
    """The currency the workspace's reports are stated in."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="report_currency"
    )
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["workspace_id"]

    def __str__(self) -> str:
        return self.currency


class CurrencyRate(TimestampedModel):
    """One unit of `currency` is `rate` units of the workspace's report currency in `month`."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="currency_rates"
    )
    month = models.DateField()  # the first day of the month
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=14, decimal_places=6)

    class Meta:
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "month", "currency"], name="results_rate_unique_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%B %Y}: {self.rate}"
