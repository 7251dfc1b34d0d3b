"""Forms of the import page."""

from __future__ import annotations

from django import forms

from headway.core.forms import BoundedForm
from headway.results.models import MatchKind


class UploadForm(BoundedForm):
    file = forms.FileField(
        label="Export file (choose it, or drop it here)",
        help_text="CSV or XLSX as downloaded from Google Ads, Meta Ads, LinkedIn, Mailchimp, "
        "GA4 or HubSpot; another tool's file is read once you map its columns.",
    )


class StoreForm(BoundedForm):
    file_hash = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class AssignForm(BoundedForm):
    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    campaign = forms.TypedChoiceField(label="Campaign", coerce=int, choices=())
    file_hash = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, campaigns: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["campaign"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a campaign…"), *campaigns]


class RuleForm(BoundedForm):
    kind = forms.ChoiceField(
        label="Names that",
        choices=[
            (MatchKind.STARTS_WITH.value, "start with"),
            (MatchKind.CONTAINS.value, "contain"),
            (MatchKind.EXACT.value, "are exactly"),
        ],
    )
    pattern = forms.CharField(label="Text", max_length=255)
    campaign = forms.TypedChoiceField(label="Belong to", coerce=int, choices=())

    def __init__(self, *args: object, campaigns: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["campaign"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a campaign…"), *campaigns]


class MonthForm(BoundedForm):
    month = forms.RegexField(
        label="Month",
        regex=r"^(19[7-9]\d|20\d\d|2100)-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": "Choose a month as YYYY-MM, e.g. 2026-03."},
    )
