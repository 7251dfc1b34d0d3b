"""Lookups and small pieces the planning pages share."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest, found_or_404
from headway.planning import selectors
from headway.planning.models import (
    Campaign,
    Task,
)
from headway.workspaces import visibility
from headway.workspaces.models import Workspace


def campaign_get(workspace: Workspace, campaign_id: int) -> Campaign:
    return found_or_404(selectors.campaign_get, workspace, campaign_id)


def task_get(workspace: Workspace, task_id: int) -> Task:
    return found_or_404(selectors.task_get, workspace, task_id)


def task_base(workspace: Workspace) -> str:
    """The URL prefix of the workspace's task pages ("/w/<ws>/tasks/"): rows append the id
    and the action, instead of reversing three URLs per row."""
    return reverse("planning:task", args=[workspace.slug, 1]).removesuffix("1/")


def visible_task(request: WorkspaceRequest, workspace: Workspace, task_id: int) -> Task:
    """The task, if the viewer may see it (see headway.workspaces.visibility); else 404."""
    return get_object_or_404(
        visibility.visible_tasks(request.membership).select_related(
            "campaign__workspace", "workspace", "owner"
        ),
        pk=task_id,
    )


def attempt(request: WorkspaceRequest, action: Callable[[], object], done: str = "") -> bool:
    """Runs one service call for a form post; its error, or `done`, is shown on the page the
    post redirects to."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if done:
        messages.success(request, done)
    return True
