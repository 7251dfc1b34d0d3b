"""The audit trail's filter form."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from headway.activity.models import Verb
from headway.activity.selectors import object_types_for_workspace
from headway.core.forms import BoundedForm, IsoDateInput
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

    def __init__(self, data: Any, *, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
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
