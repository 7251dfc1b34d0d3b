"""The attribution page: each model's credit for a period's leads, deals and revenue, by
campaign and by channel side by side, with the rule of every model and the totals that agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from headway.core.forms import BoundedForm, IsoDateInput
from headway.core.http import WorkspaceRequest
from headway.engine.attribution import DEFAULT_HALF_LIFE_DAYS, LABELS
from headway.results import selectors
from headway.results.attribution import (
    MAX_HALF_LIFE,
    MIN_HALF_LIFE,
    attribution_report,
    latest_crm_day,
    model_infos,
)
from headway.results.currency import report_currency
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


class AttributionForm(BoundedForm):
    start = forms.DateField(label="From", required=False, widget=IsoDateInput())
    end = forms.DateField(label="To", required=False, widget=IsoDateInput())
    half_life = forms.FloatField(
        label="Time-decay half-life (days)",
        required=False,
        min_value=MIN_HALF_LIFE,
        max_value=MAX_HALF_LIFE,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end comes before the start; choose a later date.")
        elif start and end and (end - start).days > 3660:
            self.add_error("end", "Choose a period of at most ten years.")
        return data


def default_period(workspace: Workspace) -> tuple[dt.date, dt.date]:
    """The latest month with CRM conversions, else the latest month holding imported rows
    (this month when nothing was imported)."""
    latest = latest_crm_day(workspace)
    return selectors.month_bounds(
        latest or selectors.month_with_rows(workspace) or workspace.today()
    )


def period_of(
    start: dt.date | None, end: dt.date | None, workspace: Workspace
) -> tuple[dt.date, dt.date]:
    """The period asked for: one end alone means its month; neither, the default month (the
    only case that reads the imports for it)."""
    if start and end:
        return start, end
    if start:
        return start, selectors.month_bounds(start)[1]
    if end:
        return end.replace(day=1), end
    return default_period(workspace)


def _latest_month(workspace: Workspace) -> tuple[dt.date, dt.date] | None:
    latest = latest_crm_day(workspace)
    return selectors.month_bounds(latest) if latest is not None else None


@workspace_view(internal_only=True)
def attribution_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers see results.")
    half_life = DEFAULT_HALF_LIFE_DAYS
    form = AttributionForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = period_of(form.cleaned_data["start"], form.cleaned_data["end"], workspace)
        half_life = form.cleaned_data["half_life"] or half_life
    else:  # nothing asked, or the form's errors shown over the default month
        start, end = default_period(workspace)
    if not form.is_bound or form.is_valid():
        shown = int(half_life) if float(half_life).is_integer() else half_life
        form = AttributionForm(initial={"start": start, "end": end, "half_life": shown})
    report = attribution_report(workspace, start, end, half_life_days=half_life)
    return render(
        request,
        "results/attribution.html",
        {
            "workspace": workspace,
            "form": form,
            "report": report,
            # revenue's currency: the won deals'; without any, the report currency
            "currency": report.currency or report_currency(workspace),
            "models": model_infos(report.models),
            "tables": list(report.tables.values()),
            "latest_month": None if report.has_data else _latest_month(workspace),
            "revenue_totals": [
                (LABELS[m].lower(), total)
                for m, total in zip(report.models, report.tables["revenue"].totals, strict=True)
            ],
        },
    )
