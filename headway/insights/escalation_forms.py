"""Forms for escalations: acknowledging one, and raising a risk by hand."""

from __future__ import annotations

from django import forms

from headway.core.forms import BoundedForm


class AcknowledgeForm(BoundedForm):
    note = forms.CharField(
        max_length=500,
        label="What will be done",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Lena takes the landing page"}),
    )
    by_date = forms.DateField(label="By when")


class RaiseRiskForm(BoundedForm):
    text = forms.CharField(
        max_length=500,
        label="The risk, in a sentence",
        widget=forms.TextInput(attrs={"placeholder": "e.g. The printer has not confirmed"}),
    )
