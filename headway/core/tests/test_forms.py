"""Every form round-trips its dates as a browser does, and every form carries the bounds."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

import headway
from headway.capacity.selectors import capacity_people
from headway.conftest import Team, client_for
from headway.core.forms import BoundedForm, IsoDateInput, IsoDateTimeInput
from headway.core.tests.html_forms import browser_value, form_with, html_forms
from headway.planning.models import Campaign, Channel, TaskKind
from headway.planning.services.campaigns import BRIEF_FIELDS, campaign_create
from headway.planning.services.tasks import TASK_FIELDS, task_update
from headway.planning.tests.factories import chain
from headway.publishing.models import ContentPiece, PieceKind, Stage
from headway.publishing.services import PIECE_FIELDS, piece_create

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 14)  # the 14th: a localised value (14/12/2026) is no ISO month-day


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class declared in a `forms` module of the project."""
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.walk_packages(headway.__path__, "headway."):
        if info.name.rsplit(".", 1)[-1] != "forms":
            continue
        module = importlib.import_module(info.name)
        found += [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj)
            and issubclass(obj, forms.BaseForm)
            and obj.__module__ == module.__name__
        ]
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORM_CLASSES = _form_classes()
DATED_FORMS = [
    c
    for c in FORM_CLASSES
    if any(isinstance(f, (forms.DateField, forms.DateTimeField)) for f in c.base_fields.values())
]


def _name(cls: type) -> str:
    return f"{cls.__module__.removeprefix('headway.')}.{cls.__qualname__}"


def test_the_walk_finds_the_forms_with_dates() -> None:
    names = {_name(c) for c in DATED_FORMS}
    assert {
        "planning.forms.BriefForm",
        "planning.forms.TaskForm",
        "planning.forms.TimeOffForm",
        "publishing.forms.PieceForm",
        "activity.forms.AuditFilterForm",
    } <= names


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=_name)
def test_every_form_carries_the_bounds(cls: type[forms.BaseForm]) -> None:
    assert issubclass(cls, BoundedForm), f"{_name(cls)} should derive from BoundedForm"


def _constructor_kwargs(cls: type[forms.BaseForm], team: Team) -> dict[str, Any]:
    """What each form's __init__ asks for, by parameter name, from a small saved plan."""
    _, tasks = chain(team, "Round trip", launch=team.workspace.today() + dt.timedelta(60))
    supply: dict[str, Any] = {
        "workspace": team.workspace,
        "people": [team.owner, team.manager, team.member],
        "candidates": tasks,
        "tasks": tasks,
        "milestones": [t for t in tasks if t.kind != TaskKind.TASK],
        "channels": list(Channel.objects.filter(workspace=team.workspace)),
        "needs_workspace": True,
        "campaigns": [tasks[0].campaign],
        "capacities": capacity_people(team.workspace),
    }
    kwargs = {}
    for name, p in inspect.signature(cls.__init__).parameters.items():
        if p.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        assert name in supply or p.default is not inspect.Parameter.empty, (
            f"{_name(cls)} takes {name}=: say in _constructor_kwargs how to build one"
        )
        if name in supply:
            kwargs[name] = supply[name]
    return kwargs


def _dated_initial(cls: type[forms.BaseForm]) -> dict[str, Any]:
    here = timezone.get_current_timezone()
    initial: dict[str, Any] = {}
    for name, f in cls.base_fields.items():
        if isinstance(f, forms.DateTimeField):
            initial[name] = dt.datetime(2026, 12, 14, 9, 30, tzinfo=here)
        elif isinstance(f, forms.DateField):
            initial[name] = DAY
    return initial


@pytest.mark.parametrize("cls", DATED_FORMS, ids=_name)
def test_every_dated_form_posts_back_the_dates_it_shows(
    cls: type[forms.BaseForm], team: Team
) -> None:
    # given a form showing saved dates
    kwargs = _constructor_kwargs(cls, team)
    initial = _dated_initial(cls)
    shown = cls(None, initial=initial, **kwargs)
    # when a browser renders it and posts it back untouched
    page = html_forms(f"<form>{shown.as_div()}</form>")[0]
    posted = cls(MultiValueDict(page.post_data()), initial=initial, **kwargs)
    posted.is_valid()
    # then every date comes back as it was
    for name, value in initial.items():
        shown_as = page.raw[name]
        assert name not in posted.errors, f"{name}: {posted.errors[name]} (shown {shown_as!r})"
        assert posted.cleaned_data[name] == value, f"{name} shown as {page.raw[name]!r}"


def test_a_localised_date_input_loses_its_date_in_a_browser() -> None:
    """The check above can fail: en-gb's own format is what browsers refuse."""

    class Localised(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)

    page = html_forms(f"<form>{Localised(initial={'day': DAY}).as_div()}</form>")[0]
    assert page.raw["day"] == "14/12/2026"
    posted = Localised(MultiValueDict(page.post_data()))
    assert posted.is_valid() and posted.cleaned_data["day"] is None


def test_iso_widgets_render_what_browsers_accept() -> None:
    assert IsoDateInput().format_value(DAY) == "2026-12-14"
    at = dt.datetime(2026, 12, 14, 9, 30)
    assert IsoDateTimeInput().format_value(at) == "2026-12-14T09:30"
    assert IsoDateTimeInput().format_value(at.replace(second=5)) == "2026-12-14T09:30:05"
    assert browser_value("date", "14/12/2026") == ""
    assert browser_value("datetime-local", "14/12/2026 09:30:00") == ""


def _row(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    obj.refresh_from_db()
    return {f: getattr(obj, f) for f in fields}


def test_saving_a_brief_untouched_changes_nothing(team: Team) -> None:
    # given a campaign with a launch date, a budget and a channel
    launch = team.workspace.today() + dt.timedelta(days=90)
    channel = Channel.objects.create(workspace=team.workspace, name="Letter", key="h1-letter")
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Winter sale",
        objective="Clear the autumn stock.",
        launch_date=launch,
        budget=Decimal("12500.50"),
        platform_names=["Winter Sale 26", "WS26"],
        channels=[channel],
    )
    before = _row(campaign, BRIEF_FIELDS)
    client = client_for(team.manager)
    url = reverse("planning:campaign-edit", args=[team.workspace.slug, campaign.pk])
    # when the brief is opened and saved without touching anything
    html = client.get(url).content.decode()
    form = form_with(html, "launch_date")
    assert form.raw["launch_date"] == launch.isoformat()
    assert f'value="{launch.isoformat()}"' in html
    response = client.post(url, form.post_data())
    # then it is saved and nothing changed
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _row(campaign, BRIEF_FIELDS) == before
    assert list(campaign.channels.all()) == [channel]


def test_saving_a_task_untouched_changes_nothing(team: Team) -> None:
    # given a task with a start-no-earlier-than date and three-point estimates
    _, tasks = chain(team, "Spring", launch=team.workspace.today() + dt.timedelta(days=90))
    task = tasks[1]
    not_before = team.workspace.today() + dt.timedelta(days=20)
    task = task_update(
        actor=team.manager,
        task=task,
        version=task.version,
        not_before=not_before,
        optimistic_days=Decimal("1.5"),
        likely_days=Decimal("2"),
        pessimistic_days=Decimal("4"),
        effort_hours=Decimal("6.5"),
        owner=team.member.pk,
    )
    fields = [f for f in TASK_FIELDS if f not in ("version",)] + ["start_date", "due_date"]
    before = _row(task, fields)
    client = client_for(team.manager)
    url = reverse("planning:task", args=[team.workspace.slug, task.pk])
    # when the task page's form is posted back as the browser shows it
    html = client.get(url).content.decode()
    form = form_with(html, "not_before")
    assert form.raw["not_before"] == not_before.isoformat()
    response = client.post(url, form.post_data())
    # then nothing moved
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _row(task, fields) == before


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_saving_a_piece_untouched_keeps_its_slot(team: Team, zone: str) -> None:
    # a slot is typed as the workspace's wall-clock time, wherever the server is
    team.workspace.time_zone = zone
    team.workspace.save()
    channel = Channel.objects.create(workspace=team.workspace, name="Partner", key="h1-partner")
    slot = dt.datetime(2026, 12, 14, 9, 30, tzinfo=team.workspace.tzinfo)
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Gift guide",
        kind=PieceKind.choices[0][0],
        channel=channel.pk,
        stage=Stage.SCHEDULED,
        owner=team.member.pk,
        publish_at=slot,
    )
    before = _row(piece, PIECE_FIELDS)
    client = client_for(team.manager)
    url = reverse("publishing:piece", args=[team.workspace.slug, piece.pk])
    form = form_with(client.get(url).content.decode(), "publish_at")
    assert form.raw["publish_at"] == "2026-12-14T09:30"
    response = client.post(url, form.post_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _row(piece, PIECE_FIELDS) == before
    assert ContentPiece.objects.get(pk=piece.pk).publish_at == slot


def test_a_decimal_field_takes_its_digits_from_the_model() -> None:
    from headway.planning.forms import BriefForm, MetricForm

    budget = Campaign._meta.get_field("budget")
    assert isinstance(budget, models.DecimalField)
    field = BriefForm.base_fields["budget"]
    assert isinstance(field, forms.DecimalField)
    assert (field.max_digits, field.decimal_places) == (budget.max_digits, budget.decimal_places)
    target = MetricForm.base_fields["target"]
    assert isinstance(target, forms.DecimalField) and target.max_digits == 14


class _Plain(BoundedForm):
    """Fields declared as plain Django fields, as any new form will declare them."""

    name = forms.CharField(max_length=10, required=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    day = forms.DateField(required=False)


class _Child(_Plain):
    extra = forms.CharField(required=False)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "a\x00b", "Text may not contain NUL (\\x00) characters."),
        ("name", "a\ud800b", "Text contains an invalid character (a lone UTF-16 surrogate)."),
        ("name", "x" * 11, "At most 10 characters are allowed; this has 11."),
        ("count", str(2**63), "Must be at most 9,223,372,036,854,775,807."),
        ("count", str(-(2**63) - 1), "Must be at least -9,223,372,036,854,775,808."),
        ("amount", "1000", "Too large: at most 3 digits before the decimal point."),
        ("amount", "1.005", "At most 2 decimal places are allowed."),
        ("day", "1989-12-31", "Dates must fall between 1990-01-01 and 2200-12-31."),
        ("day", "2201-01-01", "Dates must fall between 1990-01-01 and 2200-12-31."),
    ],
)
@pytest.mark.parametrize("cls", [_Plain, _Child])
def test_every_field_type_is_bounded_once(
    cls: type[BoundedForm], field: str, value: str, message: str
) -> None:
    form = cls({field: value})
    assert not form.is_valid()
    assert form.errors == {field: [message]}


def test_values_within_bounds_pass() -> None:
    form = _Plain({"name": "ok", "count": str(2**63 - 1), "amount": "999.99", "day": "2200-12-31"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2200, 12, 31)
    assert isinstance(_Plain().fields["day"].widget, IsoDateInput)
