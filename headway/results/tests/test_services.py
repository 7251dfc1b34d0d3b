"""Storing imports: preview stores nothing, all-or-nothing, same file once, overlapping
periods replace, matching by UTM, platform names, rules and hand assignment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create
from headway.results.models import Import, MatchKind, MatchRule, ResultRow
from headway.results.services import (
    import_preview,
    import_store,
    match_rule_create,
    unmatched_assign,
)

pytestmark = pytest.mark.django_db
FIXTURES = Path("/work/shared/fixtures")
GOOGLE = (FIXTURES / "google-ads/Campaign report.csv").read_bytes()


def spring(team: Team) -> Campaign:
    return campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Spring Launch 2026",
        utm_campaign="spring-launch-2026",
        platform_names=["Spring Launch 2026 - Search"],
    )


def test_preview_matches_by_platform_name_and_stores_nothing(team: Team) -> None:
    campaign = spring(team)
    preview = import_preview(workspace=team.workspace, data=GOOGLE, file_name="a.csv")
    out = preview.as_json()
    assert out["source"] == "google_ads" and out["rows"] == 113
    assert out["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert out["totals"]["spend"] == 3625.84 and out["totals"]["impressions"] == 168571
    matched = {m["name"]: m for m in out["matched"]}
    assert matched["Spring Launch 2026 - Search"]["campaign"]["id"] == campaign.pk
    assert "ad-platform names" in matched["Spring Launch 2026 - Search"]["reason"]
    assert {u["name"] for u in out["unmatched"]} == {
        "Spring Launch 2026 - PMax",
        "Brand - Search",
        "Mothers Day Promo - Search",
    }
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0


def test_store_then_same_file_again_changes_nothing(team: Team) -> None:
    spring(team)
    first = import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    assert first.created and first.import_.rows_count == 113
    total = ResultRow.objects.aggregate(s=Sum("spend"))["s"]
    assert total == Decimal("3625.84")
    again = import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    assert not again.created and again.import_.pk == first.import_.pk
    assert ResultRow.objects.count() == 113
    assert import_preview(workspace=team.workspace, data=GOOGLE).already_imported is not None


def test_overlapping_period_replaces_that_sources_rows(team: Team) -> None:
    import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    # the platform revised late conversions: a re-download of March 31 alone
    revised = (
        b'Campaign report\r\n"March 31, 2026 - March 31, 2026"\r\n'
        b"Day,Campaign,Impr.,Clicks,Currency code,Cost,Conversions\r\n"
        b"2026-03-31,Brand - Search,243,16,USD,15.00,2.00\r\n"
    )
    preview = import_preview(workspace=team.workspace, data=revised)
    assert preview.replaces == 3  # three campaigns had rows on March 31
    stored = import_store(actor=team.owner, workspace=team.workspace, data=revised)
    assert stored.import_.replaced_rows == 3
    assert ResultRow.objects.count() == 113 - 3 + 1
    march_31 = ResultRow.objects.filter(day="2026-03-31")
    assert [(r.campaign_name, r.conversions) for r in march_31] == [("Brand - Search", 2)]


def test_other_sources_are_not_replaced(team: Team) -> None:
    import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    meta = (FIXTURES / "meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv").read_bytes()
    stored = import_store(actor=team.owner, workspace=team.workspace, data=meta)
    assert stored.import_.replaced_rows == 0
    assert ResultRow.objects.filter(source="google_ads").count() == 113


def test_campaign_report_replaces_only_its_campaign_row(team: Team) -> None:
    export = (FIXTURES / "mailchimp/campaigns.csv").read_bytes()
    report = (
        FIXTURES / "mailchimp/campaign-report-spring-launch-2026-announcement.csv"
    ).read_bytes()
    import_store(actor=team.owner, workspace=team.workspace, data=export)
    stored = import_store(actor=team.owner, workspace=team.workspace, data=report)
    assert stored.import_.replaced_rows == 1
    assert ResultRow.objects.filter(source="mailchimp").count() == 4
    assert ResultRow.objects.aggregate(s=Sum("recipients"))["s"] == 4177 + 4269 + 4152 + 4124


def test_a_bad_file_stores_nothing_and_names_line_and_column(team: Team) -> None:
    bad = GOOGLE.replace(b'"2,383"', b"lots", 1)
    with pytest.raises(DomainError) as caught:
        import_store(actor=team.owner, workspace=team.workspace, data=bad)
    assert "Line 5, column 7" in caught.value.message and caught.value.field == "file"
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0


def test_fractional_clicks_are_refused(team: Team) -> None:
    bad = GOOGLE.replace(b",124,124,", b",12.5,124,", 1)
    with pytest.raises(DomainError) as caught:
        import_store(actor=team.owner, workspace=team.workspace, data=bad)
    assert "Line 4" in caught.value.message and "whole number" in caught.value.message
    assert ResultRow.objects.count() == 0


def test_utm_value_matches_case_insensitively(team: Team) -> None:
    campaign = spring(team)
    ga4 = (FIXTURES / "ga4/Traffic_acquisition_Session_source_medium.csv").read_bytes()
    Campaign.objects.filter(pk=campaign.pk).update(utm_campaign="Spring-Launch-2026")
    import_store(actor=team.owner, workspace=team.workspace, data=ga4)
    rows = ResultRow.objects.filter(campaign=campaign)
    assert rows.aggregate(s=Sum("sessions"))["s"] == 616 + 1788 + 2436 + 2768


def test_rule_matches_names_starting_with_and_rematches_stored_rows(team: Team) -> None:
    campaign = spring(team)
    import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    assert ResultRow.objects.filter(
        campaign_name="Spring Launch 2026 - PMax", campaign=None
    ).exists()
    match_rule_create(
        actor=team.owner,
        workspace=team.workspace,
        campaign_id=campaign.pk,
        kind=MatchKind.STARTS_WITH,
        pattern="spring launch 2026",
    )
    assert not ResultRow.objects.filter(campaign_name__startswith="Spring", campaign=None).exists()
    preview = import_preview(workspace=team.workspace, data=GOOGLE).as_json()
    pmax = next(m for m in preview["matched"] if m["name"] == "Spring Launch 2026 - PMax")
    assert "start with" in pmax["reason"]


def test_assigning_by_hand_is_remembered_for_the_next_import(team: Team) -> None:
    brand = campaign_create(actor=team.owner, workspace=team.workspace, name="Always-on brand")
    import_store(actor=team.owner, workspace=team.workspace, data=GOOGLE)
    unmatched_assign(
        actor=team.owner, workspace=team.workspace, name="Brand - Search", campaign_id=brand.pk
    )
    assert ResultRow.objects.filter(campaign=brand).count() == GOOGLE.count(b",Brand - Search,")
    assert MatchRule.objects.get().kind == MatchKind.EXACT
    preview = import_preview(workspace=team.workspace, data=GOOGLE).as_json()
    assert any(m["name"] == "Brand - Search" for m in preview["matched"])


def test_rules_cannot_point_at_another_workspaces_campaign(team: Team, other_team: Team) -> None:
    theirs = campaign_create(actor=other_team.owner, workspace=other_team.workspace, name="X")
    with pytest.raises(DomainError):
        unmatched_assign(
            actor=team.owner, workspace=team.workspace, name="Brand - Search", campaign_id=theirs.pk
        )
