"""The one-pass select: the markup Django's Select would give for flat choices (a value
chosen, the empty option, attributes), every value and label escaped; planning's long menus
and insights' filters both draw with it."""

from __future__ import annotations

import re

from django import forms

from headway.core.widgets import OnePassSelect
from headway.insights.filter_select import FilterSelect
from headway.planning.forms import LongSelect


class _Form(forms.Form):
    task = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, widget=OnePassSelect
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["task"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (7, "Brief <draft> & “notes”"),
            (12, 'Say "yes"'),
        ]


def test_the_chosen_option_is_selected_and_everything_is_escaped() -> None:
    html = str(_Form({"task": "12"})["task"])
    assert html == (
        '<select name="task" id="id_task">'
        '<option value="">—</option>'
        '<option value="7">Brief &lt;draft&gt; &amp; “notes”</option>'
        '<option value="12" selected>Say &quot;yes&quot;</option>'
        "</select>"
    )


def test_no_value_or_the_empty_value_selects_the_empty_option_as_django_does() -> None:
    for form in (_Form(), _Form({"task": ""})):
        html = str(form["task"])
        assert '<option value="" selected>—</option>' in html and html.count(" selected") == 1
    assert '<option value="7" selected>' in str(_Form(initial={"task": 7})["task"])


def test_a_none_value_is_the_empty_option_and_attributes_follow_djangos_rules() -> None:
    widget = OnePassSelect(attrs={"class": 'a"b', "disabled": True, "hidden": False})
    widget.choices = [(None, "Any"), ("x<y", "X")]
    html = widget.render("who", None, attrs={"id": "id_who"})
    assert html == (
        '<select name="who" class="a&quot;b" id="id_who" disabled>'
        '<option value="" selected>Any</option><option value="x&lt;y">X</option></select>'
    )
    assert 'value="x&lt;y" selected' in widget.render("who", "x<y")


def test_the_same_markup_as_djangos_select_for_flat_choices() -> None:
    choices = [("", "—"), (1, "One & two"), (2, "<b>Three</b>")]
    mine, django = OnePassSelect(), forms.Select()
    mine.choices = django.choices = choices
    for value in (None, "", 2, "1"):
        theirs = django.render("n", value, attrs={"id": "id_n"})
        ours = mine.render("n", value, attrs={"id": "id_n"})
        assert ours == re.sub(r">\s+<", "><", theirs)


def test_planning_and_insights_draw_with_the_one_select() -> None:
    assert LongSelect is OnePassSelect and FilterSelect is OnePassSelect
