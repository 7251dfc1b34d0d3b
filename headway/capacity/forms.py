"""Capacity forms: one person's capacity, the workspace's default effort per day."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.capacity.models import WEEKDAY_NAMES, Capacity, CapacitySettings
from headway.capacity.selectors import PersonCapacity
from headway.core.forms import BoundedForm, IsoDateInput, model_decimal
from headway.planning.models import RoleNeeded


class CapacityForm(BoundedForm):
    user = forms.TypedChoiceField(coerce=int, label="Person")
    weekly_hours = model_decimal(
        Capacity,
        "weekly_hours",
        label="Hours a week",
        help_text="Hours they can give to planned work.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        widget=forms.CheckboxSelectMultiple,
        label="Working days",
    )
    skill = forms.ChoiceField(
        choices=RoleNeeded.choices,
        required=False,
        label="Kind of work",
        help_text="Matched against a task's role needed when proposing cover.",
    )
    first_day = forms.DateField(
        widget=IsoDateInput(),
        required=False,
        label="First day",
        help_text="Freelancers: when the engagement starts.",
    )
    last_day = forms.DateField(widget=IsoDateInput(), required=False, label="Last day")
    day_rate = model_decimal(Capacity, "day_rate", required=False, label="Day rate")

    def __init__(self, *args: Any, capacities: list[PersonCapacity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(p.user_id, p.name) for p in capacities]  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(person: PersonCapacity) -> dict[str, Any]:
        return {
            "user": person.user_id,
            "weekly_hours": person.weekly_hours,
            "weekdays": [int(c) for c in person.weekdays],
            "skill": person.skill,
            "first_day": person.first_day,
            "last_day": person.last_day,
            "day_rate": person.day_rate,
        }


class LoadSettingsForm(BoundedForm):
    hours_per_day = model_decimal(
        CapacitySettings,
        "hours_per_day",
        label="Hours per day of duration",
        help_text="A task without effort hours takes this many hours per day it lasts.",
    )
