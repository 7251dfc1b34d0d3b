"""A refused approval link dates its use or expiry in the workspace's time zone, as the
email that carried it does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.approvals.services import LinkRefused, approval_start, link_create, link_decide
from headway.approvals.tests.factories import founder_chain
from headway.conftest import Team
from headway.planning.tests.factories import chain as plan_chain


@time_machine.travel(dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC), tick=False)
def test_a_used_or_expired_link_says_when_in_new_york_time(team: Team) -> None:
    # given a New York workspace and an approval waiting on the owner
    team.workspace.time_zone = "America/New_York"
    team.workspace.save()
    _, tasks = plan_chain(team)
    request = approval_start(actor=team.manager, task=tasks[0], chain=founder_chain(team))
    used = link_create(request=request, user=team.owner)
    unused = link_create(request=request, user=team.owner)
    link_decide(raw=used, verdict="approve")
    # when the used link is opened again: 14:05 UTC is 09:05 in New York (winter time)
    with pytest.raises(LinkRefused) as refused:
        link_decide(raw=used, verdict="approve")
    assert str(refused.value) == "This link was already used on 2 March at 09:05 America/New_York."
    # when the other link is opened after its 72 hours
    with (
        time_machine.travel(dt.datetime(2026, 3, 6, 12, tzinfo=dt.UTC)),
        pytest.raises(LinkRefused) as expired,
    ):
        link_decide(raw=unused, verdict="approve")
    assert str(expired.value).startswith("This link expired on 5 March at 09:05 America/New_York.")
