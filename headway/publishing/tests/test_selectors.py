"""The publishing selectors: what a member sees of the pipeline, over a range of days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from headway.conftest import Team
from headway.publishing.selectors import pieces_between
from headway.publishing.tests.factories import draft

pytestmark = pytest.mark.django_db


def test_pieces_between_reads_days_in_the_workspace_zone(team: Team) -> None:
    # given a New York workspace with pieces late on the 9th and early on the 10th (local)
    team.workspace.time_zone = "America/New_York"
    team.workspace.save()
    ny = zoneinfo.ZoneInfo("America/New_York")
    late = draft(team, "Late", publish_at=dt.datetime(2027, 3, 9, 23, 30, tzinfo=ny))
    early = draft(team, "Early", publish_at=dt.datetime(2027, 3, 10, 0, 30, tzinfo=ny))
    manager = team.membership(team.manager)
    # when the 10th is asked for, then only the piece of the 10th comes back
    assert pieces_between(manager, dt.date(2027, 3, 10), dt.date(2027, 3, 11)) == [early]
    assert pieces_between(manager, None, dt.date(2027, 3, 10)) == [late]
    assert set(pieces_between(manager, None, None)) == {late, early}


def test_pieces_between_shows_an_outsider_only_their_share(team: Team) -> None:
    draft(team, "Team piece", publish_at=dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC))
    assert pieces_between(team.membership(team.freelancer), None, None) == []
