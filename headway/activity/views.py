from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from headway.activity.forms import AuditFilterForm
from headway.activity.selectors import EventFilter, events_for_workspace
from headway.core.http import WorkspaceRequest
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace


def _day_start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@workspace_view(admin_only=True)
def audit_trail(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, workspace=workspace)
    f = EventFilter()
    if form.is_valid():
        data = form.cleaned_data
        until = data.get("until")
        f = EventFilter(
            object_type=data.get("object_type") or "",
            actor_id=data.get("actor"),
            verb=data.get("verb") or "",
            since=_day_start(data.get("since")),
            until=_day_start(until + dt.timedelta(days=1)) if until else None,
        )
    page = Paginator(events_for_workspace(workspace, f), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"workspace": workspace, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "activity/audit_trail.html", context)
