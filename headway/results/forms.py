"""Forms of the import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from headway.core.forms import BoundedForm
from headway.results.models import MatchKind
from headway.results.services import MAX_FILE_BYTES

#: Files one drop may hold; each is read and previewed in turn, so a drop stays a month's worth.
MAX_FILES = 10


class _ManyFilesInput(forms.FileInput):
    allow_multiple_selected = True


class ManyFilesField(forms.FileField):
    """One or more uploaded files, in the order the browser sent them (the order chosen or
    dropped). Each file's content is checked where it is read, so one bad file does not
    refuse the others."""

    widget = _ManyFilesInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            super().clean(None, initial)  # "This field is required."
        if len(files) > MAX_FILES:
            raise ValidationError(
                f"At most {MAX_FILES} files at once: you chose {len(files)}. "
                f"Drop the first {MAX_FILES}, then the others.",
                code="too_many_files",
            )
        for f in files:
            if not isinstance(f, UploadedFile) or not f.name:
                raise ValidationError("No file was sent; choose the files again.", code="invalid")
        return files


class UploadForm(BoundedForm):
    file = ManyFilesField(
        label=f"Export files (choose up to {MAX_FILES}, or drop them here)",
        help_text=f"Up to {MAX_FILES} files at once, each at most "
        f"{MAX_FILE_BYTES // 2**20} MB: CSV or XLSX as downloaded from Google Ads, Meta Ads, "
        "LinkedIn, Mailchimp, GA4 or HubSpot; another tool's file is read once you map its "
        "columns.",
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
