"""Stored rows follow a campaign's new UTM value or platform names; previews nobody confirmed
are removed after a day."""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create, campaign_update
from headway.results import selectors
from headway.results.mapping import mapping_save
from headway.results.models import ResultRow
from headway.results.services import import_stage, import_store, staged_file

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_previews_older_than_a_day_are_removed_when_another_is_staged(
    team: Team, other_team: Team, media: Path
) -> None:
    old = import_stage(workspace=team.workspace, data=b"a,b\n1,2\n")
    elsewhere = import_stage(workspace=other_team.workspace, data=b"c,d\n3,4\n")
    recent = import_stage(workspace=team.workspace, data=b"e,f\n5,6\n")
    two_days_ago = time.time() - 2 * 86400
    for ws, file_hash in ((team.workspace, old), (other_team.workspace, elsewhere)):
        path = default_storage.path(f"imports/staged/{ws.pk}/{file_hash}")
        os.utime(path, (two_days_ago, two_days_ago))
    new = import_stage(workspace=team.workspace, data=b"g,h\n7,8\n")
    assert staged_file(team.workspace, new) == b"g,h\n7,8\n"
    assert staged_file(team.workspace, recent) == b"e,f\n5,6\n"  # a few seconds old: kept
    for ws, file_hash in ((team.workspace, old), (other_team.workspace, elsewhere)):
        with pytest.raises(DomainError):
            staged_file(ws, file_hash)


def _spend_rows(team: Team) -> Campaign:
    """A campaign named on the platform "Old name"; March rows named "Old name" (100) and
    "New name" (250)."""
    campaign = campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Renamed",
        platform_names=["Old name"],
        utm_campaign="renamed",
    )
    mapping_save(
        actor=team.owner,
        workspace=team.workspace,
        name="Shop Ads",
        columns=[["Campaign", "campaign"], ["Date", "day"], ["Cost", "spend"]],
        channel="paid_social",
    )
    data = b"Campaign,Date,Cost\nOld name,2026-03-02,100.00\nNew name,2026-03-03,250.00\n"
    import_store(actor=team.owner, workspace=team.workspace, data=data)
    return campaign


def _spend_of(team: Team, campaign_id: int | None) -> Decimal:
    lines = selectors.results_report(team.workspace, MARCH).by_campaign
    return next(
        (line.figures["spend"] for line in lines if line.campaign_id == campaign_id), Decimal(0)
    )


def test_new_platform_names_match_the_stored_rows_again(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = _spend_rows(team)
    selectors.results_fingerprint(team.workspace)  # the rollups, as after the import
    assert _spend_of(team, campaign.pk) == Decimal("100.00")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_update(
            actor=team.owner,
            campaign=campaign,
            version=campaign.version,
            platform_names=["New name"],
        )
    owners = dict(
        ResultRow.objects.filter(workspace=team.workspace).values_list("campaign_name", "campaign")
    )
    assert owners == {"Old name": None, "New name": campaign.pk}
    # the rollups were summed again: the report follows without a rebuild by its reader
    assert _spend_of(team, campaign.pk) == Decimal("250.00")
    assert _spend_of(team, None) == Decimal("100.00")


def test_a_new_utm_value_matches_the_stored_rows_again(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = _spend_rows(team)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_update(
            actor=team.owner, campaign=campaign, version=campaign.version, utm_campaign="new name"
        )
    owners = dict(
        ResultRow.objects.filter(workspace=team.workspace).values_list("campaign_name", "campaign")
    )
    assert owners == {"Old name": campaign.pk, "New name": campaign.pk}


def test_other_brief_changes_do_not_match_again(
    team: Team, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from headway.results import services

    campaign = _spend_rows(team)
    called: list[int] = []

    def counted(workspace: Any) -> int:
        called.append(workspace.pk)
        return 0

    monkeypatch.setattr(services, "rows_rematch", counted)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_update(
            actor=team.owner, campaign=campaign, version=campaign.version, objective="More"
        )
    assert called == []


def test_a_new_campaign_claims_the_stored_rows_nobody_had(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    existing = _spend_rows(team)
    selectors.results_fingerprint(team.workspace)
    with django_capture_on_commit_callbacks(execute=True):
        new = campaign_create(
            actor=team.owner,
            workspace=team.workspace,
            name="Newcomer",
            platform_names=["New name", "Old name"],  # "Old name" is taken already
        )
    owners = dict(
        ResultRow.objects.filter(workspace=team.workspace).values_list("campaign_name", "campaign")
    )
    assert owners == {"Old name": existing.pk, "New name": new.pk}
    assert _spend_of(team, new.pk) == Decimal("250.00")
