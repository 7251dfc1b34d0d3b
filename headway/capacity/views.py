"""Capacity pages: the load grid, people's capacity, and the cover preview for time off."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.capacity import selectors, services
from headway.capacity.cover import cover_preview
from headway.capacity.forms import CapacityForm, LoadSettingsForm
from headway.capacity.levelled import levelled_view
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import WorkspaceRequest
from headway.engine.leveling import LevelError
from headway.engine.network import NetworkError
from headway.planning import selectors as planning_selectors
from headway.planning.forms import TimeOffForm
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@workspace_view(internal_only=True)
def load(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Hours booked against hours available, per person and week, for the next 12 weeks."""
    role = request.GET.get("role", "")
    campaign_id = _int(request.GET.get("campaign"))
    view = selectors.load_view(workspace, role=role, campaign_id=campaign_id, with_tasks=False)
    context = {
        "workspace": workspace,
        "load": view,
        "cell_url": reverse("capacity:cell", args=[workspace.slug]),
        "campaign_query": f"&campaign={campaign_id}" if campaign_id else "",
        "levelled_url": reverse("capacity:levelled", args=[workspace.slug])
        + (f"?campaign={campaign_id}" if campaign_id else ""),
    }
    return render(request, "capacity/load.html", context)


@workspace_view(internal_only=True)
def levelled(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """What would move if everyone worked within their hours (the load page loads it into
    its section; without htmx it is a page of its own)."""
    campaign_id = _int(request.GET.get("campaign"))
    error = ""
    try:
        view = levelled_view(workspace, campaign_id)
    except (NetworkError, LevelError) as exc:
        view, error = None, f"The plan cannot be levelled: {exc}. Fix the plan and look again."
    context = {"workspace": workspace, "levelled": view, "error": error}
    template = "capacity/levelled.html#section" if request.htmx else "capacity/levelled.html"
    return render(request, template, context)


@workspace_view(internal_only=True)
def cell(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The tasks that make one person's week (the grid loads them when a cell is opened)."""
    person_id = _int(request.GET.get("person"))
    try:
        week = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week = None
    found = None
    if person_id is not None and week is not None:
        found = selectors.load_cell(workspace, person_id, week, _int(request.GET.get("campaign")))
    if found is None:
        raise Http404("No such person or week.")
    person, load_cell = found
    context = {"workspace": workspace, "person": person, "cell": load_cell}
    template = "capacity/cell.html#tasks" if request.htmx else "capacity/cell.html"
    return render(request, template, context)


@workspace_view(internal_only=True)
def people(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Everyone's weekly hours, working days and kind of work; planners change them. Day rates
    are money: only planners (owners, admins, managers) see them, as with results."""
    everyone = selectors.capacity_people(workspace)
    can_plan = request.membership.role_enum.plans
    if not can_plan:
        everyone = [replace(p, day_rate=None) for p in everyone]
    posted = request.POST if request.method == "POST" and can_plan else None
    which = posted.get("form") if posted else None
    chosen = _int(request.GET.get("person"))
    person = next((p for p in everyone if p.user_id == chosen), everyone[0] if everyone else None)
    form = CapacityForm(
        posted if which == "capacity" else None,
        capacities=everyone,
        initial=CapacityForm.initial_for(person) if person else None,
        auto_id="cap_%s",
    )
    settings_form = LoadSettingsForm(
        posted if which == "settings" else None,
        initial={"hours_per_day": selectors.hours_per_day(workspace)},
        auto_id="set_%s",
    )
    bound = form if which == "capacity" else settings_form
    if posted is not None and bound.is_valid():
        d = bound.cleaned_data
        try:
            if bound is form:
                services.capacity_set(
                    actor=request.user,
                    workspace=workspace,
                    user_id=d["user"],
                    weekly_hours=d["weekly_hours"],
                    weekdays=d["weekdays"],
                    skill=d["skill"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    day_rate=d["day_rate"],
                )
                messages.success(request, "Capacity saved; the load grid uses it now.")
            else:
                services.capacity_settings_set(
                    actor=request.user, workspace=workspace, hours_per_day=d["hours_per_day"]
                )
                messages.success(request, "Default effort saved.")
        except DomainError as exc:
            add_domain_error(bound, exc)
        else:
            return redirect("capacity:people", ws=workspace.slug)
    context = {
        "workspace": workspace,
        "people": everyone,
        "form": form,
        "settings_form": settings_form,
        "can_plan": can_plan,
        "sees_money": can_plan,
    }
    failed = posted is not None and bool(bound.errors)
    return render(request, "capacity/people.html", context, status=400 if failed else 200)


def _cover_form(
    request: WorkspaceRequest, workspace: Workspace, data: QueryDict | None
) -> TimeOffForm:
    plans = request.membership.role_enum.plans
    people = planning_selectors.people(workspace) if plans else [request.user]
    return TimeOffForm(data, people=people, initial={"user": request.user.pk}, auto_id="off_%s")


@workspace_view(internal_only=True)
def cover(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Time off previewed before it is stored: what slips, which launches move, the content
    slots left uncovered, and who could take each task over."""
    data = request.POST if request.method == "POST" else request.GET
    form = _cover_form(request, workspace, data if data.get("user") else None)
    preview = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            preview = cover_preview(
                workspace=workspace,
                user_id=d["user"],
                first_day=d["first_day"],
                last_day=d["last_day"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    context = {
        "workspace": workspace,
        "form": form,
        "preview": preview,
        "note": form.cleaned_data.get("note", "") if preview else "",
        "can_plan": request.membership.role_enum.plans,
    }
    return render(request, "capacity/cover.html", context, status=400 if form.errors else 200)


@require_POST
@workspace_view(internal_only=True)
def cover_assign(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Hands one task to the proposed cover, then shows the preview again."""
    task_id, user_id = _int(request.POST.get("task")), _int(request.POST.get("cover"))
    try:
        if task_id is None or user_id is None:
            raise DomainError("Choose a task and the person to take it.", field="task")
        task = services.cover_assign(
            actor=request.user, workspace=workspace, task_id=task_id, user_id=user_id
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = task.owner.name if task.owner else "nobody"
        messages.success(request, f"{who} now owns “{task.title}”.")
    back = {k: request.POST.get(k, "") for k in ("user", "first_day", "last_day", "note")}
    return redirect(reverse("capacity:cover", args=[workspace.slug]) + "?" + urlencode(back))
