"""Pages that create plans are the planners': a member asking for one gets the refusal a
post gets (403, saying who may), and no link to them is shown to a member."""

from __future__ import annotations

import pytest

from headway.conftest import Team, client_for
from headway.planning.models import Campaign, CampaignTemplate

REFUSAL = "Only owners, admins and managers create campaigns"


@pytest.mark.django_db
def test_a_member_is_refused_the_new_campaign_page_as_the_post_is(team: Team) -> None:
    # given
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/campaigns/new/"
    # when
    page = client.get(url)
    posted = client.post(url, {"mode": "blank", "name": "Mine", "currency": "USD"})
    # then
    assert page.status_code == 403
    assert REFUSAL in page.content.decode()
    assert posted.status_code == 403
    assert REFUSAL in posted.content.decode()
    assert not Campaign.objects.filter(workspace=team.workspace, name="Mine").exists()
    assert client_for(team.manager).get(url).status_code == 200


@pytest.mark.django_db
def test_a_member_sees_no_link_to_create_a_campaign(team: Team) -> None:
    slug = team.workspace.slug
    template = CampaignTemplate.objects.get(workspace=team.workspace, name="Product launch")
    new = f"/w/{slug}/campaigns/new/"
    pages = [
        f"/w/{slug}/campaigns/",
        f"/w/{slug}/templates/",
        f"/w/{slug}/templates/{template.pk}/",
    ]
    member, manager = client_for(team.member), client_for(team.manager)
    for url in pages:
        seen = member.get(url)
        assert seen.status_code == 200, url
        assert new not in seen.content.decode(), url
        assert new in manager.get(url).content.decode(), url


@pytest.mark.django_db
def test_a_member_is_refused_the_other_planners_pages(team: Team) -> None:
    slug = team.workspace.slug
    client = client_for(team.member)
    for url in (f"/w/{slug}/results/import/", f"/w/{slug}/capacity/scenarios/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_a_members_campaign_page_offers_no_form_that_creates_plan_items(team: Team) -> None:
    from headway.planning.tests.factories import chain

    campaign, _ = chain(team)
    slug, pk = team.workspace.slug, campaign.pk
    page = client_for(team.member).get(f"/w/{slug}/campaigns/{pk}/").content.decode()
    for action in ("tasks/", "conditions/", "metrics/", "save-template/"):
        url = f"/w/{slug}/campaigns/{pk}/{action}"
        assert f'action="{url}"' not in page, action
        assert (
            f'action="{url}"'
            in client_for(team.manager).get(f"/w/{slug}/campaigns/{pk}/").content.decode()
        ), action
