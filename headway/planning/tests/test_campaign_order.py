"""The campaigns list reads the way a manager works: what is still being worked comes first,
soonest launch first, and finished campaigns follow, the latest launch first."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from headway.conftest import Team
from headway.planning import selectors
from headway.planning.models import Campaign, CampaignStatus
from headway.planning.services.campaigns import campaign_create

TODAY = dt.date(2026, 3, 2)


def _campaign(team: Team, name: str, status: str, launch: dt.date | None) -> Campaign:
    c = campaign_create(actor=team.manager, workspace=team.workspace, name=name)
    # set directly: a launch in the past is refused on create, and the history is the point
    Campaign.objects.filter(pk=c.pk).update(status=status, launch_date=launch)
    return c


def _mix(team: Team) -> None:
    _campaign(team, "Old launch", CampaignStatus.LAUNCHED, dt.date(2025, 6, 1))
    _campaign(team, "Undated idea", CampaignStatus.DRAFT, None)
    _campaign(team, "Closed long ago", CampaignStatus.CLOSED, dt.date(2024, 1, 10))
    _campaign(team, "Next autumn", CampaignStatus.PLANNED, dt.date(2026, 9, 1))
    _campaign(team, "Recent launch", CampaignStatus.IN_REVIEW, dt.date(2026, 2, 20))
    _campaign(team, "Launching soon", CampaignStatus.IN_PROGRESS, dt.date(2026, 3, 10))
    _campaign(team, "Cancelled", CampaignStatus.CANCELLED, dt.date(2026, 1, 5))


EXPECTED = [
    # still being worked: soonest launch first, undated last among them
    "Launching soon",
    "Next autumn",
    "Undated idea",
    # launched, in review, closed, cancelled: the latest launch first
    "Recent launch",
    "Cancelled",
    "Old launch",
    "Closed long ago",
]


def test_open_campaigns_first_by_launch_then_finished_ones_latest_first(team: Team) -> None:
    _mix(team)
    names = [c.name for c in selectors.campaigns_list(team.workspace, TODAY)]
    assert names == EXPECTED


def test_the_campaigns_page_lists_them_in_that_order_and_stacks_on_a_phone(
    team: Team, owner_client: Client
) -> None:
    _mix(team)
    html = owner_client.get(f"/w/{team.workspace.slug}/campaigns/").content.decode()
    at = [html.index(f">{name}</a>") for name in EXPECTED]
    assert at == sorted(at)
    # the table turns into cards on a phone, each value labelled
    assert 'class="table stack-on-phone"' in html
    for label in ("Status", "Launch", "Owner", "Next milestone", "Problems"):
        assert f'data-label="{label}"' in html
