"""Pages' derived lists kept in the cache while the data they come from is unchanged: the
key holds the workspace's data version (every write records an activity event; health is
recomputed in the background), so a change shows on the next read; a change no event
records shows within KEPT_SECONDS."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from django.core.cache import cache
from django.db.models import Subquery, TextField
from django.db.models.functions import Cast

from headway.activity.models import Event
from headway.insights.models import CampaignHealth
from headway.workspaces.models import Workspace

T = TypeVar("T")

# Dates can move without an activity event (a background reschedule as days pass): a kept
# value is never older than this.
KEPT_SECONDS = 60


def data_version(workspace: Workspace) -> str:
    """Changes whenever the workspace's data does: its latest activity event (by id, which
    only grows) and its latest health recompute. One query."""
    latest_event = (
        Event.objects.filter(workspace=workspace)
        .order_by("-id")
        .annotate(mark=Cast("id", TextField()))
        .values("mark")[:1]
    )
    latest_health = (
        CampaignHealth.objects.filter(workspace=workspace)
        .order_by("-updated_at", "-id")
        .annotate(mark=Cast("updated_at", TextField()))
        .values("mark")[:1]
    )
    row = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(event=Subquery(latest_event), health=Subquery(latest_health))
        .values_list("event", "health")
        .first()
    )
    return f"{row[0]}|{row[1]}" if row else ""


def kept(workspace: Workspace, name: str, parts: Iterable[object], build: Callable[[], T]) -> T:
    """`build()`'s value for `name` and `parts` in `workspace`, from the cache while the
    workspace's data is unchanged (a fresh copy each call: callers may change it)."""
    text = ":".join(str(x) for x in (name, workspace.pk, *parts, data_version(workspace)))
    key = f"{name}:{hashlib.sha256(text.encode()).hexdigest()}"
    return cast(T, cache.get_or_set(key, build, KEPT_SECONDS))
