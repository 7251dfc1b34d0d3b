"""Form widgets shared by the apps.

`OnePassSelect` is a flat select whose options are drawn in one pass with `core.markup`
(every value and label escaped). Django's Select builds a dictionary per option and renders
a template per option, which measured most of a page's time for menus of hundreds or
thousands of options: a big plan's tasks (planning), a workspace's campaigns and people on
the diagnosis pages' filters (insights)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from headway.core.markup import fragment, joined

_OPTION = '<option value="{}">{}</option>'
_OPTION_CHOSEN = '<option value="{}" selected>{}</option>'
_OPEN = '<select name="{}"{}>'
_CLOSE = SafeString("</select>")


class OnePassSelect(forms.Select):
    """A select of flat (value, label) choices, drawn in one pass; no option groups. A None
    value is the empty option (value ""); the option whose value is the field's is selected."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = joined(
            fragment(_OPTION_CHOSEN if key in chosen else _OPTION, key, str(label))
            for key, label in (("" if v is None else str(v), label) for v, label in self.choices)
        )
        head = fragment(_OPEN, name, flatatt(self.build_attrs(self.attrs, attrs)))
        return joined((head, options, _CLOSE))
