"""A campaign made from the "Paid social burst" template carries the template's channel, and
its page shows the learnings tagged with its template or channels (the team's only)."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import Team, client_for
from headway.planning.models import CampaignTemplate, Channel
from headway.planning.services.templates import campaign_from_template
from headway.results.reviews.services import learning_add

pytestmark = pytest.mark.django_db
LAUNCH = dt.date(2026, 12, 14)


def _template(team: Team, name: str = "Paid social burst") -> CampaignTemplate:
    return CampaignTemplate.objects.get(workspace=team.workspace, name=name)


def _channel(team: Team, key: str) -> Channel:
    return Channel.objects.get(workspace=team.workspace, key=key)


def test_the_templates_channel_carries_over_when_the_brief_names_none(team: Team) -> None:
    burst = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=_template(team),
        name="Burst",
        launch_date=LAUNCH,
    )
    assert [c.key for c in burst.channels.all()] == ["paid_social"]
    chosen = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=_template(team),
        name="Chosen",
        launch_date=LAUNCH,
        channels=[_channel(team, "email")],
    )
    assert [c.key for c in chosen.channels.all()] == ["email"]  # the brief's choice wins
    webinar = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=_template(team, "Webinar"),
        name="Webinar",
        launch_date=LAUNCH,
    )
    assert list(webinar.channels.all()) == []  # a template without a channel gives none


def test_campaign_page_shows_learnings_of_its_template_and_channels(team: Team) -> None:
    burst = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=_template(team),
        name="Burst",
        launch_date=LAUNCH,
    )
    learning_add(
        actor=team.member,
        workspace=team.workspace,
        text="Video beat stills three to one",
        template_id=_template(team).pk,
    )
    learning_add(
        actor=team.member,
        workspace=team.workspace,
        text="Retarget over fourteen days",
        channel_id=_channel(team, "paid_social").pk,
    )
    learning_add(
        actor=team.member,
        workspace=team.workspace,
        text="Send newsletters on Tuesdays",
        channel_id=_channel(team, "email").pk,
    )
    ws = team.workspace.slug
    fragment = f"/w/{ws}/learnings/campaign/{burst.pk}/"
    page = client_for(team.member).get(f"/w/{ws}/campaigns/{burst.pk}/")
    assert page.status_code == 200 and fragment.encode() in page.content
    shown = client_for(team.member).get(fragment).content.decode()
    assert "Video beat stills" in shown and "Retarget over fourteen days" in shown
    assert "Send newsletters" not in shown
    assert "From campaigns made from the same template" in shown
    for role in ("freelancer", "client"):
        answer = client_for(getattr(team, role)).get(fragment)
        assert answer.status_code in (403, 404) and b"Video beat" not in answer.content
