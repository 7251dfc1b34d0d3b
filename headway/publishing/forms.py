"""Forms check types and shapes; the services check the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from headway.core.forms import BoundedForm, IsoDateTimeInput, ZonedDateTimeField
from headway.planning.models import Campaign, Channel
from headway.publishing.models import PieceKind, Stage


class PieceForm(BoundedForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=PieceKind.choices)
    channel = forms.TypedChoiceField(coerce=int)
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.IDEA)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    publish_at = ZonedDateTimeField(
        required=False,
        label="Publish slot",
        widget=IsoDateTimeInput(),
    )
    campaign = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workspace: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ZonedDateTimeField, self.fields["publish_at"]).zone = workspace.tzinfo
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in Channel.objects.filter(workspace=workspace)
        ]
        self.fields["owner"].choices = [("", "No owner yet")] + [  # type: ignore[attr-defined]
            (u.pk, u.name) for u in people
        ]
        self.fields["campaign"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in Campaign.objects.filter(workspace=workspace)
        ]
