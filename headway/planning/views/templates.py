"""Templates: the starter set and saved plans, step by step relative to the launch."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest, found_or_404
from headway.planning import selectors
from headway.planning.models import (
    TaskKind,
)
from headway.planning.template_spec import template_plan
from headway.workspaces import visibility
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


@workspace_view(internal_only=True)
def templates(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    rows = []
    for t in selectors.workspace_templates(workspace):
        try:
            plan = template_plan(t.spec)
        except DomainError as exc:
            rows.append({"template": t, "error": exc.message})
            continue
        launch = plan.launch_key()
        lead = -plan.offset_from_launch(plan.tasks[0].key) if launch else plan.schedule.duration
        rows.append(
            {
                "template": t,
                "tasks": sum(1 for k in plan.tasks if k.kind == TaskKind.TASK),
                "lead": max((-plan.offset_from_launch(k.key) for k in plan.tasks), default=lead),
                "conditions": len(plan.conditions),
            }
        )
    return render(
        request,
        "planning/templates.html",
        {"workspace": workspace, "rows": rows, "can_plan": visibility.can_plan(request.membership)},
    )


@workspace_view(internal_only=True)
def template_detail(
    request: WorkspaceRequest, workspace: Workspace, template_id: int
) -> HttpResponse:
    template = found_or_404(selectors.template_get, workspace, template_id)
    plan = template_plan(template.spec)
    titles = {k.key: k.title for k in plan.tasks}
    steps = [
        {
            "task": k,
            "offset": plan.offset_from_launch(k.key),
            "critical": plan.schedule.tasks[k.key].critical,
            "after": ", ".join(
                titles[a.task] + ("" if a.type == "FS" and not a.lag else f" ({a.type} {a.lag:+g})")
                for a in k.after
            ),
        }
        for k in sorted(plan.tasks, key=lambda k: plan.schedule.tasks[k.key].early_start)
    ]
    return render(
        request,
        "planning/template.html",
        {
            "workspace": workspace,
            "template": template,
            "steps": steps,
            "plan": plan,
            "can_plan": visibility.can_plan(request.membership),
        },
    )
