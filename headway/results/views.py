"""The import page: choose a file, see the preview, confirm, assign what matched nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest
from headway.results import selectors, services
from headway.results.forms import AssignForm, MonthForm, RuleForm, StoreForm, UploadForm
from headway.results.sources.base import MONEY_METRICS
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

METRIC_LABELS = {
    "impressions": "Impressions",
    "clicks": "Clicks",
    "spend": "Spend",
    "conversions": "Conversions",
    "conversion_value": "Conv. value",
    "leads": "Leads",
    "qualified_leads": "Qualified leads",
    "deals": "Deals",
    "revenue": "Revenue",
    "sessions": "Sessions",
    "key_events": "Key events",
    "recipients": "Recipients",
    "opens": "Opens",
    "email_clicks": "Email clicks",
    "unsubscribes": "Unsubscribes",
}
_NAMES_KEY = "results_import_names"


def _figure(metric: str, value: Decimal) -> str:
    if metric in MONEY_METRICS or value != value.to_integral_value():
        return f"{value.quantize(Decimal('0.01')):,}"
    return f"{int(value):,}"


def _preview_context(preview: services.Preview) -> dict[str, Any]:
    parsed = preview.parsed
    metrics = list(parsed.totals)

    def group(c: services.PreviewCampaign) -> dict[str, Any]:
        s = c.summary
        return {
            "name": s.campaign,
            "channel": s.channel.replace("_", " "),
            "rows": s.rows,
            "first_line": s.first_line,
            "figures": [_figure(m, s.totals.get(m, Decimal(0))) for m in metrics],
            "match": c.match,
        }

    return {
        "preview": preview,
        "columns": [METRIC_LABELS.get(m, m) for m in metrics],
        "totals": [(METRIC_LABELS.get(m, m), _figure(m, v)) for m, v in parsed.totals.items()],
        "totals_rows": [
            (
                t.line,
                t.label,
                ", ".join(f"{METRIC_LABELS.get(k, k)} {_figure(k, v)}" for k, v in t.metrics),
            )
            for t in parsed.totals_rows
        ],
        "matched": [group(c) for c in preview.matched],
        "unmatched": [group(c) for c in preview.unmatched],
        "unattributed": sum(c.summary.rows for c in preview.unattributed),
    }


def _page_url(workspace: Workspace, file_hash: str = "") -> str:
    url = reverse("results:import", kwargs={"ws": workspace.slug})
    return f"{url}?preview={file_hash}" if file_hash else url


@workspace_view(internal_only=True)
def import_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers import results.")
    campaigns = [(c.pk, c.name) for c in selectors.workspace_campaigns(workspace)]
    upload = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "preview":
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                done = _stage(request, workspace, upload)
                if done:
                    return redirect(_page_url(workspace, done))
        elif action == "store":
            return _store(request, workspace)
        elif action == "assign":
            return _assign(request, workspace, campaigns)
        elif action == "rule":
            return _rule(request, workspace, campaigns)
    context: dict[str, Any] = {
        "workspace": workspace,
        "upload": upload,
        "imports": selectors.recent_imports(workspace),
        "stored_unmatched": selectors.unmatched_names(workspace),
        "rule_form": RuleForm(campaigns=campaigns),
        "assign_form": AssignForm(campaigns=campaigns),
        "campaigns": campaigns,
        "rules": selectors.match_rules(workspace),
    }
    file_hash = request.GET.get("preview", "")
    if file_hash and request.method == "GET":
        try:
            data = services.staged_file(workspace, file_hash)
            name = request.session.get(_NAMES_KEY, {}).get(file_hash, "")
            preview = services.import_preview(workspace=workspace, data=data, file_name=name)
            context.update(_preview_context(preview))
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "results/import.html", context)


def _stage(request: WorkspaceRequest, workspace: Workspace, upload: UploadForm) -> str:
    uploaded = upload.cleaned_data["file"]
    data = uploaded.read()
    try:
        services.import_preview(workspace=workspace, data=data, file_name=uploaded.name)
    except DomainError as exc:
        add_domain_error(upload, exc)
        return ""
    file_hash = services.import_stage(workspace=workspace, data=data)
    names = dict(request.session.get(_NAMES_KEY, {}))
    names[file_hash] = str(uploaded.name)[:255]
    request.session[_NAMES_KEY] = dict(list(names.items())[-20:])
    return file_hash


def _store(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = StoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the file again: the preview was not found.")
        return redirect(_page_url(workspace))
    file_hash = form.cleaned_data["file_hash"]
    name = request.session.get(_NAMES_KEY, {}).get(file_hash, "")
    try:
        data = services.staged_file(workspace, file_hash)
        stored = services.import_store(
            actor=request.user, workspace=workspace, data=data, file_name=name
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_page_url(workspace))
    services.staged_discard(workspace, file_hash)
    imp = stored.import_
    if stored.created:
        replaced = (
            f"; {imp.replaced_rows:,} earlier rows of that period replaced"
            if imp.replaced_rows
            else ""
        )
        messages.success(
            request, f"Stored {imp.rows_count:,} rows from {imp.get_source_display()}{replaced}."
        )
    else:
        messages.success(request, "This file was imported before; nothing changed.")
    return redirect(_page_url(workspace))


def _assign(
    request: WorkspaceRequest, workspace: Workspace, campaigns: list[tuple[int, str]]
) -> HttpResponse:
    form = AssignForm(request.POST, campaigns=campaigns)
    file_hash = request.POST.get("file_hash", "")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.unmatched_assign(
                actor=request.user, workspace=workspace, name=d["name"], campaign_id=d["campaign"]
            )
            messages.success(
                request, f"“{d['name']}” now belongs to its campaign, in this and later imports."
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        file_hash = d.get("file_hash") or ""
    else:
        messages.error(request, "Choose the campaign these rows belong to.")
    return redirect(_page_url(workspace, file_hash if len(file_hash) == 64 else ""))


def _rule(
    request: WorkspaceRequest, workspace: Workspace, campaigns: list[tuple[int, str]]
) -> HttpResponse:
    form = RuleForm(request.POST, campaigns=campaigns)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.match_rule_create(
                actor=request.user,
                workspace=workspace,
                campaign_id=d["campaign"],
                kind=d["kind"],
                pattern=d["pattern"],
            )
            messages.success(
                request, "Rule added; stored rows it matches now belong to the campaign."
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "A rule needs the text to match and a campaign.")
    return redirect(_page_url(workspace))


@workspace_view(internal_only=True)
def results_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """A month's results by campaign and by channel, with the briefs' targets against actuals."""
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers see results.")
    form = MonthForm(request.GET or None)
    start = selectors.month_with_rows(workspace) or workspace.today().replace(day=1)
    if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(p) for p in form.cleaned_data["month"].split("-"))
        start = dt.date(year, month, 1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if not form.is_bound:
        form = MonthForm(initial={"month": start.strftime("%Y-%m")})
    by_campaign, by_channel, leads_from_crm = selectors.results_for_period(workspace, start, end)
    return render(
        request,
        "results/results.html",
        {
            "workspace": workspace,
            "form": form,
            "start": start,
            "end": end,
            "by_campaign": by_campaign,
            "by_channel": by_channel,
            "leads_from_crm": leads_from_crm,
        },
    )
