"""Forms of the insights pages check types and shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import User
from headway.core.forms import BoundedForm, IsoDateInput
from headway.insights.models.checkins import Weekday
from headway.planning.models import Campaign


class DecisionForm(BoundedForm):
    text = forms.CharField(max_length=300, label="Decision")
    owner = forms.TypedChoiceField(coerce=int, empty_value=None, label="Owner")
    due_date = forms.DateField(widget=IsoDateInput(), label="Due")
    campaign = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Make it a task in",
        help_text="The decision becomes a task of that campaign's plan, owned by its owner.",
    )

    def __init__(
        self, *args: Any, people: list[User], campaigns: list[Campaign], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose one owner")] + [  # type: ignore[attr-defined]
            (u.pk, u.name or u.email) for u in people
        ]
        self.fields["campaign"].choices = [("", "No task, just the decision")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in campaigns
        ]


class CheckInScheduleForm(BoundedForm):
    """'Meets every [weekday] at [time]', the workspace's local time."""

    weekday = forms.TypedChoiceField(coerce=int, choices=Weekday.choices, label="Meets every")
    time = forms.TimeField(
        label="at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )
