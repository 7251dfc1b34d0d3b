"""The import page: choose a file, preview, store, assign; planners only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.results.models import Import, MatchRule, ResultRow

pytestmark = pytest.mark.django_db
FIXTURES = Path("/work/shared/fixtures")
LINKEDIN = (FIXTURES / "linkedin/campaign_performance_report.csv").read_bytes()


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def url(team: Team) -> str:
    return reverse("results:import", kwargs={"ws": team.workspace.slug})


def _preview(client: Client, team: Team, data: bytes, name: str = "report.csv") -> str:
    response = client.post(
        url(team), {"action": "preview", "file": SimpleUploadedFile(name, data)}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_empty_page_says_what_to_do(team: Team) -> None:
    page = client_for(team.manager).get(url(team)).content.decode()
    assert "Choose an export" in page and "No files imported yet" in page


def test_preview_assign_and_store(team: Team) -> None:
    # given a campaign whose LinkedIn group name is not in its brief
    webinar = campaign_create(actor=team.owner, workspace=team.workspace, name="Webinar")
    client = client_for(team.manager)
    # when the file is previewed
    page = _preview(client, team, LINKEDIN, "campaign_performance_report.csv")
    # then the source, period, totals and the unmatched group show, nothing is stored
    assert "LinkedIn Campaign Manager" in page and "1 Mar 2026 \u2013 31 Mar 2026" in page
    assert "1,005.77" in page and "Small Space Webinar" in page
    assert ResultRow.objects.count() == 0
    file_hash = re.search(r'name="file_hash" value="([0-9a-f]{64})"', page).group(1)  # type: ignore[union-attr]
    # when the group is assigned by hand, the preview shows it matched, and why
    page = client.post(
        url(team),
        {
            "action": "assign",
            "name": "Small Space Webinar",
            "campaign": webinar.pk,
            "file_hash": file_hash,
        },
        follow=True,
    ).content.decode()
    assert "the rule: names that are" in page and MatchRule.objects.count() == 1
    # when stored, the rows belong to the campaign
    page = client.post(
        url(team), {"action": "store", "file_hash": file_hash}, follow=True
    ).content.decode()
    assert "Stored 22 rows from LinkedIn Campaign Manager" in page
    assert ResultRow.objects.filter(campaign=webinar).count() == 22
    assert Import.objects.get().file_name == "campaign_performance_report.csv"


def test_a_bad_file_shows_line_and_column_on_the_form(team: Team) -> None:
    bad = LINKEDIN.decode("utf-16").replace("60.98", "sixty").encode("utf-16")
    page = _preview(client_for(team.manager), team, bad)
    assert "Line 7, column 9" in page and "sixty" in page
    assert ResultRow.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_the_page(team: Team, role: str) -> None:
    client = client_for(getattr(team, role))
    assert client.get(url(team)).status_code == 403
    response = client.post(
        url(team), {"action": "preview", "file": SimpleUploadedFile("a.csv", LINKEDIN)}
    )
    assert response.status_code == 403 and Import.objects.count() == 0


def test_preview_names_the_file_the_replaced_rows_came_from(team: Team) -> None:
    """Mailchimp's single-campaign report replaces a row stored from campaigns.csv (the
    all-campaigns export): the preview names that file, not the report's own layout."""
    from headway.results.services import import_store

    export = (FIXTURES / "mailchimp/campaigns.csv").read_bytes()
    report = (
        FIXTURES / "mailchimp/campaign-report-spring-launch-2026-announcement.csv"
    ).read_bytes()
    import_store(actor=team.owner, workspace=team.workspace, data=export, file_name="campaigns.csv")
    page = _preview(client_for(team.manager), team, report, "Campaign report.csv")
    assert "Storing replaces 1 row stored earlier from campaigns.csv (Mailchimp) for this" in page
    assert "stored earlier from Mailchimp (campaign report)" not in page
