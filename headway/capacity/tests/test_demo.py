"""The demo's capacity: everyone set, Alex on Tuesday to Thursday, Priya over her hours in two
weeks' time, and Sam's time off left to enter, with Maya proposed as cover."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.accounts.models import User
from headway.capacity import selectors
from headway.capacity.cover import cover_preview
from headway.capacity.demo import demo_capacity
from headway.core.demo import HARBOR_AND_PINE, HARBOR_PEOPLE, _workspace
from headway.planning.demo import demo_planning
from headway.planning.models import TimeOff
from headway.workspaces.models import WorkspaceKind


@pytest.mark.django_db
def test_demo_capacity() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        # given the demo's people and campaigns
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        # when
        demo_capacity(harbor)
        demo_capacity(harbor)  # a second run changes nothing
        # then
        people = {p.name.split(" ")[0]: p for p in selectors.capacity_people(harbor)}
        assert not any(p.is_default for p in people.values())
        assert people["Alex"].weekdays == "123" and people["Alex"].day_rate is not None
        view = selectors.load_view(harbor)
        priya = next(r for r in view.rows if r.label == "Priya Shah")
        assert priya.cells[2].over and not priya.cells[1].over
        assert priya.cells[2].booked == pytest.approx(56.0)
        sam = User.objects.get(email="sam@harborpine.example")
        assert not TimeOff.objects.filter(user=sam).exists()
        preview = cover_preview(
            workspace=harbor,
            user_id=sam.pk,
            first_day=dt.date(2026, 11, 30),
            last_day=dt.date(2026, 12, 11),
        )
        moving = preview.launches_moving
        assert [m.name for m in moving] == ["Harbor Days festival film"]
        [captions] = [t for t in preview.tasks if t.title == "Captions and cut-downs"]
        assert captions.candidates[0].name == "Maya Lindqvist"
        assert captions.candidates[0].recovers
