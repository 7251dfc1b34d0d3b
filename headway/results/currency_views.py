"""The currency rates page: the report currency and a rate per month for each other one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.results import currency
from headway.results.currency_models import CurrencyRate
from headway.results.mapping_views import posted_id
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@workspace_view(internal_only=True)
def rates_page(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers enter currency rates.")
    error, field, values = "", "", {"month": "", "currency": "", "rate": ""}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "currency":
                code = currency.report_currency_set(
                    actor=request.user,
                    workspace=workspace,
                    currency=request.POST.get("report_currency", ""),
                )
                messages.success(request, f"Reports are stated in {code}.")
            elif action == "delete":
                rate = CurrencyRate.objects.filter(
                    workspace=workspace, pk=posted_id(request.POST.get("rate_id", ""))
                ).first()
                if rate is not None:
                    currency.rate_delete(actor=request.user, rate=rate)
                    messages.success(request, f"Rate {rate} removed.")
            else:
                values = {k: request.POST.get(k, "")[:40] for k in values}
                saved = currency.rate_set(actor=request.user, workspace=workspace, **values)
                messages.success(request, f"Rate saved: {saved}.")
            return redirect("results:rates", ws=workspace.slug)
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
    context = {
        "workspace": workspace,
        "report_currency": currency.report_currency(workspace),
        "rates": CurrencyRate.objects.filter(workspace=workspace),
        "error": error,
        "error_field": field,
        "values": values,
    }
    return render(request, "results/rates.html", context, status=400 if error else 200)
