"""A brief's budget is money: owners, admins and managers see it; members do not, on the
campaign page, the brief's edit form, the campaign lists, the start page or the API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_update
from headway.planning.tests.factories import chain


@pytest.fixture
def campaign(team: Team) -> Campaign:
    campaign, _ = chain(team, "Spring launch")
    return campaign_update(
        actor=team.manager, campaign=campaign, version=campaign.version, budget=Decimal(12000)
    )


def _page(team: Team, who: str, path: str) -> tuple[int, str]:
    response = client_for(getattr(team, who)).get(f"/w/{team.workspace.slug}/{path}")
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("who", ["owner", "admin", "manager"])
def test_planners_see_the_budget_on_the_campaign_page_and_edit_form(
    team: Team, campaign: Campaign, who: str
) -> None:
    status, page = _page(team, who, f"campaigns/{campaign.pk}/")
    assert status == 200 and "<dt>Budget</dt>" in page and "12,000 USD" in page
    status, form = _page(team, who, f"campaigns/{campaign.pk}/edit/")
    assert status == 200 and 'name="budget"' in form and 'value="12000' in form


def test_members_see_the_brief_without_its_budget(team: Team, campaign: Campaign) -> None:
    status, page = _page(team, "member", f"campaigns/{campaign.pk}/")
    assert status == 200 and "Spring launch" in page and "<dt>Audience</dt>" in page
    assert "<dt>Budget</dt>" not in page and "12,000" not in page and "12000" not in page
    # a member cannot change a brief, so gets no form holding the budget either
    status, form = _page(team, "member", f"campaigns/{campaign.pk}/edit/")
    assert status == 403 and "12000" not in form and "12,000" not in form
    for path in ("campaigns/", "start/", ""):
        status, other = _page(team, "member", path)
        assert status == 200, path
        assert "12,000" not in other and "12000" not in other, path


@pytest.mark.parametrize("who", ["member", "manager"])
def test_the_campaign_api_answers_carry_no_budget(team: Team, campaign: Campaign, who: str) -> None:
    _, raw = token_create(actor=getattr(team, who), name="api")
    client = client_for(getattr(team, who))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    base = f"/api/v1/workspaces/{team.workspace.slug}/campaigns"
    listed = client.get(base, **auth)
    detail = client.get(f"{base}/{campaign.pk}", **auth)
    assert listed.status_code == detail.status_code == 200
    assert [c["id"] for c in listed.json()] == [campaign.pk]
    assert detail.json()["name"] == "Spring launch"
    for answer in (listed.json()[0], detail.json()):
        assert "budget" not in answer and "12000" not in str(answer)
