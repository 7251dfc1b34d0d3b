"""Time off and holidays: the calendar every plan is dated on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.planning import selectors
from headway.planning.forms import (
    HolidayForm,
    TimeOffForm,
)
from headway.planning.services import calendar as calendar_services
from headway.planning.views.common import attempt
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@workspace_view()
def time_off(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Holidays and people's time off: the calendar every plan is dated on."""
    visibility.require_task_work(request.membership)
    plans = request.membership.role_enum.plans
    people = selectors.people(workspace) if plans else [request.user]
    off_form = TimeOffForm(
        request.POST if request.POST.get("form") == "off" else None,
        people=people,
        initial={"user": request.user.pk},
        auto_id="off_%s",
    )
    holiday_form = HolidayForm(
        request.POST if request.POST.get("form") == "holiday" else None, auto_id="hol_%s"
    )
    form = off_form if request.POST.get("form") == "off" else holiday_form
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if form is off_form:
                calendar_services.timeoff_add(
                    actor=request.user,
                    workspace=workspace,
                    user_id=d["user"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    note=d["note"],
                )
                messages.success(request, "Time off saved; plans with their tasks were redated.")
            else:
                calendar_services.holiday_add(
                    actor=request.user, workspace=workspace, date=d["date"], name=d["name"]
                )
                messages.success(request, "Holiday saved; open plans were redated.")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("planning:time-off", ws=workspace.slug)
    today = workspace.today()
    context = {
        "workspace": workspace,
        "holidays": selectors.workspace_holidays(workspace, since=today),
        "absences": selectors.time_off_ahead(request.membership, today),
        "off_form": off_form,
        "holiday_form": holiday_form,
        "can_plan": plans,
    }
    return render(request, "planning/time_off.html", context, status=400 if form.errors else 200)


@require_POST
@workspace_view()
def timeoff_remove(
    request: WorkspaceRequest, workspace: Workspace, timeoff_id: int
) -> HttpResponse:
    off = found_or_404(selectors.timeoff_get, workspace, timeoff_id)
    attempt(
        request,
        lambda: calendar_services.timeoff_remove(actor=request.user, timeoff=off),
        "Time off removed; plans were redated.",
    )
    return redirect("planning:time-off", ws=workspace.slug)


@require_POST
@workspace_view(internal_only=True)
def holiday_remove(
    request: WorkspaceRequest, workspace: Workspace, holiday_id: int
) -> HttpResponse:
    holiday = found_or_404(selectors.holiday_get, workspace, holiday_id)
    attempt(
        request,
        lambda: calendar_services.holiday_remove(actor=request.user, holiday=holiday),
        "Holiday removed; open plans were redated.",
    )
    return redirect("planning:time-off", ws=workspace.slug)
