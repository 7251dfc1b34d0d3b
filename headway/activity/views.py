from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from headway.activity.models import Verb
from headway.activity.selectors import EventFilter, events_for_workspace, object_types_for_workspace
from headway.core.forms import BoundedForm, IsoDateInput
from headway.core.http import WorkspaceRequest
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace
from headway.workspaces.selectors import members_list


class AuditFilterForm(BoundedForm):
    object_type: forms.ChoiceField = forms.ChoiceField(required=False, label="Object")
    actor: forms.TypedChoiceField = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Who"
    )
    verb = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *Verb.choices], label="Action"
    )
    since = forms.DateField(required=False, label="From", widget=IsoDateInput())
    until = forms.DateField(required=False, label="To", widget=IsoDateInput())

    def __init__(self, data: Any, *, workspace: Workspace) -> None:
        super().__init__(data)
        object_types = cast(forms.ChoiceField, self.fields["object_type"])
        object_types.choices = [("", "Anything")] + [
            (t, t.split(".")[-1]) for t in object_types_for_workspace(workspace)
        ]
        actors = cast(forms.ChoiceField, self.fields["actor"])
        actors.choices = [("", "Anyone")] + [
            (m.user_id, m.user.name) for m in members_list(workspace)
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data


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
