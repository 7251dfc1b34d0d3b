from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from headway.activity.models import Event, Verb


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-ready values of `fields` on `obj` (foreign keys by their id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _jsonable(getattr(obj, attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value differs."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def event_record(
    *,
    actor: Any,
    verb: Verb,
    obj: models.Model,
    workspace: Any = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Append one activity event; every service calls this inside its transaction."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = Event(
        workspace=workspace,
        actor_id=actor_id,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=_jsonable(changes or {}),
        created_at=timezone.now(),
    )
    # What hears the save (health triggers) reads the object from here, not the database.
    event.subject = obj  # type: ignore[attr-defined]
    event.save(force_insert=True)
    return event


def created_changes(obj: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in snapshot(obj, fields).items()}


def task_failure_record(
    *,
    workspace_id: int | None,
    task_name: str,
    error: str,
    attempt: int,
    max_attempts: int,
    retry_at: dt.datetime | None,
) -> Event:
    """Records a failed background job so the workspace's admins can see it."""
    return Event.objects.create(
        workspace_id=workspace_id,
        actor=None,
        verb=Verb.TASK_FAILED,
        object_type="task",
        object_id=task_name[:64],
        object_repr=task_name.rsplit(".", 1)[-1][:200],
        changes={
            "error": [None, error[:500]],
            "attempt": [None, attempt],
            "max_attempts": [None, max_attempts],
            "retry_at": [None, retry_at.isoformat() if retry_at else None],
        },
        created_at=timezone.now(),
    )
