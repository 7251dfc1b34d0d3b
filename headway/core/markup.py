"""Markup for the hot loops of long pages (a 300-task plan's rows and its Gantt chart, the
board's cards, a busy month's calendar chips), where a template loop measured several times
the cost of the rest of the page (bench/pages.py). Everything else is drawn by templates.

Django's safe-string rules apply: `fragment` passes every value through conditional_escape
(a SafeString, such as another fragment, stays as it is) and marks only the result safe;
`joined` joins fragments, escaping anything that is not one."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString


def _escaped(value: Any) -> str:
    # Django's conditional_escape gives the same text; it is skipped here because its lazy-
    # string and decorator checks cost more than the escaping itself on a 300-row page.
    # Plain str and int (most values: ids, titles) come first, without the __html__ probe;
    # SafeString is a subclass of str, so it is not `type(value) is str`.
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def fragment(markup: str, *values: str | int) -> SafeString:
    """`markup` (a constant: trusted) with each `{}` filled by an escaped value."""
    # SafeString(text) is what mark_safe(text) returns for a str, without its lazy-string
    # wrapper (a 1,000-task plan's page makes some 3,000 fragments).
    return SafeString(markup.format(*map(_escaped, values)))


def joined(parts: Iterable[str]) -> SafeString:
    """The parts one after another; any part that is not already safe is escaped."""
    return SafeString("".join(map(_escaped, parts)))
