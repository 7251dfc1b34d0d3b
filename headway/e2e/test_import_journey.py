"""Journey J5 (imports): a manager drops a month of exports from four sources, checks each
preview, assigns a campaign the file names differently, stores, and sees results by campaign
and channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.services.campaigns import campaign_create
from headway.results.models import ResultRow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FILES = Path(__file__).resolve().parents[1] / "results" / "demo_files"


def test_j5_import_four_sources_and_see_results(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    team = make_team("j5", "Harbor Homeware")
    spring = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Spring Launch",
        utm_campaign="spring-launch-2026",
        platform_names=["Spring Launch 2026 - Search", "Spring Launch 2026 - PMax"],
    )
    webinar = campaign_create(actor=team.manager, workspace=team.workspace, name="Webinar")
    page.set_default_timeout(30_000)  # four imports on a shared, busy machine
    log_in(page, team.manager.email)
    page.get_by_role("link", name="Results").click()
    page.get_by_role("link", name="Import exports").click()
    for name in (
        "Campaign report.csv",
        "campaign_performance_report.csv",
        "Traffic_acquisition_Session_source_medium.csv",
        "hubspot-crm-exports-all-contacts-2026-04-01.csv",
    ):
        page.get_by_label("Export file").set_input_files(str(FILES / name))
        page.get_by_role("button", name="Preview").click()
        page.get_by_role("heading", name="2. Check").wait_for()
        if name == "campaign_performance_report.csv":
            # the LinkedIn campaign group matches nothing: assign it, the preview updates
            row = page.get_by_role("row", name="Small Space Webinar")
            row.get_by_label("Campaign for Small Space Webinar").select_option(str(webinar.pk))
            row.get_by_role("button", name="Assign").click()
            page.get_by_text("matches the rule: names that are").wait_for()
        page.get_by_role("button", name="Store").click()
        page.get_by_text("Stored").first.wait_for()
    assert ResultRow.objects.filter(campaign=webinar, source="linkedin").count() == 22
    assert ResultRow.objects.filter(campaign=spring, source="google_ads").exists()
    page.get_by_role("link", name="See results by campaign and channel").click()
    page.get_by_role("heading", name="Results · March 2026").wait_for()
    table = page.get_by_role("table", name="Results by campaign, most qualified leads first")
    assert table.get_by_role("link", name="Spring Launch").is_visible()
    assert table.get_by_role("link", name="Webinar").is_visible()
    channels = page.get_by_role("table", name="Results by channel, most spend first")
    assert channels.get_by_role("cell", name="Paid search").is_visible()
    assert page.csp_problems == []
