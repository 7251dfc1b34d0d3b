"""The "Can we take this on?" form: a template or draft campaign, a launch date, people taken
out and one freelancer added."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from headway.capacity.models import WEEKDAY_NAMES
from headway.capacity.selectors import PersonCapacity
from headway.core.forms import BoundedForm, IsoDateInput
from headway.planning.models import RoleNeeded

ROLES = [(v, label) for v, label in RoleNeeded.choices if v]


class ScenarioForm(BoundedForm):
    source = forms.ChoiceField(
        label="Campaign to take on",
        help_text="A template, or a draft campaign already written up.",
    )
    launch_date = forms.DateField(widget=IsoDateInput(), label="Launch date")
    remove = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Without",
        help_text="People taken out of the team for this scenario (their work is handed to "
        "others who do the same kind of work).",
    )
    freelancer_role = forms.ChoiceField(
        choices=[("", "Nobody"), *ROLES],
        required=False,
        label="Who does",
    )
    freelancer_name = forms.CharField(max_length=80, required=False, label="Name")
    freelancer_hours = forms.DecimalField(
        min_value=Decimal(1),
        max_value=Decimal(80),
        decimal_places=1,
        max_digits=3,
        required=False,
        initial=Decimal(16),
        label="Hours a week",
    )
    freelancer_days = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[0, 1, 2, 3, 4],
        label="Working days",
    )
    name = forms.CharField(
        max_length=120,
        required=False,
        label="Name this scenario",
        help_text="Defaults to “Add <campaign> on <date>”.",
    )

    def __init__(
        self,
        *args: Any,
        templates: list[tuple[int, str]],
        drafts: list[tuple[int, str]],
        people: list[PersonCapacity],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", "Choose…")]
        choices.append(("Templates", [(f"t{pk}", name) for pk, name in templates]))
        if drafts:
            choices.append(("Draft campaigns", [(f"d{pk}", name) for pk, name in drafts]))
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        self.fields["remove"].choices = [(p.user_id, p.name) for p in people]  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        """The scenario_create arguments the form's cleaned data stands for."""
        d = self.cleaned_data
        source: str = d["source"]
        ids: dict[str, int | None] = {"template_id": None, "draft_id": None}
        ids["template_id" if source.startswith("t") else "draft_id"] = int(source[1:])
        add = []
        if d.get("freelancer_role"):
            add.append(
                {
                    "name": d.get("freelancer_name") or "",
                    "role": d["freelancer_role"],
                    "weekly_hours": d.get("freelancer_hours") or Decimal(16),
                    "weekdays": d.get("freelancer_days") or [0, 1, 2, 3, 4],
                }
            )
        return {
            **ids,
            "launch_date": d["launch_date"],
            "remove_people": list(d.get("remove") or []),
            "add_people": add,
            "name": d.get("name") or "",
        }


FIELD_OF_SERVICE = {
    "template": "source",
    "draft": "source",
    "remove_people": "remove",
    "add_people": "freelancer_role",
}


def form_field(service_field: str | None) -> str | None:
    """The form field a service error names (add_people[0].weekly_hours -> freelancer_hours)."""
    if service_field is None:
        return None
    if service_field.startswith("add_people["):
        tail = service_field.rsplit(".", 1)[-1]
        return {"weekly_hours": "freelancer_hours", "weekdays": "freelancer_days"}.get(
            tail, "freelancer_name" if tail == "name" else "freelancer_role"
        )
    return FIELD_OF_SERVICE.get(service_field, service_field)
