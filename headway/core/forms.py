from __future__ import annotations

from django import forms

from headway.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error on the field it names, or on the form as a whole."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
