"""Journey J5, another tool's file: a manager drops a CSV Headway does not know, maps its
columns once, sees the preview and stores it; a second file with the same header is read
with the remembered mapping, without asking."""

from __future__ import annotations

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.results.models import ColumnMapping, ResultRow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH = (
    '"Campaign name";"Date";"Cost";"Clicks";"Currency";"Ad group ID"\n'
    "Spring Launch;2026-03-01;1.234,50;10;EUR;77\n"
    "Spring Launch;2026-03-02;30,72;5;EUR;77\n"
)
APRIL = MARCH.replace("2026-03", "2026-04").replace("30,72", "12,00")
TARGETS = {
    "Campaign name": "campaign name",
    "Date": "day",
    "Cost": "spend",
    "Clicks": "clicks",
    "Currency": "currency",
    "Ad group ID": "ignore",
}


def test_unknown_csv_mapped_once_then_remembered(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    team = make_team("map", "Harbor Homeware")
    march, april = tmp_path / "tiktok-march.csv", tmp_path / "tiktok-april.csv"
    march.write_text(MARCH, encoding="utf-8-sig")
    april.write_text(APRIL, encoding="utf-8-sig")
    page.set_default_timeout(30_000)
    log_in(page, team.manager.email)
    page.goto(f"/w/{team.workspace.slug}/results/import/")
    # drop a file no reader knows: the mapping step shows its columns
    page.get_by_label("Export file").set_input_files(str(march))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Map this file's columns").wait_for()
    page.get_by_label("Source name").fill("TikTok Ads")
    page.get_by_label("Channel of its rows").select_option("paid_social")
    for column, target in TARGETS.items():
        page.get_by_label(column, exact=True).select_option(label=target)
    page.get_by_role("button", name="Save mapping and preview").click()
    # the preview reads it with the mapping, rows and totals as for a known source
    page.get_by_role("heading", name="2. Check: TikTok Ads").wait_for()
    assert page.get_by_text("1,265.22").first.is_visible()
    assert page.get_by_test_id("mapping-used").is_visible()
    page.get_by_role("button", name="Store 2 rows").click()
    page.get_by_text("Stored 2 rows").wait_for()
    assert ResultRow.objects.filter(source="x:tiktok-ads").count() == 2
    # a second file with the same header: no mapping asked
    page.get_by_label("Export file").set_input_files(str(april))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="2. Check: TikTok Ads").wait_for()
    assert (
        "remembered column mapping “TikTok Ads”" in page.get_by_test_id("mapping-used").inner_text()
    )
    assert page.get_by_text("1,246.50").first.is_visible()
    page.get_by_role("button", name="Store 2 rows").click()
    page.get_by_text("Stored 2 rows").wait_for()
    assert ResultRow.objects.filter(source="x:tiktok-ads").count() == 4
    assert ColumnMapping.objects.count() == 1
    assert not page.csp_problems, page.csp_problems
