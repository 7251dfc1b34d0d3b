"""Journey J5 (imports): a manager drops a month of exports from four sources at once, checks
each file's preview, assigns a campaign a file names differently, stores the four with one
button, and sees results by campaign and channel, with the underperformer explained by its
execution (run through the services with the clock moved: launched 8 working days late, its
creative waited 6 working days for the owner's approval)."""

from __future__ import annotations

from pathlib import Path

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.services.campaigns import campaign_create
from headway.results.models import ResultRow
from headway.results.tests.test_execution import run_late_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FILES = Path(__file__).resolve().parents[1] / "results" / "demo_files"


def test_j5_import_four_sources_and_see_results(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    team = make_team("j5", "Harbor Homeware")
    spring = run_late_campaign(
        team,
        "Spring Launch",
        utm_campaign="spring-launch-2026",
        platform_names=["Spring Launch 2026 - Search", "Spring Launch 2026 - PMax"],
        metrics=[{"name": "Qualified leads", "target": 20}],
    )
    webinar = campaign_create(actor=team.manager, workspace=team.workspace, name="Webinar")
    page.set_default_timeout(30_000)  # four files read on a shared, busy machine
    log_in(page, team.manager.email)
    page.get_by_role("link", name="Results").click()
    page.get_by_role("link", name="Import exports").click()
    # the four exports dropped at once: one section each, in the order dropped
    names = [
        "Campaign report.csv",
        "campaign_performance_report.csv",
        "Traffic_acquisition_Session_source_medium.csv",
        "hubspot-crm-exports-all-contacts-2026-04-01.csv",
    ]
    page.get_by_label("Export files").set_input_files([str(FILES / name) for name in names])
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="2. Check 4 files").wait_for()
    checks = page.get_by_role("heading", name="Check:")
    assert [checks.nth(i).inner_text().split(" · ")[-1] for i in range(4)] == names
    # the LinkedIn campaign group matches nothing: assign it, the drop's previews come back
    row = page.get_by_role("row", name="Small Space Webinar")
    row.get_by_label("Campaign for Small Space Webinar").select_option(str(webinar.pk))
    row.get_by_role("button", name="Assign").click()
    page.get_by_text("matches the rule: names that are").wait_for()
    assert page.get_by_role("heading", name="Check:").count() == 4
    assert ResultRow.objects.count() == 0
    # one button stores the four, each whole
    page.get_by_role("button", name="Store 4 files").click()
    page.get_by_text("Stored 4 files.").wait_for()
    assert ResultRow.objects.filter(campaign=webinar, source="linkedin").count() == 22
    assert ResultRow.objects.filter(campaign=spring, source="google_ads").exists()
    page.get_by_role("link", name="See results by campaign and channel").click()
    page.get_by_role("heading", name="Results · March 2026").wait_for()
    table = page.get_by_role("table", name="Results by campaign, most qualified leads first")
    assert table.get_by_role("link", name="Spring Launch").is_visible()
    assert table.get_by_role("link", name="Webinar").is_visible()
    channels = page.get_by_role("table", name="Results by channel, most spend first")
    assert channels.get_by_role("cell", name="Paid search").is_visible()
    # the underperformer, explained by how it was run
    why = page.get_by_role("region", name="Underperformers and why")
    card = why.get_by_role("listitem").filter(has_text="Spring Launch")
    text = card.inner_text()
    assert "Missed its qualified leads target by 65%" in text
    assert "launched 8 working days late" in text
    assert f"its creative waited 6 working days for {team.owner.name}'s approval" in text
    page.get_by_role("region", name="The month in four answers").get_by_role(
        "link", name="Spring Launch"
    ).first.wait_for()
    card.get_by_role("link", name="Spring Launch").click()
    note = page.get_by_role("region", name="Underperformed in March 2026")
    assert "launched 8 working days late" in note.inner_text()
    assert page.csp_problems == []
