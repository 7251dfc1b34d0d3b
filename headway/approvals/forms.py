"""Forms for approval chains: the chain, and up to three steps (a formset)."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.approvals.models import LimitUnit, StepMode, WorkKind
from headway.core.bounds import (
    REMIND_BEFORE_HOURS_MAX,
    ROUND_CAP_MAX,
    STEP_LIMIT_DAYS_MAX,
    STEP_LIMIT_HOURS_MAX,
)
from headway.core.forms import BoundedForm
from headway.workspaces.models import Role


class ChainForm(BoundedForm):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=WorkKind.choices, label="Kind of work")
    round_cap = forms.IntegerField(
        min_value=1, max_value=ROUND_CAP_MAX, initial=3, label="Flag after this many rounds"
    )
    remind_before_hours = forms.IntegerField(
        min_value=0,
        max_value=REMIND_BEFORE_HOURS_MAX,
        initial=4,
        label="Remind approvers (hours before the limit)",
    )
    escalate = forms.BooleanField(
        required=False, initial=True, label="At the limit, tell the backup and the campaign owner"
    )


class StepForm(BoundedForm):
    name = forms.CharField(max_length=80, required=False, label="Step")
    approvers = forms.TypedMultipleChoiceField(coerce=int, required=False)
    approver_role = forms.ChoiceField(
        choices=[("", "—"), *Role.choices], required=False, label="Or everyone with role"
    )
    backup = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    limit = forms.IntegerField(min_value=1, max_value=STEP_LIMIT_HOURS_MAX, initial=2)
    limit_unit = forms.ChoiceField(choices=LimitUnit.choices, initial=LimitUnit.DAYS, label="Unit")
    mode = forms.ChoiceField(choices=StepMode.choices, initial=StepMode.ANY)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name or u.email) for u in people]
        self.fields["approvers"].choices = choices  # type: ignore[attr-defined]
        self.fields["backup"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = data.get("limit")
        if data.get("limit_unit") == LimitUnit.DAYS and limit and limit > STEP_LIMIT_DAYS_MAX:
            self.add_error("limit", f"At most {STEP_LIMIT_DAYS_MAX} working days.")
        return data


StepFormSet = forms.formset_factory(StepForm, extra=3, max_num=3)
