"""Forms of the review pages and the learnings library; services validate again."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from headway.core.bounds import LONG_TEXT_MAX_CHARS
from headway.core.forms import BoundedForm
from headway.planning.models import RoleNeeded
from headway.planning.services.templates import STEP_CHANGE_MAX_DAYS
from headway.results.reviews.models import REVIEW_AFTER_DAYS_MAX, Verdict
from headway.results.reviews.services import QUESTIONS

Choices = list[tuple[Any, str]]


class ReviewForm(BoundedForm):
    verdict = forms.ChoiceField(
        label="Did it deliver what we expected commercially?",
        choices=Verdict.choices,
        widget=forms.RadioSelect,
    )
    delivered = forms.CharField(
        label="What it delivered against the targets",
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learned = forms.CharField(
        label=QUESTIONS["learned"],
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    differently = forms.CharField(
        label=QUESTIONS["differently"],
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _tag_fields(form: forms.Form, channels: Choices, templates: Choices, empty: str) -> None:
    """Choices of the channel and template tags; `empty` names no choice ("Any", "None")."""
    cast(forms.ChoiceField, form.fields["channel"]).choices = [("", f"{empty} channel"), *channels]
    cast(forms.ChoiceField, form.fields["template"]).choices = [
        ("", f"{empty} template"),
        *templates,
    ]


class LearningForm(BoundedForm):
    text = forms.CharField(
        label="What we learned",
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.TypedChoiceField(label="Channel", required=False, coerce=int, empty_value=None)
    template = forms.TypedChoiceField(
        label="Template", required=False, coerce=int, empty_value=None
    )
    audience = forms.CharField(label="Audience", max_length=80, required=False)
    work_kind = forms.ChoiceField(
        label="Kind of work",
        required=False,
        choices=[("", "Any kind of work"), *RoleNeeded.choices[1:]],
    )

    def __init__(self, *args: Any, channels: Choices, templates: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tag_fields(self, channels, templates, "No")
        cast(forms.ChoiceField, self.fields["work_kind"]).choices = [
            ("", "No kind of work"),
            *RoleNeeded.choices[1:],
        ]


class LearningSearchForm(BoundedForm):
    q = forms.CharField(label="Search", max_length=200, required=False)
    channel = forms.TypedChoiceField(label="Channel", required=False, coerce=int, empty_value=None)
    template = forms.TypedChoiceField(
        label="Template", required=False, coerce=int, empty_value=None
    )
    work_kind = forms.ChoiceField(
        label="Kind of work",
        required=False,
        choices=[("", "Any kind of work"), *RoleNeeded.choices[1:]],
    )

    def __init__(self, *args: Any, channels: Choices, templates: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tag_fields(self, channels, templates, "Any")


class ApplyForm(BoundedForm):
    step = forms.ChoiceField(label="Step")
    days = forms.IntegerField(
        label="Working days to add (negative to take away)",
        min_value=-STEP_CHANGE_MAX_DAYS,
        max_value=STEP_CHANGE_MAX_DAYS,
        initial=2,
    )

    def __init__(self, *args: Any, steps: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["step"]).choices = steps


class ReviewSettingsForm(BoundedForm):
    review_after_days = forms.IntegerField(
        label="Reviews fall due this many days after launch",
        min_value=1,
        max_value=REVIEW_AFTER_DAYS_MAX,
    )
