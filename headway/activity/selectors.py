from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from headway.activity.models import Event
from headway.workspaces.models import Workspace


@dataclass(frozen=True)
class EventFilter:
    object_type: str = ""
    object_id: str = ""
    actor_id: int | None = None
    verb: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def events_for_workspace(workspace: Workspace, f: EventFilter | None = None) -> QuerySet[Event]:
    """The workspace's audit trail, newest first, narrowed by the filter."""
    f = f or EventFilter()
    qs = Event.objects.filter(workspace=workspace).select_related("actor")
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.actor_id:
        qs = qs.filter(actor_id=f.actor_id)
    if f.verb:
        qs = qs.filter(verb=f.verb)
    if f.since:
        qs = qs.filter(created_at__gte=f.since)
    if f.until:
        qs = qs.filter(created_at__lt=f.until)
    return qs.order_by("-created_at", "-id")


def object_types_for_workspace(workspace: Workspace) -> list[str]:
    return list(
        Event.objects.filter(workspace=workspace)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
