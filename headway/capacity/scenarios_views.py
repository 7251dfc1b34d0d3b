"""What-if pages: saved scenarios and a new one, a scenario's answer (worked out in the
background, its progress polled), two scenarios compared, and making one a campaign or
deleting it, each after a confirmation. Owners, admins and managers only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.capacity import scenarios as services
from headway.capacity.models import Scenario
from headway.capacity.scenarios_forms import ScenarioForm, form_field
from headway.capacity.scenarios_selectors import (
    scenario_answer,
    scenario_get,
    scenario_outdated,
    scenario_sources,
    scenarios_list,
)
from headway.capacity.selectors import capacity_people
from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

POLL_SECONDS = 1


def _planners_only(request: WorkspaceRequest) -> None:
    if not request.membership.role_enum.plans:
        raise PermissionDenied("Only owners, admins and managers try scenarios.")


def _form(workspace: Workspace, data: Any = None) -> ScenarioForm:
    templates, drafts = scenario_sources(workspace)
    return ScenarioForm(
        data,
        templates=templates,
        drafts=drafts,
        people=capacity_people(workspace),
        auto_id="sc_%s",
    )


@workspace_view(internal_only=True)
def scenarios(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Saved scenarios, and the form that asks about a new one."""
    _planners_only(request)
    form = _form(workspace, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            scenario = services.scenario_create(
                actor=request.user, workspace=workspace, **form.service_kwargs()
            )
        except DomainError as exc:
            form.add_error(form_field(exc.field), exc.message)
        else:
            return redirect("capacity:scenario", ws=workspace.slug, scenario_id=scenario.pk)
    context = {"workspace": workspace, "form": form, "scenarios": scenarios_list(workspace)}
    return render(request, "capacity/scenarios.html", context, status=400 if form.errors else 200)


def _context(workspace: Workspace, scenario: Scenario) -> dict[str, Any]:
    others = [s for s in scenarios_list(workspace) if s.pk != scenario.pk and s.result]
    return {
        "workspace": workspace,
        "scenario": scenario,
        "answer": scenario_answer(scenario),
        "outdated": scenario.status == "done" and scenario_outdated(scenario),
        "others": others,
        "poll_seconds": POLL_SECONDS,
    }


@workspace_view(internal_only=True)
def scenario(request: WorkspaceRequest, workspace: Workspace, scenario_id: int) -> HttpResponse:
    """The answer: load before and after, the new campaign's dates and chance, and what the
    running campaigns' chances become."""
    _planners_only(request)
    found = scenario_get(workspace, scenario_id)
    return render(request, "capacity/scenario.html", _context(workspace, found))


@workspace_view(internal_only=True)
def scenario_progress(
    request: WorkspaceRequest, workspace: Workspace, scenario_id: int
) -> HttpResponse:
    """The progress bar htmx polls; once the answer is in, the page reloads to show it."""
    _planners_only(request)
    found = scenario_get(workspace, scenario_id)
    # the partial shows the scenario's status only: not the answer, list or staleness
    context = {"workspace": workspace, "scenario": found, "poll_seconds": POLL_SECONDS}
    response = render(request, "capacity/scenario.html#progress", context)
    if not found.is_pending and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@workspace_view(internal_only=True)
def scenario_recompute(
    request: WorkspaceRequest, workspace: Workspace, scenario_id: int
) -> HttpResponse:
    _planners_only(request)
    found = scenario_get(workspace, scenario_id)
    try:
        services.scenario_recompute(actor=request.user, scenario=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("capacity:scenario", ws=workspace.slug, scenario_id=found.pk)


@workspace_view(internal_only=True)
def scenario_apply(
    request: WorkspaceRequest, workspace: Workspace, scenario_id: int
) -> HttpResponse:
    """Asks, then makes the scenario's campaign real."""
    _planners_only(request)
    found = scenario_get(workspace, scenario_id)
    error = ""
    if request.method == "POST":
        try:
            campaign = services.scenario_apply(
                actor=request.user, scenario=found, name=request.POST.get("name", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request, f"“{campaign.name}” is a campaign now, planned back from its launch."
            )
            return redirect("planning:campaign", ws=workspace.slug, campaign_id=campaign.pk)
    context = {**_context(workspace, found), "error": error}
    return render(request, "capacity/scenario_apply.html", context, status=400 if error else 200)


@workspace_view(internal_only=True)
def scenario_delete(
    request: WorkspaceRequest, workspace: Workspace, scenario_id: int
) -> HttpResponse:
    """Asks, then deletes the scenario (a campaign made from it stays)."""
    _planners_only(request)
    found = scenario_get(workspace, scenario_id)
    if request.method == "POST":
        services.scenario_delete(actor=request.user, scenario=found)
        messages.success(request, f"Scenario “{found.name}” deleted.")
        return redirect("capacity:scenarios", ws=workspace.slug)
    return render(request, "capacity/scenario_delete.html", _context(workspace, found))


@workspace_view(internal_only=True)
def scenario_compare(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Two worked-out scenarios side by side."""
    _planners_only(request)
    a = scenario_get(workspace, request.GET.get("a"))
    b = scenario_get(workspace, request.GET.get("b"))
    pair = [(s, scenario_answer(s)) for s in (a, b)]
    rows: dict[int, dict[str, Any]] = {}
    for n, (_, answer) in enumerate(pair):
        for r in answer.running if answer else []:
            row = rows.setdefault(r["id"], {"name": r["name"], "cells": [None, None, None]})
            row["cells"][0] = (r["before_pct"], r["likely_before"], False)
            row["cells"][n + 1] = (r["after_pct"], r["likely_after"], r["notable"])
    context = {
        "workspace": workspace,
        "pair": pair,
        "rows": list(rows.values()),
        "back": reverse("capacity:scenarios", args=[workspace.slug]),
    }
    return render(request, "capacity/scenario_compare.html", context)
