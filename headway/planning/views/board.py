"""The board by status and each person's My work."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from headway.core.http import WorkspaceRequest
from headway.planning import selectors
from headway.planning.models import (
    Campaign,
    TaskStatus,
)
from headway.planning.plan_rows import CardContext, board_card
from headway.planning.views.common import csrf_input, task_base
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def board_page(request: WorkspaceRequest, workspace: Workspace, **extra: Any) -> HttpResponse:
    today = workspace.today()
    filters = selectors.filters_from(request.GET, selectors.BoardFilter)
    only = request.user if request.membership.role_enum.is_external else None
    columns = selectors.board_columns(workspace, today, filters, only_for=only)
    here = reverse("planning:board", args=[workspace.slug])
    cards = CardContext(
        task_base=task_base(workspace),
        csrf_input=csrf_input(request),
        query=request.GET.urlencode(),
        here=request.get_full_path() if not request.htmx else here,
        moved=extra.get("moved"),
    )
    for _, rows in columns:
        for r in rows:
            r.html = board_card(r, cards)
    context = {
        "workspace": workspace,
        "columns": columns,
        "filters": filters,
        "people": selectors.people(workspace),
        "channels": selectors.workspace_channels(workspace),
        "campaigns": Campaign.objects.filter(workspace=workspace).only("pk", "name"),
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
    return render(
        request,
        "planning/my_work.html",
        {
            "workspace": workspace,
            "rows": selectors.my_work(workspace, request.user, today),
            "today": today,
        },
    )
