"""The board by status and each person's My work."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse

from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import TaskStatus
from headway.planning.plan_rows import Badges, CardContext, board_cards
from headway.planning.views.common import task_base
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def board_page(request: WorkspaceRequest, workspace: Workspace, **extra: Any) -> HttpResponse:
    today = workspace.today()
    filters = selectors.filters_from(request.GET, selectors.BoardFilter)
    viewer = request.membership
    within = None if visibility.is_internal(viewer) else visibility.workable_tasks(viewer)
    columns = selectors.board_columns(workspace, today, filters, within=within)
    here = reverse("planning:board", args=[workspace.slug])
    context = {
        "workspace": workspace,
        "columns": board_cards(
            columns,
            CardContext(
                task_base=task_base(workspace),
                csrf_token=get_token(request),
                query=request.GET.urlencode(),
                here=request.get_full_path() if not request.htmx else here,
                moved=extra.get("moved"),
                badges=Badges(),
            ),
        ),
        "filters": filters,
        "people": visibility.visible_members(viewer),
        "channels": selectors.workspace_channels(workspace),
        "campaigns": visibility.visible_campaigns(viewer).only("pk", "name"),
        "statuses": TaskStatus.choices,
        "today": today,
        **extra,
    }
    template = "planning/board.html#board" if request.htmx else "planning/board.html"
    return render(request, template, context)


@workspace_view()
def board(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return board_page(request, workspace)


@workspace_view()
def my_work(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    today = workspace.today()
    rows = selectors.my_work(workspace, request.user, today)
    if not visibility.is_internal(request.membership):
        # who waits on a freelancer's work is the team's plan: they see how many, not what
        seen = set(visibility.visible_tasks(request.membership).values_list("pk", flat=True))
        for r in rows:
            r.waited_by_hidden = sum(1 for s in r.waited_by if s.pk not in seen)
            r.waited_by = [s for s in r.waited_by if s.pk in seen]
    return render(
        request,
        "planning/my_work.html",
        {"workspace": workspace, "rows": rows, "today": today},
    )
