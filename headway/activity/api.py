import datetime as dt
from typing import Annotated, Any

from annotated_types import MaxLen
from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from headway.activity.models import Event, Verb
from headway.activity.selectors import EventFilter, events_for_workspace
from headway.api.pagination import BoundedLimitOffset
from headway.api.schemas import BoundedDateTime, Id, SafeStr
from headway.core.errors import Forbidden
from headway.core.http import WorkspaceRequest

router = Router(tags=["activity"])


class EventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor_name(obj: Any) -> str | None:
        return obj.actor.name if obj.actor_id else None


class EventQuery(Schema):
    object_type: Annotated[SafeStr, MaxLen(100)] = ""
    object_id: Annotated[SafeStr, MaxLen(64)] = ""
    actor_id: Id | None = None
    verb: Verb | None = None
    since: BoundedDateTime | None = None
    until: BoundedDateTime | None = None


@router.get(
    "/workspaces/{ws}/activity",
    response=list[EventOut],
    summary="The audit trail (owners and admins)",
)
@paginate(BoundedLimitOffset)
def activity_list(
    request: WorkspaceRequest, ws: str, filters: Query[EventQuery]
) -> QuerySet[Event]:
    if not request.membership.role_enum.administers:
        raise Forbidden("Only owners and admins can read the audit trail.")
    f = EventFilter(
        object_type=filters.object_type,
        object_id=filters.object_id,
        actor_id=filters.actor_id,
        verb=filters.verb or "",
        since=filters.since,
        until=filters.until,
    )
    return events_for_workspace(request.workspace, f)
