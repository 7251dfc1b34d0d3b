"""The calendar's chips escape titles and names typed by people."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.planning.models import Campaign, Channel
from headway.planning.tests.factories import chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quote'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quote&#x27;"


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_calendar_chips_escape_piece_titles_and_campaign_names(team: Team) -> None:
    # given: a launch and a piece in March, both named with markup and quotes
    campaign, _ = chain(team, launch=dt.date(2026, 3, 20))
    Campaign.objects.filter(pk=campaign.pk).update(name=HOSTILE)
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title=HOSTILE,
        kind="email",
        channel=Channel.objects.filter(workspace=team.workspace).first().pk,  # type: ignore[union-attr]
        stage="drafting",
        owner=team.member.pk,
        publish_at=dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC),
    )
    # when
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/calendar/?month=2026-03")
    page = html.content.decode()
    # then
    assert "<script>" not in page
    assert f"▲ {ESCAPED}</a>" in page
    assert f'data-piece="{piece.pk}"' in page and f": {ESCAPED}</a>" in page
