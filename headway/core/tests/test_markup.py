"""core.markup escapes exactly as Django's conditional_escape, whatever the value's type
(its fast paths for str and int must not change the text)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from headway.core.markup import fragment, joined


class Named:
    def __str__(self) -> str:
        return "<Named & co>"


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(\"x\")</script> & 'quote'",
        "",
        "plain",
        0,
        42,
        True,
        None,
        2.5,
        Named(),
        SafeString("<b>kept</b>"),
        mark_safe("<i>kept</i>"),
        fragment("<p>{}</p>", "<x>"),
    ],
)
def test_values_are_escaped_as_conditional_escape_does(value: Any) -> None:
    expected = str(conditional_escape(value))
    assert fragment("[{}]", value) == f"[{expected}]"
    assert joined([value]) == expected
    assert isinstance(fragment("{}", value), SafeString)
