"""The newcomer page: the workspace in two minutes."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from headway.core.http import WorkspaceRequest
from headway.insights.selectors.newcomer import newcomer_page
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@workspace_view(internal_only=True)
def newcomer(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return render(
        request,
        "insights/newcomer.html",
        {"workspace": workspace, "page": newcomer_page(workspace, workspace.today())},
    )
