"""Reads forms out of rendered HTML and posts back what a browser would post."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What a browser keeps of an input's value attribute; anything else it shows, and posts, as "".
_BROWSER_VALUES = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "number": re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"),
}


def browser_value(input_type: str, value: str) -> str:
    """The value a browser posts for an untouched input whose value attribute is `value`."""
    pattern = _BROWSER_VALUES.get(input_type)
    if pattern is not None and not pattern.fullmatch(value):
        return ""
    return value


@dataclass
class HtmlForm:
    action: str
    # name -> the values posted, in order; several for checkboxes or multiple selects
    values: dict[str, list[str]] = field(default_factory=dict)
    # name -> the input's type ("date", "select", "textarea", ...)
    types: dict[str, str] = field(default_factory=dict)
    # name -> the raw value attribute, before the browser's reading of it
    raw: dict[str, str] = field(default_factory=dict)

    def post_data(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.values.items() if v}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._select_multiple = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = HtmlForm(action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._select_chosen = a["name"], None, False
            self._select_multiple = "multiple" in a
            self._form.types[a["name"]] = "select"
            self._form.values.setdefault(a["name"], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form.values[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
            self._form.types[a["name"]] = "textarea"

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind, value = a["name"], a.get("type", "text"), a.get("value", "")
        self._form.types[name] = kind
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        values = self._form.values.setdefault(name, [])
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                values.append(value or "on")
            return
        self._form.raw[name] = value
        values.append(browser_value(kind, value))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            # a single select with nothing marked posts its first option
            if not (self._select_chosen or self._select_multiple or self._select_first is None):
                self._form.values[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # browsers drop the one newline that may follow <textarea>
            self._form.values[self._textarea] = ["".join(self._text).removeprefix("\n")]
            self._textarea = None


def html_forms(html: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str) -> HtmlForm:
    """The one form of the page that has a field named `field_name`."""
    found = [f for f in html_forms(html) if field_name in f.types]
    assert len(found) == 1, f"{len(found)} forms with a field {field_name!r}"
    return found[0]
