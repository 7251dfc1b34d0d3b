"""POST views that send the browser back to a `next` follow it only when it stays on the site."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from headway.conftest import Team, client_for
from headway.core.redirects import next_or, next_url
from headway.planning.services.campaigns import channels_ensure
from headway.planning.tests.factories import chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db

OFFSITE = ["https://evil.example/w/x/", "//evil.example/w/x/", "/\\evil.example", "javascript:x"]


@pytest.mark.parametrize("candidate", OFFSITE)
def test_an_offsite_next_is_ignored(candidate: str) -> None:
    request = RequestFactory().post("/", {"next": candidate})
    assert next_url(request) is None
    assert next_or(request, "/fallback/") == "/fallback/"


def test_a_local_next_is_followed() -> None:
    request = RequestFactory().post("/", {"next": "/w/alpha/board/?person=3"})
    assert next_or(request, "/fallback/") == "/w/alpha/board/?person=3"


@pytest.mark.parametrize("candidate", ["https://evil.example/", "//evil.example/x"])
def test_task_status_piece_move_and_launch_move_refuse_offsite_next(
    team: Team, candidate: str
) -> None:
    # given: a task, a piece and a campaign the manager may change
    campaign, tasks = chain(team, launch=dt.date(2030, 3, 20))
    blog = next(c for c in channels_ensure(team.workspace) if c.key == "blog")
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Post",
        kind="social_post",
        channel=blog.pk,
        stage="drafting",
        owner=team.member.pk,
        publish_at=dt.datetime(2030, 1, 7, 9, 30, tzinfo=dt.UTC),
    )
    client = client_for(team.manager)
    ws = team.workspace.slug
    posts = [
        (f"/w/{ws}/tasks/{tasks[0].pk}/status/", {"status": "", "next": candidate}),
        (
            f"/w/{ws}/content/{piece.pk}/move/",
            {"day": "2030-01-10", "version": piece.version, "next": candidate},
        ),
        (f"/w/{ws}/campaigns/{campaign.pk}/launch/move/", {"day": "", "next": candidate}),
    ]
    for url, data in posts:
        # when
        response = client.post(url, data)
        # then
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"/w/{ws}/"), (url, response["Location"])
