"""Forms check types and shapes; the services check the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator

from headway.accounts.models import User
from headway.core.bounds import COMMENT_MAX_CHARS, DURATION_DAYS_MAX, LAG_DAYS_MAX
from headway.core.forms import BoundedForm, IsoDateInput, model_decimal
from headway.core.widgets import OnePassSelect
from headway.engine.network import LinkType
from headway.planning.models import (
    Campaign,
    CampaignStatus,
    CampaignTemplate,
    Channel,
    Comparison,
    ConditionKind,
    FunnelStage,
    Party,
    RoleNeeded,
    SuccessMetric,
    Task,
    TaskKind,
    TaskStatus,
)

DATE = IsoDateInput()
# Durations in working days: the scheduler dates plans up to ten years long.
DAYS: dict[str, Any] = {"min_value": 0, "max_value": DURATION_DAYS_MAX}


def _people_choices(
    people: list[User], empty: str | None, me: User | None = None
) -> list[tuple[Any, str]]:
    """One entry per person, the one filling in the form named once as "Name (me)"; with
    `empty` None there is no empty entry."""
    first = [("", empty)] if empty is not None else []
    return first + [
        (
            u.pk,
            f"{u.name or u.email} (me)" if me is not None and u.pk == me.pk else u.name or u.email,
        )
        for u in people
    ]


class BriefForm(BoundedForm):
    name = forms.CharField(max_length=140)
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Why this campaign matters to the business.",
    )
    audience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    funnel_stage = forms.ChoiceField(choices=[("", "—"), *FunnelStage.choices], required=False)
    budget = model_decimal(Campaign, "budget", min_value=0, required=False)
    currency = forms.CharField(max_length=3, initial="USD")
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    constraints = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Hard constraints"
    )
    launch_date = forms.DateField(widget=DATE, required=False)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    utm_campaign = forms.CharField(
        max_length=100,
        required=False,
        label="UTM campaign",
        help_text="Left empty, it is made from the name.",
    )
    platform_names = forms.CharField(
        required=False,
        label="Names on ad platforms",
        help_text="Comma-separated, as the campaign is named in Google Ads, Meta and others.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, workspace: Any, people: list[User], me: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(workspace=workspace)  # type: ignore[attr-defined]
        self.fields["owner"].choices = _people_choices(people, "No owner yet", me)  # type: ignore[attr-defined]


class FromTemplateForm(BoundedForm):
    template = forms.ModelChoiceField(queryset=CampaignTemplate.objects.none())
    name = forms.CharField(max_length=140)
    launch_date = forms.DateField(widget=DATE)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    assign_suggested = forms.BooleanField(
        required=False, label="Assign each task to the person suggested for its role"
    )

    def __init__(
        self, *args: Any, workspace: Any, people: list[User], me: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CampaignTemplate.objects.filter(workspace=workspace)  # type: ignore[attr-defined]
        mine = me is not None and any(u.pk == me.pk for u in people)
        # whoever creates the campaign owns it unless told: listed once, chosen already
        self.fields["owner"].choices = _people_choices(people, None if mine else "Me", me)  # type: ignore[attr-defined]
        if mine and me is not None:
            self.fields["owner"].initial = me.pk


class TaskForm(BoundedForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=TaskKind.choices, initial=TaskKind.TASK)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    role_needed = forms.ChoiceField(choices=RoleNeeded.choices, required=False)
    channel = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    milestone = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    duration_days = model_decimal(
        Task, "duration_days", label="Duration (working days)", initial=1, **DAYS
    )
    optimistic_days = model_decimal(Task, "optimistic_days", required=False, **DAYS)
    likely_days = model_decimal(
        Task, "likely_days", required=False, label="Most likely days", **DAYS
    )
    pessimistic_days = model_decimal(Task, "pessimistic_days", required=False, **DAYS)
    effort_hours = model_decimal(Task, "effort_hours", required=False, min_value=0)
    not_before = forms.DateField(
        widget=DATE,
        required=False,
        label="Start no earlier than",
        help_text="For a slip, or a date someone outside the team gave you.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        people: list[User],
        channels: list[Channel],
        milestones: list[Task],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people_choices(people, "Unowned")  # type: ignore[attr-defined]
        self.fields["channel"].choices = [("", "—")] + [(c.pk, c.name) for c in channels]  # type: ignore[attr-defined]
        self.fields["milestone"].choices = [("", "—")] + [(m.pk, m.title) for m in milestones]  # type: ignore[attr-defined]


class QuickTaskForm(BoundedForm):
    title = forms.CharField(max_length=200, label="New task")
    duration_days = model_decimal(Task, "duration_days", label="Working days", initial=1, **DAYS)


class DependencyForm(BoundedForm):
    predecessor = forms.TypedChoiceField(coerce=int, label="Waits on")
    type = forms.ChoiceField(
        choices=[
            (LinkType.FS.value, "FS: starts after it finishes"),
            (LinkType.SS.value, "SS: starts after it starts"),
            (LinkType.FF.value, "FF: finishes after it finishes"),
            (LinkType.SF.value, "SF: finishes after it starts"),
        ],
        initial=LinkType.FS.value,
    )
    lag = forms.IntegerField(
        initial=0,
        help_text="Working days; negative for a lead.",
        min_value=-LAG_DAYS_MAX,
        max_value=LAG_DAYS_MAX,
    )
    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, candidates: list[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].choices = [("", "Choose a task")] + [  # type: ignore[attr-defined]
            (t.pk, f"{t.title} ({t.campaign.name})") for t in candidates
        ]


class StatusForm(BoundedForm):
    status = forms.ChoiceField(choices=TaskStatus.choices)
    blocked_reason = forms.CharField(max_length=240, required=False)
    blocked_on = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Who must unblock it"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blocked_on"].choices = _people_choices(people, "—")  # type: ignore[attr-defined]


# A flat menu of hundreds of options (a big plan's tasks), drawn in one pass: Django's option
# dictionaries and a template loop over them measured most of a 1,000-task campaign page.
LongSelect = OnePassSelect


class PlainChoices(BaseChoiceIterator):
    """Choices already in Django's (value, label) form, taken as they are: Django normalizes
    a plain list item by item, which costs milliseconds for a 1,000-task menu."""

    def __init__(self, pairs: list[tuple[Any, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.pairs)


class ConditionForm(BoundedForm):
    title = forms.CharField(max_length=200, label="What must be true")
    kind = forms.ChoiceField(choices=ConditionKind.choices)
    party = forms.ChoiceField(choices=Party.choices)
    owner = forms.TypedChoiceField(coerce=int, empty_value=None)
    due_date = forms.DateField(widget=DATE, required=False)
    lead_time_days = forms.IntegerField(
        min_value=0, max_value=LAG_DAYS_MAX, initial=0, label="Lead time (working days)"
    )
    task = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Met when this task is done",
        widget=LongSelect,
    )

    def __init__(
        self, *args: Any, people: list[User], tasks: list[Task] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people_choices(people, "Choose one person")  # type: ignore[attr-defined]
        menu = [("", "—"), *((t.pk, t.title) for t in tasks or [])]
        self.fields["task"].choices = PlainChoices(menu)  # type: ignore[attr-defined]


class CampaignStatusForm(BoundedForm):
    status = forms.ChoiceField(choices=CampaignStatus.choices)


class SaveTemplateForm(BoundedForm):
    name = forms.CharField(max_length=120, label="Template name")


class HolidayForm(BoundedForm):
    date = forms.DateField(widget=DATE)
    name = forms.CharField(max_length=80)


class TimeOffForm(BoundedForm):
    user = forms.TypedChoiceField(coerce=int, label="Who")
    first_day = forms.DateField(widget=DATE)
    last_day = forms.DateField(widget=DATE)
    note = forms.CharField(max_length=120, required=False)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(u.pk, u.name or u.email) for u in people]  # type: ignore[attr-defined]


class MetricForm(BoundedForm):
    metric_name = forms.CharField(max_length=100, label="Metric", help_text="e.g. qualified leads")
    comparison = forms.ChoiceField(choices=Comparison.choices)
    target = model_decimal(SuccessMetric, "target")
    unit = forms.CharField(max_length=30, required=False)


class ChannelForm(BoundedForm):
    name = forms.CharField(max_length=60, label="New channel")


class CommentForm(BoundedForm):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mention someone with @first-name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        # A browser cuts a pasted text at maxlength without a word; the server says so instead.
        self.fields["body"].widget.attrs.pop("maxlength", None)
