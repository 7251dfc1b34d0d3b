"""Markup for the hot loops of long pages (a 300-task plan's rows and its Gantt chart, the
board's cards, a busy month's calendar chips), where a template loop measured several times
the cost of the rest of the page (bench/pages.py). Everything else is drawn by templates.

Django's safe-string rules apply: `fragment` passes every value through conditional_escape
(a SafeString, such as another fragment, stays as it is) and marks only the result safe;
`joined` joins fragments, escaping anything that is not one."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def fragment(markup: str, *values: str | int) -> SafeString:
    """`markup` (a constant: trusted) with each `{}` filled by an escaped value."""
    return mark_safe(markup.format(*(conditional_escape(str(v)) for v in values)))


def joined(parts: Iterable[str]) -> SafeString:
    """The parts one after another; any part that is not already safe is escaped."""
    return mark_safe("".join(conditional_escape(p) for p in parts))
