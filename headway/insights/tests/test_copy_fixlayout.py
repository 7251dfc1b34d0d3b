"""Copy on the dashboard and the waits page reads as English: an item waiting on you names
its owner once and says it is on you; a chart of zeros says so in a sentence."""

from __future__ import annotations

import pytest

from headway.approvals.services import approval_decide, approval_start
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team, client_for
from headway.planning.models import Task
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db


def test_work_waiting_on_you_names_its_owner_once_and_is_on_you(team: Team) -> None:
    _, tasks = plan_chain(team, "Autumn film")
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    Task.objects.filter(pk=tasks[1].pk).update(owner=team.freelancer)
    page = client_for(team.member).get(f"/w/{team.workspace.slug}/").content.decode()
    start = page.index('data-kind="waits_on_you"')
    item = page[start : page.index("</li>", start)]
    assert f"Step 2 ({team.freelancer.name}) waits on your Step 1" in item
    assert item.count(team.freelancer.name) == 1, item
    assert "on <strong>you</strong>" in item


def test_a_waits_chart_of_zeros_says_so_in_english(team: Team) -> None:
    # a request approved the moment it was sent: the approver's wait is 0 working days
    _, tasks = plan_chain(team, "Quick yes")
    request = approval_start(actor=team.manager, task=tasks[0], chain=founder_chain(team))
    approval_decide(actor=team.owner, request=request, verdict="approve", step=0, round=1)
    day = team.workspace.today()
    page = (
        client_for(team.manager)
        .get(f"/w/{team.workspace.slug}/waits/?from={day:%Y-%m-01}&to={day:%Y-%m-%d}")
        .content.decode()
    )
    assert "No step waited on its approvers in this period: every wait is 0 working days" in page
    assert "Every working days waited" not in page
