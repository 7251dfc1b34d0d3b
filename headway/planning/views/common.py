"""Lookups and small pieces the planning pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

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


def owner_options(rows: list[selectors.TaskRow], people: list[Any]) -> None:
    """Each row's owner <option>s, built once here: a template loop over every person in
    every row of a 300-task plan costs more than the rest of the page."""
    escaped = [(p.pk, escape(p.name or p.email)) for p in people]
    for r in rows:
        owner = r.task.owner_id
        r.owner_options = mark_safe(
            "".join(
                f'<option value="{pk}"{" selected" if pk == owner else ""}>{name}</option>'
                for pk, name in escaped
            )
        )


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


def csrf_input(request: WorkspaceRequest) -> str:
    """The hidden CSRF field, rendered once for the many forms of a long page."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
