"""Form pieces every form shares: ISO date widgets and the input bounds of headway.core.bounds.

Every form derives from BoundedForm, whose metaclass applies the bounds to each declared field
once, by the field's type, so no field is left unchecked because someone forgot it.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.forms.forms import DeclarativeFieldsMetaclass
from django.utils import timezone

from headway.core.bounds import OutOfBounds, check_date, check_decimal, check_int, check_text
from headway.core.errors import DomainError

# Browsers accept only these in a date or datetime-local input, whatever the page's language;
# a localised value (14/12/2026) shows as empty and is then saved as empty.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_DATETIME_SECONDS = "%Y-%m-%dT%H:%M:%S"


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error on the field it names, or on the form as a whole when that
    field is not one the person sees (a hidden version: the edit was stale)."""
    shown = exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
    field = exc.field if shown else None
    form.add_error(field, exc.message)


class IsoDateInput(forms.DateInput):
    """`<input type="date">` whose value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class IsoDateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` whose value is always ISO; seconds are kept when there
    are any, so a saved time posts back unchanged."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime) and value.second:
            return value.strftime(ISO_DATETIME_SECONDS)
        return super().format_value(value)


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed as the wall-clock time of `zone` (the workspace's), not of the
    server: shown in it, and read back in it, so saving a slot untouched does not move it."""

    zone: dt.tzinfo | None = None

    def prepare_value(self, value: Any) -> Any:
        if self.zone is not None and isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.zone).replace(tzinfo=None)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> dt.datetime | None:
        result = super().to_python(value)  # aware, in the server's current time zone
        if result is None or self.zone is None:
            return result
        return timezone.make_aware(timezone.make_naive(result), self.zone)


def _refusing(check: Callable[..., object], **limits: Any) -> Callable[[Any], None]:
    """A form validator from a bounds check: the check's message becomes the field's error."""

    def validate(value: Any) -> None:
        try:
            check(value, **limits)
        except OutOfBounds as exc:
            raise ValidationError(str(exc), code="out_of_bounds") from None

    return validate


# Django's own validators for the same limits; each is replaced, so a field shows one message.
_REPLACED = (
    django_validators.MaxLengthValidator,
    django_validators.ProhibitNullCharactersValidator,
    django_validators.DecimalValidator,
)


def _bound(name: str, field: forms.Field) -> None:
    """Adds the bounds of the field's type to `field`: text, integers, decimals, dates."""
    field.validators = [v for v in field.validators if not isinstance(v, _REPLACED)]
    if isinstance(field, forms.CharField):
        field.validators.append(_refusing(check_text, max_length=field.max_length))
    elif isinstance(field, forms.DecimalField):  # before IntegerField, its parent class
        if field.max_digits is None or field.decimal_places is None:
            raise ImproperlyConfigured(
                f"{name}: a DecimalField needs max_digits and decimal_places (model_decimal)."
            )
        limits = {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
        field.validators.append(_refusing(check_decimal, **limits))
    elif isinstance(field, forms.IntegerField):
        field.validators.append(_refusing(check_int))
    elif isinstance(field, forms.DateTimeField):
        field.validators.append(_refusing(check_date))
        if not isinstance(field.widget, (IsoDateTimeInput, forms.HiddenInput)):
            field.widget = IsoDateTimeInput(attrs=_own_attrs(field.widget))
    elif isinstance(field, forms.DateField):
        field.validators.append(_refusing(check_date))
        if not isinstance(field.widget, (IsoDateInput, forms.HiddenInput)):
            field.widget = IsoDateInput(attrs=_own_attrs(field.widget))


def _own_attrs(widget: forms.Widget) -> dict[str, Any]:
    return {k: v for k, v in widget.attrs.items() if k != "type"}


_BOUNDED: weakref.WeakSet[forms.Field] = weakref.WeakSet()


class BoundedFormMetaclass(DeclarativeFieldsMetaclass):
    """Applies the input bounds to every declared field when the form class is made."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class = super().__new__(mcs, name, bases, attrs)
        fields: dict[str, forms.Field] = new_class.base_fields  # type: ignore[attr-defined]
        for field_name, field in fields.items():
            if field not in _BOUNDED:  # a parent's fields are shared with its subclasses
                _bound(f"{name}.{field_name}", field)
                _BOUNDED.add(field)
        return new_class


class BoundedForm(forms.Form, metaclass=BoundedFormMetaclass):
    """The base of every Headway form: refuses what the database cannot hold or the calendar
    cannot schedule, and renders dates as browsers read them."""


def model_decimal(model: type[models.Model], name: str, **kwargs: Any) -> forms.DecimalField:
    """A form DecimalField with the digits of the model's column, so the two cannot drift."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField), f"{model.__name__}.{name} is not decimal"
    return forms.DecimalField(
        max_digits=column.max_digits, decimal_places=column.decimal_places, **kwargs
    )
