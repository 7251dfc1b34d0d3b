"""The demo's capacity: everyone set, Alex on Tuesday to Thursday, Priya over her hours in two
weeks' time and nobody else over theirs, and Sam's time off left to enter, with Maya (the
founder, the only other person tagged for social work) proposed as cover, saying why; Chris
runs the paid ads, so a what-if from the "Paid social burst" template staffs every task."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.accounts.models import User
from headway.capacity import selectors
from headway.capacity.cover import cover_preview
from headway.capacity.demo import demo_capacity
from headway.capacity.levelled import levelled_view
from headway.capacity.scenarios import scenario_create
from headway.core.demo import HARBOR_AND_PINE, HARBOR_PEOPLE, _workspace
from headway.planning.demo import demo_planning
from headway.planning.models import CampaignTemplate, Task, TimeOff
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
        # 40 h of the shop window display, 32 of retouching
        assert priya.cells[2].booked == pytest.approx(72.0)
        # Creative concepts (sent to Maya for approval by the approvals demo) keeps its plan
        concepts = Task.objects.get(campaign__name="Trail shoe launch", title="Creative concepts")
        assert concepts.not_before is None
        # nobody else is over their hours in any week, nor needs more hours a day than they have
        others = [r for r in view.rows if r.label != "Priya Shah"]
        assert others and not any(c.over for r in others for c in r.cells)
        levelled = levelled_view(harbor)
        assert {o.owner for o in levelled.over_day} == {"Priya"}
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
        [maya] = captions.candidates
        assert maya.name == "Maya Lindqvist"
        assert maya.fit == (
            "does social work; the workspace owner, and the only other person who does social work"
        )
        assert people["Chris"].skill == "paid_ads"


@pytest.mark.django_db
def test_a_what_if_from_the_paid_social_burst_staffs_every_task() -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False):
        # given the demo's people, campaigns and capacity
        harbor = _workspace(HARBOR_AND_PINE, WorkspaceKind.ORGANISATION, HARBOR_PEOPLE)
        demo_planning(harbor)
        demo_capacity(harbor)
        template = CampaignTemplate.objects.get(workspace=harbor, name="Paid social burst")
        # when a what-if tries it
        scenario = scenario_create(
            actor=User.objects.get(email="jordan@harborpine.example"),
            workspace=harbor,
            template_id=template.pk,
            launch_date=dt.date(2027, 1, 15),
            trials=500,
            compute=True,
        )
        # then every task has an owner, and nothing is left to nobody
        answer = scenario.result
        assert answer is not None and not answer["impossible"]
        assert answer["warnings"] == []
        # (the launch and the results review are milestones: nobody's work)
        work = [t for t in answer["campaign"]["tasks"] if t["role"]]
        assert len(work) == 5 and all(t["owner"] for t in work)
        owners = {t["title"]: t["owner"] for t in work}
        assert owners["Audiences and budget split"] == "Chris Dube"
        assert owners["Campaign setup and tracking"] == "Chris Dube"
        assert owners["Optimise after the first week"] == "Chris Dube"
