"""The weekly check-in pages: this week's agenda, marking items discussed (htmx), recording
decisions, closing; the history of past check-ins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest, found_or_404
from headway.insights.forms import CheckInScheduleForm, DecisionForm
from headway.insights.models import CheckIn
from headway.insights.models.checkins import Weekday
from headway.insights.selectors import checkins as selectors
from headway.insights.selectors import findings
from headway.insights.services import checkins as services
from headway.planning import selectors as planning_selectors
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _form(workspace: Workspace, data: object = None) -> DecisionForm:
    return DecisionForm(
        data,
        people=planning_selectors.people(workspace),
        campaigns=list(findings.open_campaigns(workspace).order_by("name")),
    )


def _schedule_form(
    workspace: Workspace, data: Mapping[str, Any] | None = None
) -> CheckInScheduleForm:
    weekday, time = selectors.schedule_of(workspace)
    return CheckInScheduleForm(data, initial={"weekday": weekday, "time": time})


def _page(
    request: WorkspaceRequest,
    workspace: Workspace,
    checkin: CheckIn,
    form: DecisionForm | None,
    schedule_form: CheckInScheduleForm | None = None,
) -> HttpResponse:
    agenda = selectors.checkin_agenda(workspace, checkin, timezone.now())
    weekday, time = selectors.schedule_of(workspace)
    context = {
        "workspace": workspace,
        "agenda": agenda,
        "checkin": checkin,
        "discuss_url": _action_url("checkin-discuss", workspace, checkin),
        "decision_url": _action_url("decision-add", workspace, checkin),
        "close_url": _action_url("checkin-close", workspace, checkin),
        "decisions": list(selectors.decisions_of(checkin)),
        "form": form or _form(workspace),
        "can_close": request.membership.role_enum.plans,
        "past": selectors.checkins_past(workspace, limit=6),
        "schedule": {"weekday": Weekday(weekday).label, "time": time},
        "schedule_form": schedule_form or _schedule_form(workspace),
    }
    bad = [f for f in (form, schedule_form) if f is not None and f.errors]
    status = 400 if bad else 200
    return render(request, "insights/checkin.html", context, status=status)


@workspace_view(internal_only=True)
def checkin_current(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """This week's agenda; reading it stores nothing (the first write does)."""
    checkin = selectors.checkin_current(workspace, timezone.now())
    return _page(request, workspace, checkin, None)


@workspace_view(internal_only=True)
def checkin_detail(
    request: WorkspaceRequest, workspace: Workspace, checkin_id: int
) -> HttpResponse:
    checkin = found_or_404(selectors.checkin_get, workspace, checkin_id)
    return _page(request, workspace, checkin, None)


@workspace_view(internal_only=True)
def checkin_history(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return render(
        request,
        "insights/checkin_history.html",
        {"workspace": workspace, "past": selectors.checkins_past(workspace)},
    )


def _action_url(name: str, workspace: Workspace, checkin: CheckIn) -> str:
    """Where a write on `checkin` posts (reversed once per page: every agenda item's toggle
    posts to the same one). This week's check-in not stored yet posts to the current-week
    address, which stores it with the write."""
    if checkin.pk is None:
        return reverse(f"insights:current-{name}", kwargs={"ws": workspace.slug})
    return reverse(f"insights:{name}", kwargs={"ws": workspace.slug, "checkin_id": checkin.pk})


def _checkin_for_write(workspace: Workspace, checkin_id: int | None) -> CheckIn:
    if checkin_id is None:
        return selectors.checkin_current(workspace, timezone.now())
    return found_or_404(selectors.checkin_get, workspace, checkin_id)


def _back(workspace: Workspace, checkin: CheckIn, anchor: str = "") -> HttpResponse:
    if checkin.pk is None:
        url = reverse("insights:checkin-current", kwargs={"ws": workspace.slug})
    else:
        url = reverse("insights:checkin", kwargs={"ws": workspace.slug, "checkin_id": checkin.pk})
    return redirect(url + anchor)


@require_POST
@workspace_view(internal_only=True)
def checkin_discuss(
    request: WorkspaceRequest, workspace: Workspace, checkin_id: int | None = None
) -> HttpResponse:
    """Marks one item discussed; htmx gets the item's toggle back."""
    checkin = _checkin_for_write(workspace, checkin_id)
    key = request.POST.get("key", "")
    discussed = request.POST.get("discussed", "1") == "1"
    error = ""
    try:
        discussed = services.checkin_item_discuss(
            actor=request.user, checkin=checkin, key=key, discussed=discussed
        )
    except DomainError as exc:
        error = exc.message
        discussed = not discussed
    if request.htmx:
        return render(
            request,
            "insights/items.html#discuss",
            {"workspace": workspace, "checkin": checkin, "key": key, "discussed": discussed,
             "error": error, "discuss_url": _action_url("checkin-discuss", workspace, checkin)},
            status=400 if error else 200,
        )  # fmt: skip
    if error:
        messages.error(request, error)
    return _back(workspace, checkin)


@require_POST
@workspace_view(internal_only=True)
def decision_add(
    request: WorkspaceRequest, workspace: Workspace, checkin_id: int | None = None
) -> HttpResponse:
    checkin = _checkin_for_write(workspace, checkin_id)
    form = _form(workspace, request.POST)
    if form.is_valid():
        campaign_id = form.cleaned_data["campaign"]
        try:
            services.checkin_decision_add(
                actor=request.user,
                checkin=checkin,
                text=form.cleaned_data["text"],
                owner_id=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                campaign=found_or_404(planning_selectors.campaign_get, workspace, campaign_id)
                if campaign_id
                else None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Decision recorded.")
            return _back(workspace, checkin, "#decisions")
    return _page(request, workspace, checkin, form)


@require_POST
@workspace_view(internal_only=True)
def checkin_close(
    request: WorkspaceRequest, workspace: Workspace, checkin_id: int | None = None
) -> HttpResponse:
    checkin = _checkin_for_write(workspace, checkin_id)
    try:
        services.checkin_close(actor=request.user, checkin=checkin, now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Check-in closed. The summary is on its way to the team.")
    return _back(workspace, checkin)


@require_POST
@workspace_view(internal_only=True)
def checkin_schedule(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Moves the weekly check-in to another weekday or time (owners, admins, managers)."""
    form = _schedule_form(workspace, request.POST)
    if form.is_valid():
        try:
            services.checkin_schedule_set(
                actor=request.user,
                workspace=workspace,
                weekday=form.cleaned_data["weekday"],
                time=form.cleaned_data["time"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The check-in's day and time are saved.")
            return redirect(reverse("insights:checkin-current", kwargs={"ws": workspace.slug}))
    checkin = selectors.checkin_current(workspace, timezone.now())
    return _page(request, workspace, checkin, None, form)
